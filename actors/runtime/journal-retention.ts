import type { SqlExecutor } from "./central-store-types.ts";

/**
 * How long an actor keeps the outcome of a message it processed. Longer than the outbox keeps
 * relayed events (7 days), so an event replayed from the outbox (`supervisor dlq replay`, a
 * projection check) is still recognized and answered, never applied again; a command retried
 * with its key within it gets its first answer. Past it, the domain's own keys (a request id,
 * a transfer id) still refuse a duplicate.
 */
export const JOURNAL_RETENTION_MS = 8 * 24 * 60 * 60_000;

/** Each actor prunes the journal it writes at most this often, in its own turn. */
export const JOURNAL_PRUNE_EVERY_MS = 60 * 60_000;

/** At most this many rows per prune: a large backlog goes over several turns, none of them long. */
export const JOURNAL_PRUNE_ROWS = 5000;

/** True at the first call and then once per `everyMs` (or at the next call after `again()`): when the actor should prune. */
export function pruneSchedule(everyMs = JOURNAL_PRUNE_EVERY_MS): ((now: number) => boolean) & { again(): void } {
  let next = 0;
  const due = (now: number) => {
    if (now < next) return false;
    next = now + everyMs;
    return true;
  };
  return Object.assign(due, { again: () => void (next = 0) });
}

/**
 * Drop a PostgreSQL journal's rows past the retention, at most JOURNAL_PRUNE_ROWS of them;
 * `address` keeps to one actor's rows of a shared table. `table` is a name of the code, never
 * input. Returns how many went.
 */
export async function pruneOutcomes(db: SqlExecutor, table: string, address?: string): Promise<number> {
  const before = new Date(Date.now() - JOURNAL_RETENTION_MS).toISOString();
  const mine = address === undefined ? "" : "and address = $2";
  const [row] = await db.query<{ n: bigint | number }>(
    `with gone as (
       delete from ${table} where ctid in (select ctid from ${table} where at < $1::timestamptz ${mine} limit ${JOURNAL_PRUNE_ROWS})
       returning 1)
     select count(*) as n from gone`,
    address === undefined ? [before] : [before, address],
  );
  return Number(row?.n ?? 0);
}
