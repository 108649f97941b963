import type { SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { Account, AccountType, CashierRequest, KeyState, OwnerKind, RequestKind, RequestStatus, TxRecord } from "./ledger.ts";

/**
 * The wallet's reads of the central store: one statement per kind of thing, for all the
 * keys a batch needs at once. Lists travel as one JSON parameter; `= ANY(ARRAY(...))` makes
 * one ordered index scan of them instead of a lookup per key.
 */

export const asJson = (value: unknown) => JSON.stringify(value);
const LIST = (n: number) => `ANY(ARRAY(SELECT jsonb_array_elements_text($${n}::text::jsonb)))`;

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

type AccountRow = { id: string; owner_kind: OwnerKind; owner_id: string; type: AccountType; balance: bigint };

export async function loadAccounts(db: SqlExecutor, brand: string, owners: { kind: string; id: string }[]): Promise<Account[]> {
  const kinds = [...new Set(owners.map((o) => o.kind))];
  const wanted = new Set(owners.map((o) => `${o.kind}:${o.id}`));
  const rows = await db.query<AccountRow>(
    `SELECT a.id, a.owner_kind, a.owner_id, a.type, a.balance FROM wallet_accounts a
     WHERE a.brand_id = $1 AND a.owner_kind = ${LIST(2)} AND a.owner_id = ${LIST(3)}`,
    [brand, asJson(kinds), asJson(owners.map((o) => o.id))],
  );
  return rows.filter((r) => wanted.has(`${r.owner_kind}:${r.owner_id}`)).map((r) => ({
    id: r.id,
    ownerKind: r.owner_kind,
    ownerId: r.owner_id,
    type: r.type,
    balance: BigInt(r.balance),
    persisted: true,
  }));
}

type TxRow = {
  key: string;
  id: string;
  kind: string;
  fingerprint: string;
  status: "accepted" | "refused";
  reply: Outcome;
  player_id: string | null;
  amount: bigint;
  reference: string | null;
};
type FactRow = { reference: string; settled: boolean; rolled_back: boolean };

/** Records under the keys, and which of them a win or a rollback refers to. */
export async function loadKeys(db: SqlExecutor, brand: string, keys: string[]): Promise<Map<string, KeyState>> {
  const list = asJson(keys);
  const [records, facts] = await Promise.all([
    db.query<TxRow>(
      `SELECT t.idempotency_key AS key, t.id, t.kind, t.fingerprint, t.status, t.reply, t.player_id, t.amount, t.reference
       FROM wallet_transactions t WHERE t.brand_id = $1 AND t.idempotency_key = ${LIST(2)}`,
      [brand, list],
    ),
    db.query<FactRow>(
      `SELECT t.reference, bool_or(t.kind = 'win') AS settled, bool_or(t.kind = 'rollback') AS rolled_back
       FROM wallet_transactions t
       WHERE t.brand_id = $1 AND t.reference = ${LIST(2)} AND t.status = 'accepted' AND t.kind IN ('win', 'rollback')
       GROUP BY t.reference`,
      [brand, list],
    ),
  ]);
  const states = new Map<string, KeyState>(keys.map((k) => [k, { record: null, settled: false, rolledBack: false }]));
  for (const r of records) states.get(r.key)!.record = toRecord(r);
  for (const f of facts) Object.assign(states.get(f.reference)!, { settled: f.settled, rolledBack: f.rolled_back });
  return states;
}

function toRecord(r: TxRow): TxRecord {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    fingerprint: r.fingerprint,
    status: r.status,
    outcome: r.reply,
    player: r.player_id,
    amount: BigInt(r.amount),
    reference: r.reference,
  };
}

type RequestRow = {
  id: string;
  kind: RequestKind;
  player_id: string;
  amount: bigint;
  status: RequestStatus;
  details: Record<string, unknown> | null;
  request_transaction_id: string;
  decision_transaction_id: string | null;
  decided_by: string | null;
  reason: string | null;
};

export async function loadRequests(db: SqlExecutor, brand: string, ids: string[]): Promise<CashierRequest[]> {
  const rows = await db.query<RequestRow>(
    `SELECT r.id, r.kind, r.player_id, r.amount, r.status, r.details, r.request_transaction_id,
            r.decision_transaction_id, r.decided_by, r.reason
     FROM wallet_requests r WHERE r.brand_id = $1 AND r.id = ${LIST(2)}`,
    [brand, asJson(ids)],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    player: r.player_id,
    amount: BigInt(r.amount),
    status: r.status,
    details: r.details,
    requestTransactionId: r.request_transaction_id,
    decisionTransactionId: r.decision_transaction_id,
    decidedBy: r.decided_by,
    reason: r.reason,
  }));
}

export async function recallMessages(db: SqlExecutor, brand: string, ids: string[]): Promise<Map<string, Outcome>> {
  const rows = await db.query<{ message_id: string; outcome: Outcome }>(
    `SELECT m.message_id, m.outcome FROM wallet_messages m WHERE m.brand_id = $1 AND m.message_id = ${LIST(2)}`,
    [brand, asJson(ids)],
  );
  return new Map(rows.map((r) => [r.message_id, r.outcome]));
}
