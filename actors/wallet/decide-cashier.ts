import { fail, ok, type Outcome } from "../runtime/errors.ts";
import { WALLET_EVENTS, moneyEvent } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import type { CashierRequest, RequestKind, RequestStatus } from "./ledger.ts";
import type { Body } from "./messages.ts";
import { applyOnce, replayOnce } from "./once.ts";
import type { Leg, Turn } from "./turn.ts";

/**
 * Deposits wait for staff or recon and move nothing until approved. A withdrawal holds its
 * amount at once (cash → locked); approval pays it out (locked → clearing), rejection returns it.
 */

export function requestDeposit(turn: Turn, body: Body<"depositRequest">): Outcome {
  const details = body.depositorName === undefined ? null : { depositorName: body.depositorName };
  return openRequest(turn, "deposit", body, details, () => ({ amount: body.amount, legs: [] }));
}

export function requestWithdrawal(turn: Turn, body: Body<"withdrawalRequest">): Outcome {
  const details = body.bankAccount === undefined ? null : { bankAccount: body.bankAccount };
  return openRequest(turn, "withdrawal", body, details, () => {
    const cash = turn.account("player", body.player, "cash");
    if (cash.balance < body.amount) {
      return { refusal: { code: "insufficient_funds", message: `withdrawal of ${body.amount} exceeds the cash balance of ${cash.balance}` } };
    }
    const legs: Leg[] = [
      { account: cash, amount: -body.amount },
      { account: turn.account("player", body.player, "locked"), amount: body.amount },
    ];
    return { amount: body.amount, legs };
  });
}

export function approveDeposit(turn: Turn, body: Body<"depositApprove">): Outcome {
  return decideRequest(turn, "deposit", "approved", body, { source: body.source }, (req) => [
    { account: turn.brandAccount("clearing"), amount: -req.amount },
    { account: turn.account("player", req.player, "cash"), amount: req.amount },
  ]);
}

export function rejectDeposit(turn: Turn, body: Body<"depositReject">): Outcome {
  return decideRequest(turn, "deposit", "rejected", body, { reason: body.reason }, () => []);
}

export function approveWithdrawal(turn: Turn, body: Body<"withdrawalApprove">): Outcome {
  return decideRequest(turn, "withdrawal", "approved", body, {}, (req) => [
    { account: turn.account("player", req.player, "locked"), amount: -req.amount },
    { account: turn.brandAccount("clearing"), amount: req.amount },
  ]);
}

export function rejectWithdrawal(turn: Turn, body: Body<"withdrawalReject">): Outcome {
  return decideRequest(turn, "withdrawal", "rejected", body, { reason: body.reason }, (req) => [
    { account: turn.account("player", req.player, "locked"), amount: -req.amount },
    { account: turn.account("player", req.player, "cash"), amount: req.amount },
  ]);
}

type Opening = { requestId: string; player: string; amount: bigint };
type Plan = ReturnType<Parameters<typeof applyOnce>[1]["plan"]>;

function openRequest(turn: Turn, kind: RequestKind, body: Opening, details: Record<string, unknown> | null, plan: () => Plan): Outcome {
  const key = idempotencyKeys.request(kind, body.requestId);
  const print = fingerprint(`${kind}_request`, [body.player, body.amount, JSON.stringify(details)]);
  const known = turn.keyState(key).record;
  if (known) return replayOnce(turn, known, print, () => requestReply(turn, turn.request(body.requestId)!, known.id));
  const existing = turn.request(body.requestId);
  if (existing) return fail("duplicate_request", `request id ${body.requestId} is already used by a ${existing.kind}`);
  return applyOnce(turn, {
    key,
    kind: `${kind}_request`,
    fingerprint: print,
    player: body.player,
    metadata: { requestId: body.requestId, ...details },
    plan,
    reply: (transactionId) => {
      const request: CashierRequest = {
        id: body.requestId,
        kind,
        player: body.player,
        amount: body.amount,
        status: "pending",
        details,
        requestTransactionId: transactionId,
        decisionTransactionId: null,
        decidedBy: null,
        reason: null,
      };
      turn.saveRequest(request);
      return requestReply(turn, request, transactionId);
    },
    event: (rec) => [
      kind === "deposit" ? WALLET_EVENTS.depositRequested : WALLET_EVENTS.withdrawalRequested,
      moneyEvent(rec, turn.account("player", body.player, "cash").balance, turn.currency, { requestId: body.requestId, ...details }),
    ],
  });
}

const DECISION_EVENTS = {
  deposit: { approved: WALLET_EVENTS.depositApproved, rejected: WALLET_EVENTS.depositRejected },
  withdrawal: { approved: WALLET_EVENTS.withdrawalApproved, rejected: WALLET_EVENTS.withdrawalRejected },
} as const;

/** A decision follows the request's state: the same decision again replays, the other is refused. */
function decideRequest(
  turn: Turn,
  kind: RequestKind,
  verdict: Exclude<RequestStatus, "pending">,
  body: { requestId: string; staffId?: string },
  extra: { reason?: string; source?: string },
  legs: (req: CashierRequest) => Leg[],
): Outcome {
  const req = turn.request(body.requestId);
  if (!req || req.kind !== kind) return fail("not_found", `no ${kind} request ${body.requestId}`);
  if (req.status === verdict) return ok(requestReply(turn, req, req.decisionTransactionId!, true));
  if (req.status !== "pending") return fail("invalid_state", `${kind} request ${body.requestId} is already ${req.status}`);
  const decidedBy = body.staffId ?? null;
  const rec = turn.record(
    {
      key: idempotencyKeys.decision(kind, verdict, req.id),
      kind: `${kind}_${verdict === "approved" ? "approval" : "rejection"}`,
      fingerprint: fingerprint(verdict, [req.id]),
      status: "accepted",
      amount: req.amount,
      player: req.player,
      metadata: { requestId: req.id, staffId: decidedBy, ...extra },
    },
    legs(req),
    (id) => {
      const decided = { ...req, status: verdict, decisionTransactionId: id, decidedBy, reason: extra.reason ?? null };
      turn.saveRequest(decided);
      return ok(requestReply(turn, decided, id));
    },
  );
  const cash = turn.account("player", req.player, "cash").balance;
  turn.emit(DECISION_EVENTS[kind][verdict], moneyEvent(rec, cash, turn.currency, { requestId: req.id, staffId: decidedBy, ...extra }));
  return rec.outcome;
}

export function balancesOf(turn: Turn, kind: "player" | "agent", id: string) {
  const balance = (type: "cash" | "bonus" | "locked") =>
    kind === "agent" && type !== "cash" ? "0" : turn.account(kind, id, type).balance.toString();
  return { cash: balance("cash"), bonus: balance("bonus"), locked: balance("locked"), currency: turn.currency };
}

function requestReply(turn: Turn, req: CashierRequest, transactionId: string, replayed = false) {
  return {
    requestId: req.id,
    kind: req.kind,
    player: req.player,
    amount: req.amount.toString(),
    status: req.status,
    transactionId,
    balance: balancesOf(turn, "player", req.player),
    replayed,
  };
}
