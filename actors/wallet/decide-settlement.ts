import type { Outcome } from "../runtime/errors.ts";
import { moneyEvent, WALLET_EVENTS } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import type { Body } from "./messages.ts";
import { applyOnce, replayOnce } from "./once.ts";
import type { Turn } from "./turn.ts";

type CreditAsked = Body<"settlement.credit_requested">;

/**
 * A settlement line (actors/settlement): the house credits the owner's account once under the
 * line's id. Every ask is answered with an event the owner marks the line by: the credit when
 * it is made, the same credit again when the line is asked for again (the owner may have missed
 * the first news), and a refusal, which stays under the line's id like any other.
 */
export function creditSettlementLine(turn: Turn, body: CreditAsked): Outcome {
  const key = idempotencyKeys.settlement(body.lineId);
  const print = fingerprint("settlement_credit", [body.owner.kind, body.owner.id, body.account, body.amount]);
  const known = turn.keyState(key).record;
  if (known) {
    const outcome = replayOnce(turn, known, print, () => ({ lineId: body.lineId, transactionId: known.id, amount: known.amount.toString() }));
    if (outcome.ok) turn.emit(WALLET_EVENTS.settlementCredited, { ...lineFields(body), transactionId: known.id, amount: known.amount.toString(), replayed: true });
    else announceRefusal(turn, body, outcome);
    return outcome;
  }
  const { owner, account } = body;
  const outcome = applyOnce(turn, {
    key,
    kind: "settlement_credit",
    fingerprint: print,
    player: owner.kind === "player" ? owner.id : null,
    metadata: { ...lineFields(body), owner, account },
    plan: () => {
      if (owner.kind === "agent" && account !== "cash") return { refusal: { code: "bad_request", message: "agents hold cash only" } };
      return {
        amount: body.amount,
        legs: [
          { account: turn.brandAccount("house"), amount: -body.amount },
          { account: turn.account(owner.kind, owner.id, account), amount: body.amount },
        ],
      };
    },
    reply: (transactionId, amount) => ({ lineId: body.lineId, transactionId, amount: amount.toString() }),
    event: (rec) => [
      WALLET_EVENTS.settlementCredited,
      moneyEvent(rec, turn.account(owner.kind, owner.id, "cash").balance, turn.currency, { ...lineFields(body), owner, account, replayed: false }),
    ],
  });
  if (!outcome.ok) announceRefusal(turn, body, outcome);
  return outcome;
}

const lineFields = (body: CreditAsked) => ({ lineId: body.lineId, source: body.source, settlementId: body.settlementId, kind: body.kind });

function announceRefusal(turn: Turn, body: CreditAsked, outcome: Outcome) {
  if (outcome.ok) return;
  turn.emit(WALLET_EVENTS.settlementRefused, { ...lineFields(body), code: outcome.error.code, message: outcome.error.message });
}
