import { z } from "zod";

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

export const depositMatchedSchema = z.object({
  messageId: z.string().uuid(),
  requestId: z.string().min(1).max(200),
  player: z.string().min(1).max(200),
  amount: z.string().regex(/^\d{1,19}$/),
  how: z.enum(["auto", "manual"]),
  by: z.string().max(200),
});
export type DepositMatched = z.infer<typeof depositMatchedSchema>;

/** The wallet's events recon consumes (group "recon") to know which deposit requests are pending. */
export const WALLET_DEPOSIT_EVENTS = {
  requested: "wallet.deposit_requested",
  approved: "wallet.deposit_approved",
  rejected: "wallet.deposit_rejected",
} as const;
export const CONSUMED_EVENT_TYPES: string[] = Object.values(WALLET_DEPOSIT_EVENTS);
