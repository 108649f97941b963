import { type ActingStaff, auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { depositRefusal, withdrawalRefusal } from "./cashier-limits.ts";
import { moneyEvent, WALLET_EVENTS } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import { type CashierRequest, holderOf, type RequestKind, type RequestStatus } from "./ledger.ts";
import type { Leg } from "./legs.ts";
import type { Body } from "./messages.ts";
import { applyOnce, type OnceSpec, replayOnce } from "./once.ts";
import { awaitRolling } from "./rolling-gate.ts";
import type { Turn } from "./turn.ts";

/**
 * Deposits wait for staff or recon and move nothing until approved. A withdrawal holds its
 * amount at once (cash → locked); approval pays it out (locked → clearing), rejection returns it.
 * Opening either applies the brand's limits; a withdrawal goes to the payout account the
 * wallet holds for the player.
 */

export function requestDeposit(turn: Turn, body: Body<"depositRequest">): Outcome {
  const sent = body.depositorName === undefined ? null : { depositorName: body.depositorName };
  return openRequest(turn, "deposit", body, sent, () => {
    const refusal = depositRefusal(turn, body.amount);
    return refusal ? { refusal } : { amount: body.amount, legs: [], details: sent };
  });
}

export function requestWithdrawal(turn: Turn, body: Body<"withdrawalRequest">): Outcome {
  return openRequest(turn, "withdrawal", body, null, () => {
    const refusal = withdrawalRefusal(turn, body.player, body.amount);
    if (refusal) return { refusal };
    const cash = turn.account("player", body.player, "cash");
    if (cash.balance < body.amount) {
      return { refusal: { code: "insufficient_funds", message: `withdrawal of ${body.amount} exceeds the cash balance of ${cash.balance}` } };
    }
    const legs: Leg[] = [
      { account: cash, amount: -body.amount },
      { account: turn.account("player", body.player, "locked"), amount: body.amount },
    ];
    const payoutAccount = turn.payoutsOf(body.player).account;
    return { amount: body.amount, legs, details: payoutAccount === null ? null : { bankAccount: payoutAccount } };
  });
}

/** An agent's withdrawal of its own cash: held at once (cash → locked), like a player's; no brand limits apply. */
export function requestAgentWithdrawal(turn: Turn, body: Body<"agentWithdrawalRequest">): Outcome {
  return openRequest(turn, "agent_withdrawal", { requestId: body.requestId, player: body.agent, amount: body.amount }, null, () => {
    const cash = turn.account("agent", body.agent, "cash");
    if (cash.balance < body.amount) {
      return { refusal: { code: "insufficient_funds", message: `withdrawal of ${body.amount} exceeds the cash balance of ${cash.balance}` } };
    }
    const legs: Leg[] = [
      { account: cash, amount: -body.amount },
      { account: turn.account("agent", body.agent, "locked"), amount: body.amount },
    ];
    return { amount: body.amount, legs };
  });
}

/**
 * The approval's event names the multiple the rolling domain applies to it, as the brand had
 * it when decided; with a requirement to meet, the player's withdrawals wait for it.
 */
export function approveDeposit(turn: Turn, body: Body<"depositApprove">): Outcome {
  const rollingMultiple = turn.settings.rolling.depositMultiple;
  const outcome = decideRequest(turn, "deposit", "approved", body, { source: body.source }, { rollingMultiple }, (req) => [
    { account: turn.brandAccount("clearing"), amount: -req.amount },
    { account: turn.account("player", req.player, "cash"), amount: req.amount },
  ]);
  const req = turn.request(body.requestId);
  if (req) awaitRolling(turn, outcome, req.player, rollingMultiple);
  return outcome;
}

export function rejectDeposit(turn: Turn, body: Body<"depositReject">): Outcome {
  return decideRequest(turn, "deposit", "rejected", body, { reason: body.reason }, {}, () => []);
}

export function approveWithdrawal(turn: Turn, body: Body<"withdrawalApprove">): Outcome {
  return decideRequest(turn, "withdrawal", "approved", body, {}, {}, (req) => [
    { account: turn.account("player", req.player, "locked"), amount: -req.amount },
    { account: turn.brandAccount("clearing"), amount: req.amount },
  ]);
}

export function rejectWithdrawal(turn: Turn, body: Body<"withdrawalReject">): Outcome {
  return decideRequest(turn, "withdrawal", "rejected", body, { reason: body.reason }, {}, (req) => {
    turn.withdrawalRejected(req.player, req.id);
    return [
      { account: turn.account("player", req.player, "locked"), amount: -req.amount },
      { account: turn.account("player", req.player, "cash"), amount: req.amount },
    ];
  });
}

export function approveAgentWithdrawal(turn: Turn, body: Body<"agentWithdrawalApprove">): Outcome {
  return decideRequest(turn, "agent_withdrawal", "approved", body, {}, {}, (req) => [
    { account: turn.account("agent", req.player, "locked"), amount: -req.amount },
    { account: turn.brandAccount("clearing"), amount: req.amount },
  ]);
}

export function rejectAgentWithdrawal(turn: Turn, body: Body<"agentWithdrawalReject">): Outcome {
  return decideRequest(turn, "agent_withdrawal", "rejected", body, { reason: body.reason }, {}, (req) => [
    { account: turn.account("agent", req.player, "locked"), amount: -req.amount },
    { account: turn.account("agent", req.player, "cash"), amount: req.amount },
  ]);
}

/** `player`: the holder (the agent of an agent withdrawal) */
type Opening = { requestId: string; player: string; amount: bigint };
type Details = Record<string, unknown> | null;
type Plan = ReturnType<OnceSpec["plan"]> & { details?: Details };

/** `sent`: what the caller said besides player and amount (a retry must say the same); the plan adds what the wallet fills in. */
function openRequest(turn: Turn, kind: RequestKind, body: Opening, sent: Details, plan: () => Plan): Outcome {
  const key = idempotencyKeys.request(kind, body.requestId);
  const print = fingerprint(`${kind}_request`, [body.player, body.amount, JSON.stringify(sent)]);
  const known = turn.keyState(key).record;
  if (known) return replayOnce(turn, known, print, () => requestReply(turn, turn.request(body.requestId)!, known.id));
  const existing = turn.request(body.requestId);
  if (existing) return fail("duplicate_request", `request id ${body.requestId} is already used by a ${existing.kind}`);
  let details: Details = null;
  const holder = holderOf({ kind, player: body.player });
  return applyOnce(turn, {
    key,
    kind: `${kind}_request`,
    fingerprint: print,
    player: holder.kind === "player" ? holder.id : null,
    metadata: holder.kind === "player" ? { requestId: body.requestId, ...sent } : { requestId: body.requestId, agent: holder.id },
    plan: () => {
      const planned = plan();
      if ("legs" in planned) details = planned.details ?? null;
      return planned;
    },
    reply: (transactionId) => {
      const request: CashierRequest = {
        id: body.requestId,
        kind,
        player: body.player,
        amount: body.amount,
        status: "pending",
        details,
        openedAt: turn.now,
        requestTransactionId: transactionId,
        decisionTransactionId: null,
        decidedBy: null,
        reason: null,
      };
      turn.saveRequest(request);
      if (kind === "withdrawal") turn.noteWithdrawal(body.player, body.requestId, body.amount);
      return requestReply(turn, request, transactionId);
    },
    event: (rec) => [
      REQUEST_EVENTS[kind],
      moneyEvent(rec, turn.account(holder.kind, holder.id, "cash").balance, turn.currency, { requestId: body.requestId, ...holderField(holder), ...details }),
    ],
  });
}

const REQUEST_EVENTS = {
  deposit: WALLET_EVENTS.depositRequested,
  withdrawal: WALLET_EVENTS.withdrawalRequested,
  agent_withdrawal: WALLET_EVENTS.agentWithdrawalRequested,
} as const;
const DECISION_EVENTS = {
  deposit: { approved: WALLET_EVENTS.depositApproved, rejected: WALLET_EVENTS.depositRejected },
  withdrawal: { approved: WALLET_EVENTS.withdrawalApproved, rejected: WALLET_EVENTS.withdrawalRejected },
  agent_withdrawal: { approved: WALLET_EVENTS.agentWithdrawalApproved, rejected: WALLET_EVENTS.agentWithdrawalRejected },
} as const;
/** money events name a player by `player`; an agent's request names its agent besides */
const holderField = (holder: { kind: "player" | "agent"; id: string }) => (holder.kind === "agent" ? { agent: holder.id } : {});
/** the audit log's names for the decisions */
const DECISION_ACTIONS = { approved: "approve", rejected: "reject" } as const;

/**
 * A decision follows the request's state: the same decision again replays (and audits
 * nothing), the other is refused. The audit carries the request and balances as decided.
 */
function decideRequest(
  turn: Turn,
  kind: RequestKind,
  verdict: Exclude<RequestStatus, "pending">,
  body: { requestId: string; by: ActingStaff },
  extra: { reason?: string; source?: string },
  eventFields: Record<string, unknown>,
  legs: (req: CashierRequest) => Leg[],
): Outcome {
  const req = turn.request(body.requestId);
  if (!req || req.kind !== kind) return fail("not_found", `no ${kind} request ${body.requestId}`);
  if (req.status === verdict) return ok(requestReply(turn, req, req.decisionTransactionId!, true));
  if (req.status !== "pending") return fail("invalid_state", `${kind} request ${body.requestId} is already ${req.status}`);
  const { by } = body;
  const holder = holderOf(req);
  const before = { status: req.status, amount: req.amount.toString(), balance: balancesOf(turn, holder.kind, holder.id) };
  const decidedBy = by.staffId ?? by.username;
  const rec = turn.record(
    {
      key: idempotencyKeys.decision(kind, verdict, req.id),
      kind: `${kind}_${verdict === "approved" ? "approval" : "rejection"}`,
      fingerprint: fingerprint(verdict, [req.id]),
      status: "accepted",
      amount: req.amount,
      player: holder.kind === "player" ? holder.id : null,
      metadata: { requestId: req.id, staffId: by.staffId, ...holderField(holder), ...extra },
    },
    legs(req),
    (id) => {
      const decided = { ...req, status: verdict, decisionTransactionId: id, decidedBy, reason: extra.reason ?? null };
      turn.saveRequest(decided);
      return ok(requestReply(turn, decided, id));
    },
  );
  const cash = turn.account(holder.kind, holder.id, "cash").balance;
  turn.emit(DECISION_EVENTS[kind][verdict], moneyEvent(rec, cash, turn.currency, { requestId: req.id, staffId: by.staffId, ...holderField(holder), ...extra, ...eventFields }));
  const after = { status: verdict, amount: req.amount.toString(), ...extra, balance: balancesOf(turn, holder.kind, holder.id), transactionId: rec.id };
  const audit = auditEvent(by, { action: `${kind}.${DECISION_ACTIONS[verdict]}`, brand: turn.brand, target: `${kind}:${req.id}`, before, after });
  turn.emit(audit.type, audit.payload);
  return rec.outcome;
}

/** An owner's balances; agents hold cash, and locked while a withdrawal of theirs waits. */
export function balancesOf(turn: Turn, kind: "player" | "agent", id: string) {
  const balance = (type: "cash" | "bonus" | "locked") => (kind === "agent" && type === "bonus" ? "0" : turn.account(kind, id, type).balance.toString());
  return { cash: balance("cash"), bonus: balance("bonus"), locked: balance("locked"), currency: turn.currency };
}

function requestReply(turn: Turn, req: CashierRequest, transactionId: string, replayed = false) {
  const holder = holderOf(req);
  const common = { requestId: req.id, amount: req.amount.toString(), status: req.status, transactionId, balance: balancesOf(turn, holder.kind, holder.id), replayed };
  return holder.kind === "agent" ? { ...common, kind: "agent_withdrawal" as const, agent: holder.id } : { ...common, kind: req.kind, player: req.player };
}
