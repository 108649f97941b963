import type { SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";

/**
 * The wallet's reads of the central store at activation and for the runtime's recall.
 * Lists travel as one JSON parameter; `= ANY(ARRAY(...))` makes one ordered index scan of
 * them instead of a lookup per key.
 */

export const asJson = (value: unknown) => JSON.stringify(value);
export const LIST = (n: number) => `ANY(ARRAY(SELECT jsonb_array_elements_text($${n}::text::jsonb)))`;

export async function loadBrand(db: SqlExecutor, brand: string): Promise<{ currency: string; active: boolean }> {
  const [row] = await db.query<{ currency: string; status: string }>("SELECT currency, status FROM brands WHERE id = $1", [brand]);
  if (!row) throw new Error(`wallet@${brand}: no such brand in the catalog`);
  return { currency: row.currency, active: row.status === "active" };
}

/** Take the writer's lease: a new epoch, which fences out every earlier writer's commits. */
export async function takeEpoch(db: SqlExecutor, brand: string, holder: string): Promise<bigint> {
  const [row] = await db.query<{ epoch: bigint }>(
    `INSERT INTO wallet_epochs (brand_id, epoch, holder) VALUES ($1, 1, $2)
     ON CONFLICT (brand_id) DO UPDATE SET epoch = wallet_epochs.epoch + 1, holder = excluded.holder, taken_at = now()
     RETURNING epoch`,
    [brand, holder],
  );
  return BigInt(row!.epoch);
}

export async function loadSuspended(db: SqlExecutor, brand: string): Promise<string[]> {
  const rows = await db.query<{ player_id: string }>("SELECT player_id FROM wallet_suspended_players WHERE brand_id = $1", [brand]);
  return rows.map((r) => r.player_id);
}

export async function recallMessages(db: SqlExecutor, brand: string, ids: string[]): Promise<Map<string, Outcome>> {
  const rows = await db.query<{ message_id: string; outcome: Outcome }>(
    `SELECT m.message_id, m.outcome FROM wallet_messages m WHERE m.brand_id = $1 AND m.message_id = ${LIST(2)}`,
    [brand, asJson(ids)],
  );
  return new Map(rows.map((r) => [r.message_id, r.outcome]));
}
