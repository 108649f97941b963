import type { Outcome } from "../runtime/errors.ts";
import { grantBonus } from "./decide-balances.ts";
import { WALLET_EVENTS } from "./events.ts";
import type { Body } from "./messages.ts";
import type { Turn } from "./turn.ts";

type BonusAsked = Body<"promotion.bonus_requested">;

/**
 * A coupon's bonus the promotion domain asks for (`promotion.bonus_requested`): a bonus grant
 * under the redemption's id, refused (and the refusal kept under that id) while the player is
 * suspended. Every final refusal is announced, so the redemption ends refused instead of
 * being asked for again.
 */
export function grantRequestedBonus(turn: Turn, body: BonusAsked): Outcome {
  return grantBonus(turn, body, () => (turn.isSuspended(body.player) ? { code: "account_suspended", message: "the player is suspended; no bonus is granted" } : null));
}

/** Refusals that hold for the moment only: the grant is asked for again and may be made. */
const NOT_NOW: ReadonlySet<string> = new Set(["settings_unavailable", "unavailable", "timeout", "overloaded", "degraded"]);

/**
 * `wallet.bonus_refused` for a grant the wallet refuses for good (the amount out of range, a
 * suspended player, the grant's id used for another grant), with the code and message; a
 * refusal for the moment is not announced. Announced again whenever the grant is asked again.
 */
export function announceBonusRefusal(turn: Turn, body: BonusAsked, outcome: Outcome): void {
  if (outcome.ok || NOT_NOW.has(outcome.error.code)) return;
  turn.emit(WALLET_EVENTS.bonusRefused, {
    grantId: body.grantId,
    player: body.player,
    amount: body.amount.toString(),
    source: body.source ?? null,
    code: outcome.error.code,
    message: outcome.error.message,
  });
}
