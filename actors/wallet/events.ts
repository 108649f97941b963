import type { TxRecord } from "./ledger.ts";

/**
 * Facts the wallet publishes through the central outbox, in the same transaction as the
 * money they describe. Amounts and balances are strings of minor units.
 */
export const WALLET_EVENTS = {
  betSettled: "wallet.bet_settled",
  win: "wallet.win",
  rollback: "wallet.rollback",
  depositRequested: "wallet.deposit_requested",
  depositApproved: "wallet.deposit_approved",
  depositRejected: "wallet.deposit_rejected",
  withdrawalRequested: "wallet.withdrawal_requested",
  withdrawalApproved: "wallet.withdrawal_approved",
  withdrawalRejected: "wallet.withdrawal_rejected",
  agentWithdrawalRequested: "wallet.agent_withdrawal_requested",
  agentWithdrawalApproved: "wallet.agent_withdrawal_approved",
  agentWithdrawalRejected: "wallet.agent_withdrawal_rejected",
  bonusGranted: "wallet.bonus_granted",
  /** a grant the promotion domain asked for, refused for good (`grantId`, `code`, `message`) */
  bonusRefused: "wallet.bonus_refused",
  bonusConverted: "wallet.bonus_converted",
  bonusForfeited: "wallet.bonus_forfeited",
  adjusted: "wallet.adjusted",
  transferred: "wallet.transferred",
  /** a settlement line credited (also announced again when the line is asked for again) */
  settlementCredited: "wallet.settlement_credited",
  settlementRefused: "wallet.settlement_refused",
  reconciliationMismatch: "wallet.reconciliation_mismatch",
} as const;

/** Events of other domains the wallet takes, each as a message of its type (`startWalletFeed`). */
export const CONSUMED_EVENTS = {
  playerRegistered: "player.registered",
  bankAccountChanged: "player.bank_account_changed",
  playerSuspended: "player.suspended",
  playerReinstated: "player.reinstated",
  /** a settlement's line asking for its credit (actors/settlement), whichever domain owns it */
  settlementCreditRequested: "settlement.credit_requested",
  /** a coupon's bonus the promotion domain asks for: a bonus grant under the redemption's id */
  promotionBonusRequested: "promotion.bonus_requested",
  rollingCreated: "rolling.created",
  rollingProgressed: "rolling.progressed",
  rollingCompleted: "rolling.completed",
  rollingExpired: "rolling.expired",
  rollingCancelled: "rolling.cancelled",
} as const;

export const CONSUMED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(CONSUMED_EVENTS));

export type WalletEventType = (typeof WALLET_EVENTS)[keyof typeof WALLET_EVENTS];

/** The fields every money event carries (the brand is added when it is written). */
export type MoneyEventPayload = {
  player: string | null;
  transactionId: string;
  idempotencyKey: string;
  amount: string;
  /** the player's cash balance after the transaction */
  balance: string;
  currency: string;
  [field: string]: unknown;
};

export function moneyEvent(rec: TxRecord, balance: bigint, currency: string, extra: Record<string, unknown> = {}): MoneyEventPayload {
  return {
    player: rec.player,
    transactionId: rec.id,
    idempotencyKey: rec.key,
    amount: rec.amount.toString(),
    balance: balance.toString(),
    currency,
    ...extra,
  };
}
