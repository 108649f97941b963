-- The outbox is a queue: every row is inserted, then updated once when relayed. The relay's
-- lookups walk `outbox_unrelayed_by_brand_idx` from each brand's oldest entry, stepping over
-- the entries of relayed rows until a vacuum removes them, so a relay round costs more with
-- every row relayed since the last one (measured: 1.4 ms of server CPU for 20 events after
-- a vacuum, 10 ms after 60,000 relayed rows). Autovacuum's default trigger is a fraction of
-- the table (20%), which a large retained outbox reaches only after hundreds of thousands of
-- relayed rows; vacuum it by row count instead.
ALTER TABLE "outbox" SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 20000,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 20000
);
