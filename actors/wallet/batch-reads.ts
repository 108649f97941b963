import type { SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { Account, AccountType, CashierRequest, KeyState, OwnerKind, PayoutState, RequestKind, RequestStatus, RollingMark } from "./ledger.ts";
import { asJson } from "./ledger-reads.ts";

/** What a batch asks the store for, in one statement: owners' accounts, keys, requests, recorded outcomes, players' payouts. */
export type BatchQuestion = { owners: { kind: OwnerKind; id: string }[]; keys: string[]; requests: string[]; messages: string[]; payouts: string[] };
export type BatchAnswer = {
  accounts: Account[];
  keys: Map<string, KeyState>;
  requests: CashierRequest[];
  outcomes: Map<string, Outcome>;
  payouts: Map<string, PayoutState>;
};

type AccountJson = { id: string; owner_kind: OwnerKind; owner_id: string; type: AccountType; balance: string };
type RecordJson = {
  key: string;
  id: string;
  kind: string;
  fingerprint: string;
  status: "accepted" | "refused";
  reply: Outcome;
  player: string | null;
  amount: string;
  reference: string | null;
  message_id: string | null;
};
type MessageJson = { id: string; outcome: Outcome };
type FactJson = { reference: string; settled: boolean; rolled_back: boolean };
type RoundJson = { round: string; accepted: number; standing: number };
type RequestJson = {
  id: string;
  kind: RequestKind;
  player: string;
  amount: string;
  status: RequestStatus;
  details: Record<string, unknown> | null;
  request_tx: string;
  decision_tx: string | null;
  decided_by: string | null;
  reason: string | null;
  opened_at: string;
};
type PayoutJson = { player: string; name: string; account: string; holder: string };
type WithdrawalJson = { player: string; id: string; amount: string; opened_at: string; status: RequestStatus };
type RollingJson = { player: string; source: string; state: RollingMark["state"]; rolling_id: string | null; remaining: string; version: number };

/**
 * One round trip for everything a batch is missing. Each part is a JSON array (64-bit
 * numbers as text), so any number of rows of four kinds come back as one row.
 */
export async function readForBatch(db: SqlExecutor, brand: string, question: BatchQuestion): Promise<BatchAnswer> {
  const [row] = await db.query<{
    accounts: AccountJson[];
    records: RecordJson[];
    facts: FactJson[];
    rounds: RoundJson[];
    requests: RequestJson[];
    messages: MessageJson[];
    payouts: PayoutJson[];
    withdrawals: WithdrawalJson[];
    rollings: RollingJson[];
  }>(READ_BATCH, [brand, asJson(question.owners), asJson(question.keys), asJson(question.requests), asJson(question.messages), asJson(question.payouts)], {
    prepare: true,
  });
  const accounts = row!.accounts.map((a) => ({ id: a.id, ownerKind: a.owner_kind, ownerId: a.owner_id, type: a.type, balance: BigInt(a.balance), persisted: true }));
  const keys = new Map<string, KeyState>(question.keys.map((k) => [k, { record: null, settled: false, rolledBack: false }]));
  for (const r of row!.records) {
    keys.get(r.key)!.record = {
      id: r.id,
      key: r.key,
      kind: r.kind,
      fingerprint: r.fingerprint,
      status: r.status,
      outcome: r.reply,
      player: r.player,
      amount: BigInt(r.amount),
      reference: r.reference,
      messageId: r.message_id,
    };
  }
  for (const f of row!.facts) Object.assign(keys.get(f.reference)!, { settled: f.settled, rolledBack: f.rolled_back });
  for (const r of row!.rounds) keys.get(r.round)!.bets = { accepted: Number(r.accepted), standing: Number(r.standing) };
  const requests = row!.requests.map((r) => ({
    id: r.id,
    kind: r.kind,
    player: r.player,
    amount: BigInt(r.amount),
    status: r.status,
    details: r.details,
    openedAt: Number(r.opened_at),
    requestTransactionId: r.request_tx,
    decisionTransactionId: r.decision_tx,
    decidedBy: r.decided_by,
    reason: r.reason,
  }));
  const outcomes = new Map(row!.messages.map((m) => [m.id, m.outcome]));
  return { accounts, keys, requests, outcomes, payouts: payoutsOf(question.payouts, row!.payouts, row!.withdrawals, row!.rollings) };
}

function payoutsOf(players: string[], accounts: PayoutJson[], withdrawals: WithdrawalJson[], rollings: RollingJson[]): Map<string, PayoutState> {
  const payouts = new Map<string, PayoutState>(players.map((p) => [p, { account: null, withdrawals: new Map(), rollings: new Map() }]));
  for (const r of rollings) {
    payouts.get(r.player)!.rollings.set(r.source, { state: r.state, rollingId: r.rolling_id, remaining: BigInt(r.remaining), version: Number(r.version) });
  }
  for (const a of accounts) payouts.get(a.player)!.account = { name: a.name, account: a.account, holder: a.holder };
  for (const w of withdrawals) {
    payouts.get(w.player)!.withdrawals.set(w.id, { amount: BigInt(w.amount), openedAt: Number(w.opened_at), rejected: w.status === "rejected" });
  }
  return payouts;
}

// $1 brand, $2 owners [{kind, id}], $3 idempotency keys, $4 request ids, $5 message ids, $6 players
// whose payouts (payout account, recent withdrawals, wagering requirements) are needed (JSON arrays).
// Round keys among $3 also count the bets that refer to them, and which are not rolled back.
// Each part looks its keys up one by one (LATERAL, equality on the whole index key; OFFSET 0
// keeps the subquery from being flattened into a join): a plan that cannot turn into a scan
// of the brand's rows, whatever the statistics say (or fail to say, without autovacuum).
const KEYS = (n: number, name: string) => `jsonb_array_elements_text($${n}::text::jsonb) AS k(${name})`;
const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::int8::text`;
/** withdrawals the daily limits may count: a local day in any time zone started within them */
const WITHDRAWAL_WINDOW = "48 hours";
/** closed requirements still loaded: an event of one arriving late (a relay replays for 7 days) finds it closed */
export const CLOSED_ROLLING_WINDOW = "8 days";
const READ_BATCH = `SELECT
  (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'owner_kind', a.owner_kind, 'owner_id', a.owner_id, 'type', a.type,
      'balance', a.balance::text)), '[]')
   FROM jsonb_to_recordset($2::text::jsonb) AS o(kind text, id text)
   CROSS JOIN LATERAL (SELECT * FROM wallet_accounts a WHERE a.brand_id = $1 AND a.owner_kind = o.kind AND a.owner_id = o.id OFFSET 0) a) AS accounts,
  (SELECT COALESCE(json_agg(json_build_object('key', t.idempotency_key, 'id', t.id, 'kind', t.kind, 'fingerprint', t.fingerprint,
      'status', t.status, 'reply', t.reply, 'player', t.player_id, 'amount', t.amount::text, 'reference', t.reference,
      'message_id', t.message_id)), '[]')
   FROM ${KEYS(3, "key")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_transactions t WHERE t.brand_id = $1 AND t.idempotency_key = k.key OFFSET 0) t) AS records,
  (SELECT COALESCE(json_agg(json_build_object('reference', k.key, 'settled', f.settled, 'rolled_back', f.rolled_back)), '[]')
   FROM ${KEYS(3, "key")}
   CROSS JOIN LATERAL (SELECT bool_or(t.kind = 'win') AS settled, bool_or(t.kind = 'rollback') AS rolled_back
         FROM wallet_transactions t
         WHERE t.brand_id = $1 AND t.reference = k.key AND t.status = 'accepted' AND t.kind IN ('win', 'rollback')) f
   WHERE f.settled IS NOT NULL) AS facts,
  (SELECT COALESCE(json_agg(json_build_object('round', k.key, 'accepted', b.accepted, 'standing', b.standing)), '[]')
   FROM ${KEYS(3, "key")}
   CROSS JOIN LATERAL (SELECT count(*) AS accepted,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM wallet_transactions r
             WHERE r.brand_id = $1 AND r.reference = t.idempotency_key AND r.status = 'accepted' AND r.kind = 'rollback')) AS standing
         FROM wallet_transactions t
         WHERE t.brand_id = $1 AND t.reference = k.key AND t.status = 'accepted' AND t.kind = 'bet') b
   WHERE k.key LIKE 'round:%') AS rounds,
  (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'player', r.player_id, 'amount', r.amount::text,
      'status', r.status, 'details', r.details, 'request_tx', r.request_transaction_id, 'decision_tx', r.decision_transaction_id,
      'decided_by', r.decided_by, 'reason', r.reason, 'opened_at', ${EPOCH_MS("r.created_at")})), '[]')
   FROM ${KEYS(4, "id")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_requests r WHERE r.brand_id = $1 AND r.id = k.id OFFSET 0) r) AS requests,
  (SELECT COALESCE(json_agg(json_build_object('id', m.message_id, 'outcome', m.outcome)), '[]')
   FROM ${KEYS(5, "id")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_messages m WHERE m.brand_id = $1 AND m.message_id = k.id OFFSET 0) m) AS messages,
  (SELECT COALESCE(json_agg(json_build_object('player', k.id, 'name', a.bank_name, 'account', a.account_number, 'holder', a.holder)), '[]')
   FROM ${KEYS(6, "id")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_payout_accounts a WHERE a.brand_id = $1 AND a.player_id = k.id OFFSET 0) a) AS payouts,
  (SELECT COALESCE(json_agg(json_build_object('player', k.id, 'id', w.id, 'amount', w.amount::text, 'opened_at', ${EPOCH_MS("w.created_at")},
      'status', w.status)), '[]')
   FROM ${KEYS(6, "id")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_requests w WHERE w.player_id = k.id AND w.brand_id = $1 AND w.kind = 'withdrawal'
         AND w.created_at > now() - interval '${WITHDRAWAL_WINDOW}' OFFSET 0) w) AS withdrawals,
  (SELECT COALESCE(json_agg(json_build_object('player', k.id, 'source', r.source_transaction_id, 'state', r.state, 'rolling_id', r.rolling_id,
      'remaining', r.remaining::text, 'version', r.version)), '[]')
   FROM ${KEYS(6, "id")}
   CROSS JOIN LATERAL (SELECT * FROM wallet_rollings r WHERE r.player_id = k.id AND r.brand_id = $1
         AND (r.state <> 'closed' OR r.updated_at > now() - interval '${CLOSED_ROLLING_WINDOW}') OFFSET 0) r) AS rollings`;
