import type { Shard } from "../../shards/index.ts";
import type { DomainEvent } from "./event-bus.ts";
import type { OutboxSource, Relayed } from "./outbox-relay.ts";

type Row = { seq: number; event_id: string; type: string; payload: string; at: number };

/**
 * A brand shard's `outbox` table (shards/schema.ts) as a relay source; every event is the
 * shard brand's. The relay must hold the shard open (ShardPool.acquire) while it is added.
 *
 * SQLite has one writer, so rows commit in `seq` order: once rows up to N are relayed, no
 * unrelayed row below N can appear. The source keeps that mark and reads from it, so a
 * round costs a primary-key range scan however many relayed rows the retention keeps.
 */
export class ShardOutbox implements OutboxSource {
  readonly name: string;
  private relayedThrough: number;

  constructor(private shard: Shard) {
    this.name = shardOutboxName(shard.brand);
    const bounds = shard.sqlite
      .query<{ first: number | null; last: number | null }, []>("select (select min(seq) from outbox where relayed_at is null) as first, (select max(seq) from outbox) as last")
      .get();
    this.relayedThrough = bounds?.first != null ? bounds.first - 1 : (bounds?.last ?? 0);
  }

  async relay(limit: number, publish: (events: DomainEvent[]) => Promise<void>, now: number): Promise<Relayed> {
    const rows = this.shard.sqlite
      .query<Row, [number, number]>("select seq, event_id, type, payload, at from outbox where seq > ? and relayed_at is null order by seq limit ?")
      .all(this.relayedThrough, limit);
    if (rows.length === 0) return { relayed: 0, more: false };
    await publish(rows.map((r) => this.eventOf(r)));
    const last = rows.at(-1)!.seq;
    this.shard.sqlite.query("update outbox set relayed_at = ? where seq >= ? and seq <= ? and relayed_at is null").run(now, rows[0]!.seq, last);
    this.relayedThrough = last;
    return { relayed: rows.length, more: rows.length >= limit };
  }

  async purge(before: number, limit: number): Promise<number> {
    const result = this.shard.sqlite
      .query("delete from outbox where seq in (select seq from outbox where relayed_at is not null and relayed_at < ? order by seq limit ?)")
      .run(before, limit);
    return result.changes;
  }

  async replay(from: number, brand?: string): Promise<number> {
    if (brand !== undefined && brand !== this.shard.brand) return 0;
    const result = this.shard.sqlite.query("update outbox set relayed_at = null where relayed_at is not null and at >= ?").run(from);
    const first = this.shard.sqlite.query<{ first: number | null }, []>("select min(seq) as first from outbox where relayed_at is null").get();
    if (first?.first != null) this.relayedThrough = Math.min(this.relayedThrough, first.first - 1);
    return result.changes;
  }

  async backlog(): Promise<number> {
    const row = this.shard.sqlite.query<{ n: number }, []>("select count(*) as n from outbox where relayed_at is null").get();
    return row?.n ?? 0;
  }

  private eventOf(row: Row): DomainEvent {
    return { id: row.event_id, type: row.type, brand: this.shard.brand, at: row.at, payload: JSON.parse(row.payload) };
  }
}

export const shardOutboxName = (brand: string) => `shard:${brand}`;
