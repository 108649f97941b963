import { z } from "zod";
import { SETTLEMENT_RESULT_TYPES } from "../settlement/index.ts";

/**
 * Facts the promotion domain publishes through the shard outbox, in the same transaction as
 * the change (staff changes also write `audit.recorded`). `promotion.bonus_requested` asks the
 * wallet for a coupon's bonus (the wallet grants it once under the redemption's id, and the
 * rolling domain opens its wagering requirement from the grant); the settlement's own events
 * are the settlement library's (`settlement.credit_requested`, `promotion.settlement_completed`,
 * `promotion.settlement_line_stalled`).
 */
export const PROMOTION_EVENTS = {
  couponCreated: "promotion.coupon_created",
  couponStatusChanged: "promotion.coupon_status_changed",
  redeemed: "promotion.redeemed",
  bonusRequested: "promotion.bonus_requested",
  /** the wallet refused a redemption's grant for good: the redemption is refused, its use given back */
  redemptionRefused: "promotion.redemption_refused",
  lateRollback: "promotion.late_rollback",
} as const;

/** What the wallet takes from `promotion.bonus_requested`: a bonus grant under `grantId`. */
export type BonusRequested = { grantId: string; player: string; amount: string; source: "promotion"; reason: string; rollingMultiple?: number };
/** the `source` of the wallet's grants this domain asked for */
export const GRANT_SOURCE = "promotion";

/**
 * Events of other domains `promotion@brand` takes (its own group, `promotion`): the wallet's
 * bets, wins and rollbacks (activity), deposits (deposit coupons), its bonus grants (a
 * redemption's grant made) and final refusals of them (the redemption refused), its answers to this domain's settlement lines, and the rolling
 * domain's news of bonus records (a bonus's wagering state).
 */
export const CONSUMED_EVENTS = {
  betSettled: "wallet.bet_settled",
  win: "wallet.win",
  rollback: "wallet.rollback",
  depositApproved: "wallet.deposit_approved",
  bonusGranted: "wallet.bonus_granted",
  bonusRefused: "wallet.bonus_refused",
  rollingCreated: "rolling.created",
  rollingProgressed: "rolling.progressed",
  rollingCompleted: "rolling.completed",
  rollingExpired: "rolling.expired",
  rollingCancelled: "rolling.cancelled",
} as const;

export const CONSUMED_EVENT_TYPES: readonly string[] = [...Object.values(CONSUMED_EVENTS), ...SETTLEMENT_RESULT_TYPES];

/** An event as it reaches the actor: when it happened (the local day its activity counts on) and its payload. */
export const fedEvent = z.object({ at: z.number(), payload: z.record(z.string(), z.unknown()) });
export type FedEvent = z.infer<typeof fedEvent>;
