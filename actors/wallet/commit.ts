import type { CentralStore } from "../runtime/central-store.ts";
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
  constructor(brand: string, detail: string) {
    super(`wallet@${brand}: ${detail}; nothing was committed, the writer reloads`);
    this.name = "DriftError";
  }
}

/** `event`: another domain's event, whose outcome is kept as long as it can be replayed */
export type MessageRecord = { id: string; outcome: Outcome; event?: boolean };

/** The batch before this one stopped before taking its turn on the epoch row, or rolled back. */
export class OrderError extends Error {
  constructor(brand: string, batch: bigint) {
    super(`wallet@${brand}: batch ${batch - 1n} did not commit, so batch ${batch} committed nothing; the writer reloads`);
    this.name = "OrderError";
  }
}

const DRIFT = "wallet balance drift";
/** the commit's statements run for every batch: planned once per connection */
const PREPARED = { prepare: true };

/**
 * The order of a writer's commits: each batch's transaction waits, before it settles
 * balances, for the batch before it to hold the brand's epoch row (`before`), and says when it
 * holds the row itself (`held`), so the next one can queue behind it.
 */
export type CommitOrder = { batch: bigint; before: Promise<void>; held: PromiseWithResolvers<void> };

/** A decided batch's rows, written out when it was decided: later batches go on changing the same accounts and requests in memory. */
export type SealedBatch = { brand: string; rows: string[]; settle: string[] };

export function sealBatch(turn: Turn, messages: MessageRecord[]): SealedBatch {
  const inserted = new Set(turn.newAccounts);
  const existing = [...turn.deltas].filter(([account]) => !inserted.has(account));
  return {
    brand: turn.brand,
    rows: [
      turn.brand,
      turn.currency,
      asJson(turn.newAccounts.map((a) => [a.id, a.ownerKind, a.ownerId, a.type, a.balance.toString()])),
      asJson(turn.transactions.map(transactionRow)),
      asJson(turn.postings.map((p) => [p.transactionId, p.accountId, p.amount.toString(), p.balanceAfter.toString(), p.number.toString()])),
      asJson(turn.events.map((e) => [e.eventId, e.type, e.payload])),
    ],
    settle: [
      asJson(existing.map(([a, delta]) => [a.id, delta.toString(), a.balance.toString()])),
      asJson([...turn.requests.values()].map(requestRow)),
      asJson([...turn.suspensions].map(([player, suspended]) => ({ player, suspended }))),
      asJson(messages),
      asJson([...turn.payoutAccounts].map(([player, a]) => ({ player, name: a.name, account: a.account, holder: a.holder }))),
      asJson(
        [...turn.rollingMarks].map(([source, { player, mark }]) => ({
          source,
          player,
          state: mark.state,
          rolling_id: mark.rollingId,
          remaining: mark.remaining.toString(),
          version: mark.version,
        })),
      ),
    ],
  };
}

/**
 * Write a sealed batch in one transaction. First the rows no other batch can touch (new
 * accounts, transactions, postings, outbox events), while the batch before is still
 * committing. Then the brand's epoch row, which waits for that batch's commit: the batch goes
 * on only if its epoch is current and the row's number is its predecessor's. Last, in a
 * statement of its own, balances (a stored balance unlike memory aborts it), requests,
 * suspensions, payout accounts and message outcomes. Any failure rolls the whole batch back.
 */
export async function commitTurn(store: CentralStore, epoch: bigint, order: CommitOrder, sealed: SealedBatch): Promise<void> {
  const brand = sealed.brand;
  try {
    await store.transaction(async (tx) => {
      await tx.query(WRITE_ROWS, sealed.rows, PREPARED);
      await order.before;
      const [fence] = await tx.query<{ batch: bigint }>(FENCE, [brand, epoch.toString(), order.batch.toString()], PREPARED);
      if (!fence) throw new FencedError(brand, epoch);
      if (BigInt(fence.batch) !== order.batch) throw new OrderError(brand, order.batch);
      order.held.resolve();
      // a statement of its own: its snapshot sees what the batch before committed (accounts it created)
      await tx.query(SETTLE, [brand, ...sealed.settle], PREPARED);
    });
  } catch (error) {
    order.held.reject(error);
    if (error instanceof Error && error.message.startsWith(DRIFT)) throw new DriftError(brand, error.message.slice(DRIFT.length + 2));
    // rows a newer writer already wrote (its accounts, say) fail the insert before the epoch is checked
    if (!(error instanceof FencedError || error instanceof OrderError) && !(await holdsEpoch(store, brand, epoch))) throw new FencedError(brand, epoch);
    throw error;
  }
}

