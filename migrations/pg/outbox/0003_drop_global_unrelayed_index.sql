-- Unused: every lookup of unrelayed rows goes through outbox_unrelayed_by_brand_idx, and each
-- event the wallet writes paid for this index too (1.5-3 us of server CPU per bet measured).
DROP INDEX "outbox_unrelayed_idx";
