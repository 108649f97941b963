import type { SqlExecutor } from "../runtime/central-store.ts";

/** The wallet's reads of the central store at activation. Lists travel as one JSON parameter. */

export const asJson = (value: unknown) => JSON.stringify(value);

export async function loadBrand(db: SqlExecutor, brand: string): Promise<{ currency: string; active: boolean }> {
  const [row] = await db.query<{ currency: string; status: string }>("SELECT currency, status FROM brands WHERE id = $1", [brand]);
  if (!row) throw new Error(`wallet@${brand}: no such brand in the catalog`);
  return { currency: row.currency, active: row.status === "active" };
}

/** Take the writer's lease: a new epoch, which fences out every earlier writer's commits. */
export async function takeEpoch(db: SqlExecutor, brand: string, holder: string): Promise<bigint> {
  const [row] = await db.query<{ epoch: bigint }>(
    `INSERT INTO wallet_epochs (brand_id, epoch, holder) VALUES ($1, 1, $2)
     ON CONFLICT (brand_id) DO UPDATE SET epoch = wallet_epochs.epoch + 1, batch = 0, holder = excluded.holder, taken_at = now()
     RETURNING epoch`,
    [brand, holder],
  );
  return BigInt(row!.epoch);
}

/** The number of the brand's last stored posting (0 for none): read once the epoch is taken, so no earlier writer can commit after it. */
export async function loadLastPosting(db: SqlExecutor, brand: string): Promise<bigint> {
  const [row] = await db.query<{ last: bigint | null }>("SELECT max(number) AS last FROM wallet_postings WHERE brand_id = $1", [brand]);
  return row?.last === null || row?.last === undefined ? 0n : BigInt(row.last);
}

export async function loadSuspended(db: SqlExecutor, brand: string): Promise<string[]> {
  const rows = await db.query<{ player_id: string }>("SELECT player_id FROM wallet_suspended_players WHERE brand_id = $1", [brand]);
  return rows.map((r) => r.player_id);
}