async function holdsEpoch(store: CentralStore, brand: string, epoch: bigint): Promise<boolean> {
  const rows = await store.query<{ epoch: bigint }>("SELECT epoch FROM wallet_epochs WHERE brand_id = $1", [brand]).catch(() => null);
  return rows === null || rows[0]?.epoch === undefined || BigInt(rows[0].epoch) === epoch;
}

/** a transaction as the positional row WRITE_ROWS reads (the column order of its `transactions` part) */
function transactionRow(t: Turn["transactions"][number]) {
  return [
    t.id,
    t.key,
    t.fingerprint,
    t.kind,
    t.status,
    t.refusalCode ?? null,
    t.reply,
    t.amount.toString(),
    t.player,
    t.round ?? null,
    t.gameCode ?? null,
    t.gameCategory ?? null,
    t.provider ?? null,
    t.reference ?? null,
    t.metadata ?? null,
    t.messageId,
  ];
}

function requestRow(r: Turn["requests"] extends Map<string, infer R> ? R : never) {
  return {
    id: r.id,
    kind: r.kind,
    player: r.player,
    amount: r.amount.toString(),
    status: r.status,
    details: r.details,
    opened_at: r.openedAt,
    request_tx: r.requestTransactionId,
    decision_tx: r.decisionTransactionId,
    decided_by: r.decidedBy,
    reason: r.reason,
  };
}

// $1 brand, $2 currency, then one JSON array of positional rows per table (no keys: a third
// fewer bytes to send and parse than objects): $3 new accounts (with their balance), $4
// transactions, $5 postings (with their number in the brand's ledger), $6 outbox events.
// Rows are inserted in their array order, which their serial numbers keep (batches may
// insert out of their order: postings are listed by their number, which the writer gave in
// commit order). Nothing here can conflict with another batch's rows: the single writer made
// every key, id and posting number.
const positional = (n: number) => `jsonb_array_elements($${n}::text::jsonb) WITH ORDINALITY AS r(v, pos)`;
const WRITE_ROWS = `
WITH new_accounts AS (
  INSERT INTO wallet_accounts (id, brand_id, owner_kind, owner_id, type, currency, balance)
  SELECT (v->>0)::uuid, $1, v->>1, v->>2, v->>3, $2, (v->>4)::int8
  FROM ${positional(3)}
), transactions AS (
  INSERT INTO wallet_transactions (id, brand_id, idempotency_key, fingerprint, kind, status, refusal_code, reply, amount,
    player_id, round_id, game_code, game_category, provider, reference, metadata, message_id)
  SELECT (v->>0)::uuid, $1, v->>1, v->>2, v->>3, v->>4, v->>5, v->6, (v->>7)::int8,
    v->>8, v->>9, v->>10, v->>11, v->>12, v->>13, nullif(v->14, 'null'), v->>15
  FROM ${positional(4)}
  ORDER BY pos
), postings AS (
  INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after, number)
  SELECT (v->>0)::uuid, (v->>1)::uuid, $1, (v->>2)::int8, (v->>3)::int8, (v->>4)::int8
  FROM ${positional(5)}
  ORDER BY pos
)
INSERT INTO outbox (event_id, brand_id, type, payload)
SELECT v->>0, $1, v->>1, v->2
FROM ${positional(6)}
ORDER BY pos`;

// $1 brand, $2 epoch, $3 this batch's number in the epoch. Taking the epoch row waits for the
// batch before (which holds it until its commit) and then reads its new value; the number
// moves on only from the batch before, so a batch whose predecessor rolled back sees its own
// number missing, and a writer whose epoch was taken finds no row.
const FENCE = `
UPDATE wallet_epochs SET batch = CASE WHEN batch = $3::int8 - 1 THEN $3::int8 ELSE batch END
WHERE brand_id = $1 AND epoch = $2::int8
RETURNING batch`;

