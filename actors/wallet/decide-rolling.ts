import { type Outcome, ok } from "../runtime/errors.ts";
import { moneyEvent, WALLET_EVENTS } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import type { Body } from "./messages.ts";
import { applyOnce } from "./once.ts";
import type { Turn } from "./turn.ts";

/**
 * The rolling domain's events as the wallet takes them (each once, under its event id): an
 * event of a record opens or closes the withdrawal gate's mark of the credit that started it
 * (rolling-gate.ts); closing a bonus record converts its bonus to cash (completed) or
 * forfeits it (expired, cancelled), once per record.
 */

type RollingEvent = Body<"rolling.created">;
export type RollingClose = "completed" | "expired" | "cancelled";

/**
 * `rolling.created` and `rolling.progressed`: an open record's mark is open with what it still
 * needs (a newer version only); a record no longer open (created already completed, progress
 * of a closed one) closes it. A closed mark stays closed.
 */
export function followRolling(turn: Turn, body: RollingEvent): Outcome {
  if (body.status !== "open") return closeMark(turn, body);
  const mark = turn.payoutsOf(body.player).rollings.get(body.source);
  if (mark?.state !== "closed" && (mark === undefined || body.version > mark.version)) {
    turn.setRollingMark(body.player, body.source, { state: "open", rollingId: body.rollingId, remaining: body.remaining, version: body.version });
  }
  return ok({ player: body.player, state: turn.payoutsOf(body.player).rollings.get(body.source)!.state });
}

/**
 * `rolling.completed`, `expired`, `cancelled`: the record's mark is closed for good, and a
 * bonus record's bonus is settled (once per record, by its key, whatever closed the mark first).
 */
export function closeRolling(close: RollingClose) {
  return (turn: Turn, body: RollingEvent & { reason?: string }): Outcome => {
    if (body.sourceKind === "bonus") settleBonus(turn, body, close);
    return closeMark(turn, body);
  };
}

function closeMark(turn: Turn, body: RollingEvent): Outcome {
  const mark = turn.payoutsOf(body.player).rollings.get(body.source);
  if (mark?.state !== "closed") {
    turn.setRollingMark(body.player, body.source, { state: "closed", rollingId: body.rollingId, remaining: body.remaining, version: body.version });
  }
  return ok({ player: body.player, state: "closed" });
}

/** The key a bonus record's settlement is kept under: one conversion or forfeit per record. */
export function bonusSettlementKey(close: RollingClose, rollingId: string): string {
  return idempotencyKeys.bonusSettlement(close, rollingId);
}

/** The record's bonus, or what is left of it in the bonus account, to cash (completed) or back to the house. */
function settleBonus(turn: Turn, body: RollingEvent & { reason?: string }, close: RollingClose) {
  const bonus = turn.account("player", body.player, "bonus");
  const amount = smaller(body.bonusAmount, bonus.balance);
  if (amount === 0n) return;
  const converts = close === "completed";
  const kind = converts ? "bonus_conversion" : "bonus_forfeit";
  const reason = converts ? null : (body.reason ?? `rolling ${close}`);
  applyOnce(turn, {
    key: bonusSettlementKey(close, body.rollingId),
    kind,
    fingerprint: fingerprint(kind, [body.player, body.rollingId]),
    player: body.player,
    metadata: { rollingId: body.rollingId, source: body.source, reason },
    plan: () => ({
      amount,
      legs: [
        { account: bonus, amount: -amount },
        { account: converts ? turn.account("player", body.player, "cash") : turn.brandAccount("house"), amount },
      ],
    }),
    reply: (transactionId) => ({ transactionId, amount: amount.toString() }),
    event: (rec) => [
      converts ? WALLET_EVENTS.bonusConverted : WALLET_EVENTS.bonusForfeited,
      moneyEvent(rec, turn.account("player", body.player, "cash").balance, turn.currency, { rollingId: body.rollingId, reason }),
    ],
  });
}

/** Math.min for bigints */
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);
