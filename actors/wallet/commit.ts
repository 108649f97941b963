import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";
import { asJson } from "./ledger-reads.ts";
import type { Turn } from "./turn.ts";

/** A writer whose epoch was superseded: it must stop; the new writer owns the brand's money. */
export class FencedError extends Error {
  constructor(brand: string, epoch: bigint) {
    super(`wallet@${brand}: epoch ${epoch} was superseded by a newer writer; nothing was committed`);
    this.name = "FencedError";
  }
}

/** A balance in the store that differs from the writer's memory: reload before going on. */
export class DriftError extends Error {
  constructor(brand: string, accountId: string, stored: bigint, expected: bigint) {
    super(`wallet@${brand}: account ${accountId} holds ${stored} in the store, ${expected} in memory`);
    this.name = "DriftError";
  }
}

export type MessageRecord = { id: string; outcome: Outcome };

/**
 * Write a decided batch in ONE transaction: the epoch check first (its row lock orders us
 * against a new writer taking over), then one statement per table for all rows, sent
 * together. Any failure rolls everything back and throws.
 */
export async function commitTurn(store: CentralStore, epoch: bigint, turn: Turn, messages: MessageRecord[]): Promise<void> {
  const brand = turn.brand;
  await store.transaction(async (tx) => {
    // issued in this order; statements on one connection run in order
    const fence = tx.query(FENCE, [brand, epoch.toString()]);
    const accounts = turn.newAccounts.length > 0 ? insertAccounts(tx, turn) : undefined;
    const balances = turn.deltas.size > 0 ? updateBalances(tx, turn) : Promise.resolve([]);
    const writes = [
      accounts,
      balances,
      turn.transactions.length > 0 ? insertTransactions(tx, turn) : undefined,
      turn.postings.length > 0 ? insertPostings(tx, turn) : undefined,
      turn.requests.size > 0 ? upsertRequests(tx, turn) : undefined,
      turn.suspensions.size > 0 ? saveSuspensions(tx, turn) : undefined,
      turn.events.length > 0 ? insertOutbox(tx, turn) : undefined,
      messages.length > 0 ? tx.query(INSERT_MESSAGES, [brand, asJson(messages)]) : undefined,
    ];
    // the fence's row lock is taken before any write: a new writer's epoch waits for us, or we see it
    const settled = await Promise.allSettled([fence, ...writes.filter((w) => w !== undefined)]);
    const fenced = settled[0]!;
    if (fenced.status === "fulfilled" && fenced.value.length === 0) throw new FencedError(brand, epoch);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    checkBalances(brand, turn, await balances);
  });
}

const FENCE = "SELECT epoch FROM wallet_epochs WHERE brand_id = $1 AND epoch = $2 FOR UPDATE";

function insertAccounts(tx: SqlExecutor, turn: Turn) {
  const rows = turn.newAccounts.map((a) => ({ id: a.id, owner_kind: a.ownerKind, owner_id: a.ownerId, type: a.type }));
  return tx.query(
    `INSERT INTO wallet_accounts (id, brand_id, owner_kind, owner_id, type, currency)
     SELECT a.id, $1, a.owner_kind, a.owner_id, a.type, $2
     FROM jsonb_to_recordset($3::text::jsonb) AS a(id uuid, owner_kind text, owner_id text, type text)`,
    [turn.brand, turn.currency, asJson(rows)],
  );
}

/** Apply each account's net change to the stored balance and return it, to compare with memory. */
function updateBalances(tx: SqlExecutor, turn: Turn) {
  const rows = [...turn.deltas].map(([account, delta]) => ({ id: account.id, delta: delta.toString() }));
  return tx.query<{ id: string; balance: bigint }>(
    `UPDATE wallet_accounts AS a SET balance = a.balance + d.delta, updated_at = now()
     FROM jsonb_to_recordset($1::text::jsonb) AS d(id uuid, delta int8)
     WHERE a.id = d.id
     RETURNING a.id, a.balance`,
    [asJson(rows)],
  );
}

function checkBalances(brand: string, turn: Turn, stored: { id: string; balance: bigint }[]) {
  if (stored.length !== turn.deltas.size) throw new Error(`wallet@${brand}: updated ${stored.length} of ${turn.deltas.size} accounts`);
  const expected = new Map([...turn.deltas.keys()].map((a) => [a.id, a.balance]));
  for (const row of stored) {
    const balance = BigInt(row.balance);
    if (balance !== expected.get(row.id)) throw new DriftError(brand, row.id, balance, expected.get(row.id)!);
  }
}