// $1 brand, then JSON arrays: $2 balance changes of stored accounts ([id, delta, balance
// expected after it]), $3 requests (a new one is stamped with the time it was decided, which the
// daily withdrawal limits count by), $4 suspensions, $5 message outcomes, $6 payout accounts,
// $7 wagering requirements the withdrawal gate follows.
// Run under the fence: a stored balance unlike memory aborts.
const SETTLE = `
WITH balances AS (
  UPDATE wallet_accounts AS a SET balance = a.balance + d.delta, updated_at = now()
  FROM (SELECT (v->>0)::uuid AS id, (v->>1)::int8 AS delta, (v->>2)::int8 AS expected FROM jsonb_array_elements($2::text::jsonb) AS b(v)) AS d
  WHERE a.id = d.id
  RETURNING a.id, a.balance AS stored, d.expected
), requests AS (
  INSERT INTO wallet_requests (brand_id, id, kind, player_id, amount, status, details, request_transaction_id,
    decision_transaction_id, decided_by, reason, decided_at, created_at)
  SELECT $1, r.id, r.kind, r.player, r.amount, r.status, r.details, r.request_tx, r.decision_tx, r.decided_by, r.reason,
    CASE WHEN r.status = 'pending' THEN NULL ELSE now() END, to_timestamp(r.opened_at / 1000.0)
  FROM jsonb_to_recordset($3::text::jsonb) AS r(id text, kind text, player text, amount int8, status text, details jsonb,
    opened_at int8, request_tx uuid, decision_tx uuid, decided_by text, reason text)
  ON CONFLICT (brand_id, id) DO UPDATE SET status = excluded.status, decision_transaction_id = excluded.decision_transaction_id,
    decided_by = excluded.decided_by, reason = excluded.reason, decided_at = excluded.decided_at
), suspensions AS (
  SELECT * FROM jsonb_to_recordset($4::text::jsonb) AS s(player text, suspended boolean)
), lifted AS (
  DELETE FROM wallet_suspended_players w USING suspensions s
  WHERE w.brand_id = $1 AND w.player_id = s.player AND NOT s.suspended
), suspended AS (
  INSERT INTO wallet_suspended_players (brand_id, player_id)
  SELECT $1, s.player FROM suspensions s WHERE s.suspended
  ON CONFLICT DO NOTHING
), messages AS (
  INSERT INTO wallet_messages (brand_id, message_id, outcome, event)
  SELECT $1, m.id, m.outcome, coalesce(m.event, false) FROM jsonb_to_recordset($5::text::jsonb) AS m(id text, outcome jsonb, event boolean)
  -- a client that resends a message id gets the key's replay; the first outcome stays
  ON CONFLICT DO NOTHING
), payouts AS (
  INSERT INTO wallet_payout_accounts (brand_id, player_id, bank_name, account_number, holder)
  SELECT $1, p.player, p.name, p.account, p.holder FROM jsonb_to_recordset($6::text::jsonb) AS p(player text, name text, account text, holder text)
  ON CONFLICT (brand_id, player_id) DO UPDATE SET bank_name = excluded.bank_name, account_number = excluded.account_number,
    holder = excluded.holder, updated_at = now()
), rollings AS (
  INSERT INTO wallet_rollings (brand_id, source_transaction_id, player_id, state, rolling_id, remaining, version)
  SELECT $1, r.source, r.player, r.state, r.rolling_id, r.remaining, r.version
  FROM jsonb_to_recordset($7::text::jsonb) AS r(source uuid, player text, state text, rolling_id text, remaining int8, version int8)
  ON CONFLICT (brand_id, source_transaction_id) DO UPDATE SET state = excluded.state, rolling_id = excluded.rolling_id,
    remaining = excluded.remaining, version = excluded.version, updated_at = now()
)
SELECT CASE
  WHEN (SELECT count(*) FROM balances) <> jsonb_array_length($2::text::jsonb)
    THEN wallet_abort('${DRIFT}: an account to update is missing from the store')
  WHEN EXISTS (SELECT 1 FROM balances WHERE stored <> expected)
    THEN wallet_abort('${DRIFT}: ' || (SELECT string_agg(format('account %s holds %s in the store, %s in memory', id, stored, expected), '; ')
      FROM balances WHERE stored <> expected))
  ELSE 'settled'
END AS settled`;
