/**
 * Facts recon publishes through its shard's outbox, in the same transaction as the change.
 * `depositMatched` is also recon's own work order: the approval service (its own consumer
 * group) asks the wallet to approve, so a crash between match and approval approves later, once.
 */
export const RECON_EVENTS = {
  depositMatched: "recon.deposit_matched",
  reviewOpened: "recon.review_opened",
  reviewClosed: "recon.review_closed",
  loopDown: "recon.loop_down",
  loopUp: "recon.loop_up",
} as const;

export type DepositMatched = { messageId: string; requestId: string; player: string; amount: string; how: "auto" | "manual"; by: string };

/** The wallet's events recon consumes (group "recon") to know which deposit requests are pending. */
export const WALLET_DEPOSIT_EVENTS = {
  requested: "wallet.deposit_requested",
  approved: "wallet.deposit_approved",
  rejected: "wallet.deposit_rejected",
} as const;
export const CONSUMED_EVENT_TYPES: string[] = Object.values(WALLET_DEPOSIT_EVENTS);
