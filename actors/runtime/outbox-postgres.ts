import type { CentralStore, SqlExecutor } from "./central-store.ts";
import type { DomainEvent } from "./event-bus.ts";
import type { OutboxSource, Relayed } from "./outbox-relay.ts";

/** What a writer puts in the central outbox; `id` defaults to a fresh uuid. */
export type OutboxEventInput = { id?: string; type: string; brand: string | null; payload: Record<string, unknown> };

/**
 * The INSERT a writer runs inside its own transaction (the wallet's batch commit), so the
 * events commit or roll back with the change. One parameter for any number of events;
 * rows get `seq` in array order. An event id already present is skipped.
 *
 *   const { text, params } = outboxInsertSql(events);
 *   await tx.query(text, params);
 *   // after the commit: relay.notify(POSTGRES_OUTBOX)
 */
export function outboxInsertSql(events: OutboxEventInput[]): { text: string; params: unknown[] } {
  const rows = events.map((e) => ({ id: e.id ?? crypto.randomUUID(), brand: e.brand, type: e.type, payload: e.payload }));
  return {
    text: `insert into outbox (event_id, brand_id, type, payload)
      select e.id, e.brand, e.type, e.payload
      from rows from (jsonb_to_recordset($1::text::jsonb) as (id text, brand text, type text, payload jsonb)) with ordinality as e(id, brand, type, payload, n)
      order by e.n
      on conflict (event_id) do nothing`,
    params: [JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value))],
  };
}

export async function insertOutboxEvents(tx: SqlExecutor, events: OutboxEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const { text, params } = outboxInsertSql(events);
  await tx.query(text, params);
}

/** The name of the (unscoped) central outbox source, for `relay.notify`. */
export const POSTGRES_OUTBOX = "pg";

// Two-key advisory locks: this namespace, then hashtext(brand). Another brand with the same hash only waits a round.
const LOCK_NAMESPACE = 7_400_114;
const BRANDS_PER_BATCH = 32;

const BRAND = `coalesce(brand_id, '')`;
const PENDING = `relayed_at is null`;

/**
 * Brands with unrelayed rows: those of `$1`, a JSON array of brand keys ('' is a global event),
 * or every brand; each lookup is a probe of `outbox_unrelayed_by_brand_idx`, so the cost
 * follows the brands relayed, never the table's size (relayed rows kept for retention, dead
 * row versions) nor its statistics. Every brand: a skip scan, one probe per brand.
 */
const PENDING_BRANDS = `
  select b.brand from jsonb_array_elements_text($1::text::jsonb) as b(brand)
  cross join lateral (select 1 from outbox where ${PENDING} and ${BRAND} = b.brand limit 1) as any_row`;
const EVERY_PENDING_BRAND = `
  with recursive pending(brand) as (
    (select ${BRAND} from outbox where ${PENDING} order by ${BRAND} limit 1)
    union all
    select (select ${BRAND} from outbox where ${PENDING} and ${BRAND} > p.brand order by ${BRAND} limit 1)
    from pending p where p.brand is not null)
  select brand from pending where brand is not null`;

// Statements of a relay round. Planned at each run, never kept as a prepared statement's
// generic plan: one made while the outbox was small scans it whole once it is large, and
// without a fresh ANALYZE nothing replans it (a test reads how many rows a round touches).
// The pending brands are materialized, so a lock is tried only on a brand found with rows.
const lockPending = (pending: string) => `with pending as materialized (${pending})
  select brand from pending where pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(brand)) limit ${BRANDS_PER_BATCH}`;
const LOCK_BRANDS = lockPending(PENDING_BRANDS);
const LOCK_EVERY_BRAND = lockPending(EVERY_PENDING_BRAND);
// $1 the locked brands (JSON array), $2 at most this many rows
const ROWS_OF_BRANDS = `select r.* from jsonb_array_elements_text($1::text::jsonb) as b(brand)
  cross join lateral (
    select seq, event_id, brand_id, type, payload, at from outbox
    where ${PENDING} and ${BRAND} = b.brand order by seq limit $2::int) r
  order by r.seq limit $2::int`;
const MARK_RELAYED = `update outbox set relayed_at = $2::text::timestamptz
  where seq in (select (jsonb_array_elements_text($1::text::jsonb))::bigint)`;

