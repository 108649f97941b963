import type { Outcome } from "../runtime/errors.ts";
import type { PayoutState, RollingMark } from "./ledger.ts";
import type { Refusal } from "./refusal.ts";
import type { Turn } from "./turn.ts";

/**
 * The rolling gate (docs/architecture.md, "The wallet"), decided from the wallet's own
 * projection of the rolling domain's events, never by asking it: a credit that carries a
 * wagering requirement is awaited from its own commit, an event of its record opens or
 * closes it (decide-rolling.ts), and a withdrawal waits while any is open or awaited.
 */

/** What a credit starts: awaited until rolling answers for `source`. */
const AWAITED: RollingMark = { state: "awaited", rollingId: null, remaining: 0n, version: 0 };

/** Mark a credit the rolling domain must answer before the player may withdraw (the brand's gate on, a requirement to meet). */
export function awaitRolling(turn: Turn, outcome: Outcome, player: string, multiple: number) {
  if (!outcome.ok || !turn.settings.withdrawal.blockedWhileRolling || multiple <= 0) return;
  const credited = outcome.value as { transactionId: string; replayed: boolean };
  if (!credited.replayed) turn.setRollingMark(player, credited.transactionId, AWAITED);
}

/**
 * The gate's answer to cash leaving the player (a withdrawal, a transfer to their agent), when
 * the brand's `withdrawal.blockedWhileRolling` is on: refused `rolling_open` with what remains
 * while a requirement is open; while one is only awaited (rolling has not answered yet)
 * refused for now, not kept under the request's key.
 */
export function rollingRefusal(turn: Turn, payouts: PayoutState, leaving: "withdrawing" | "moving cash to your agent" = "withdrawing"): Refusal | null {
  if (!turn.settings.withdrawal.blockedWhileRolling) return null;
  const marks = [...payouts.rollings.values()];
  const open = marks.filter((m) => m.state === "open");
  if (open.length > 0) {
    const remaining = open.reduce((sum, m) => sum + m.remaining, 0n);
    return {
      code: "rolling_open",
      message: `wager ${remaining} more before ${leaving}: ${open.length} wagering requirement${open.length === 1 ? " is" : "s are"} open`,
      details: {
        setting: "withdrawal.blockedWhileRolling",
        remaining: remaining.toString(),
        rollings: open.map((m) => ({ id: m.rollingId, remaining: m.remaining.toString() })),
      },
    };
  }
  if (marks.some((m) => m.state === "awaited")) {
    return {
      code: "unavailable",
      message: "a deposit or bonus of yours is still being checked for its wagering requirement; retry in a moment",
      details: { setting: "withdrawal.blockedWhileRolling", retryAfterSeconds: 1 },
      transient: true,
    };
  }
  return null;
}