function insertTransactions(tx: SqlExecutor, turn: Turn) {
  const rows = turn.transactions.map((t, pos) => ({
    pos,
    id: t.id,
    key: t.key,
    fingerprint: t.fingerprint,
    kind: t.kind,
    status: t.status,
    refusal_code: t.refusalCode ?? null,
    reply: t.reply,
    amount: t.amount.toString(),
    player: t.player,
    round: t.round ?? null,
    game_code: t.gameCode ?? null,
    game_category: t.gameCategory ?? null,
    provider: t.provider ?? null,
    reference: t.reference ?? null,
    metadata: t.metadata ?? null,
  }));
  return tx.query(
    `INSERT INTO wallet_transactions (id, brand_id, idempotency_key, fingerprint, kind, status, refusal_code, reply, amount,
       player_id, round_id, game_code, game_category, provider, reference, metadata)
     SELECT t.id, $1, t.key, t.fingerprint, t.kind, t.status, t.refusal_code, t.reply, t.amount,
       t.player, t.round, t.game_code, t.game_category, t.provider, t.reference, t.metadata
     FROM jsonb_to_recordset($2::text::jsonb) AS t(pos int, id uuid, key text, fingerprint text, kind text, status text,
       refusal_code text, reply jsonb, amount int8, player text, round text, game_code text, game_category text,
       provider text, reference text, metadata jsonb)
     ORDER BY t.pos`,
    [turn.brand, asJson(rows)],
  );
}

function insertPostings(tx: SqlExecutor, turn: Turn) {
  const rows = turn.postings.map((p, pos) => ({
    pos,
    transaction_id: p.transactionId,
    account_id: p.accountId,
    amount: p.amount.toString(),
    balance_after: p.balanceAfter.toString(),
  }));
  return tx.query(
    `INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after)
     SELECT p.transaction_id, p.account_id, $1, p.amount, p.balance_after
     FROM jsonb_to_recordset($2::text::jsonb) AS p(pos int, transaction_id uuid, account_id uuid, amount int8, balance_after int8)
     ORDER BY p.pos`,
    [turn.brand, asJson(rows)],
  );
}

function upsertRequests(tx: SqlExecutor, turn: Turn) {
  const rows = [...turn.requests.values()].map((r) => ({
    id: r.id,
    kind: r.kind,
    player: r.player,
    amount: r.amount.toString(),
    status: r.status,
    details: r.details,
    request_tx: r.requestTransactionId,
    decision_tx: r.decisionTransactionId,
    decided_by: r.decidedBy,
    reason: r.reason,
  }));
  return tx.query(
    `INSERT INTO wallet_requests (brand_id, id, kind, player_id, amount, status, details, request_transaction_id,
       decision_transaction_id, decided_by, reason, decided_at)
     SELECT $1, r.id, r.kind, r.player, r.amount, r.status, r.details, r.request_tx, r.decision_tx, r.decided_by, r.reason,
       CASE WHEN r.status = 'pending' THEN NULL ELSE now() END
     FROM jsonb_to_recordset($2::text::jsonb) AS r(id text, kind text, player text, amount int8, status text, details jsonb,
       request_tx uuid, decision_tx uuid, decided_by text, reason text)
     ON CONFLICT (brand_id, id) DO UPDATE SET status = excluded.status, decision_transaction_id = excluded.decision_transaction_id,
       decided_by = excluded.decided_by, reason = excluded.reason, decided_at = excluded.decided_at`,
    [turn.brand, asJson(rows)],
  );
}

function saveSuspensions(tx: SqlExecutor, turn: Turn) {
  const rows = [...turn.suspensions].map(([player, suspended]) => ({ player, suspended }));
  return tx.query(
    `WITH s AS (SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS s(player text, suspended boolean)),
     lifted AS (
       DELETE FROM wallet_suspended_players w USING s
       WHERE w.brand_id = $1 AND w.player_id = s.player AND NOT s.suspended
     )
     INSERT INTO wallet_suspended_players (brand_id, player_id)
     SELECT $1, s.player FROM s WHERE s.suspended
     ON CONFLICT DO NOTHING`,
    [turn.brand, asJson(rows)],
  );
}

function insertOutbox(tx: SqlExecutor, turn: Turn) {
  const rows = turn.events.map((e, pos) => ({ pos, event_id: e.eventId, type: e.type, payload: e.payload }));
  return tx.query(
    `INSERT INTO outbox (event_id, brand_id, type, payload)
     SELECT e.event_id, $1, e.type, e.payload
     FROM jsonb_to_recordset($2::text::jsonb) AS e(pos int, event_id text, type text, payload jsonb)
     ORDER BY e.pos`,
    [turn.brand, asJson(rows)],
  );
}

const INSERT_MESSAGES = `INSERT INTO wallet_messages (brand_id, message_id, outcome)
  SELECT $1, m.id, m.outcome FROM jsonb_to_recordset($2::text::jsonb) AS m(id text, outcome jsonb)`;