/** `$1` is null (every brand) or a JSON array of brand keys ('' is a global event). */
const IN_SCOPE = `($1::text is null or ${BRAND} in (select jsonb_array_elements_text($1::text::jsonb)))`;

type Row = { seq: bigint; event_id: string; brand_id: string | null; type: string; payload: Record<string, unknown>; at: Date | string };

/**
 * The central store's `outbox` as a relay source, safe with a relay on every node: a batch
 * takes a transaction-scoped advisory lock per brand (skipping brands another relay holds),
 * publishes that brand's rows in `seq` order, marks them and commits, which releases the
 * locks. So a row is never published by two relays in one round, and each brand's committed
 * rows go out in `seq` order. The wallet, the one writer of a brand's money events, commits
 * its rows in `seq` order, so those keep their order. Other writers (the audit events of the
 * catalog, admin@brand and the game registry) may commit a lower `seq` after a higher one was
 * relayed: that row goes out in a later round (a round takes what is unrelayed, not what is
 * past a mark), so nothing is lost, and its consumer records entries by id, in any order.
 *
 * `brands` limits the source to those brands (null: global events); all when omitted.
 */
export class PostgresOutbox implements OutboxSource {
  readonly name: string;
  private scope: string | null;

  constructor(
    private store: CentralStore,
    options: { brands?: (string | null)[]; name?: string } = {},
  ) {
    this.scope = options.brands ? JSON.stringify(options.brands.map((b) => b ?? "")) : null;
    this.name = options.name ?? POSTGRES_OUTBOX;
  }

  /** Relay only these brands from the next round on (a node whose brands change). */
  setBrands(brands: (string | null)[]): void {
    this.scope = JSON.stringify(brands.map((b) => b ?? ""));
  }

  relay(limit: number, publish: (events: DomainEvent[]) => Promise<void>, now: number): Promise<Relayed> {
    return this.store.transaction(async (tx) => {
      const locked = await tx.query<{ brand: string }>(this.scope === null ? LOCK_EVERY_BRAND : LOCK_BRANDS, this.scope === null ? [] : [this.scope]);
      if (locked.length === 0) return { relayed: 0, more: false };
      const n = Math.max(1, Math.floor(limit));
      const rows = await tx.query<Row>(ROWS_OF_BRANDS, [JSON.stringify(locked.map((l) => l.brand)), n]);
      if (rows.length === 0) return { relayed: 0, more: false };
      await publish(rows.map(eventOf));
      await tx.query(MARK_RELAYED, [JSON.stringify(rows.map((r) => String(r.seq))), new Date(now).toISOString()]);
      // at a limit, rows (or brands) may be left; below both, this brand's rows were all taken
      return { relayed: rows.length, more: rows.length >= n || locked.length >= BRANDS_PER_BATCH };
    });
  }

  async purge(before: number, limit: number): Promise<number> {
    const [row] = await this.store.query<{ n: bigint }>(
      `with doomed as (
         delete from outbox where seq in (
           select seq from outbox where relayed_at < $2::text::timestamptz and ${IN_SCOPE} order by seq limit ${Math.floor(limit)})
         returning 1)
       select count(*) as n from doomed`,
      [this.scope, new Date(before).toISOString()],
    );
    return Number(row?.n ?? 0);
  }

  async backlog(): Promise<number> {
    const [row] = await this.store.query<{ n: bigint }>(`select count(*) as n from outbox where relayed_at is null and ${IN_SCOPE}`, [this.scope]);
    return Number(row?.n ?? 0);
  }

  async replay(from: number, brand?: string): Promise<number> {
    const [row] = await this.store.query<{ n: bigint }>(
      `with replayed as (
         update outbox set relayed_at = null
         where relayed_at is not null and at >= $2::text::timestamptz and ${IN_SCOPE} and ($3::text is null or ${BRAND} = $3)
         returning 1)
       select count(*) as n from replayed`,
      [this.scope, new Date(from).toISOString(), brand ?? null],
    );
    return Number(row?.n ?? 0);
  }
}

function eventOf(row: Row): DomainEvent {
  const at = row.at instanceof Date ? row.at.getTime() : Date.parse(row.at);
  return { id: row.event_id, type: row.type, brand: row.brand_id, at, payload: row.payload };
}
