/**
 * Facts the rolling domain publishes through the shard outbox, in the same transaction as the
 * change. Every one carries the record as it stands after the change (`RollingEventPayload`),
 * so a consumer never needs an earlier one: the wallet keeps its withdrawal gate from them and
 * converts or forfeits a bonus record's bonus; agent commission and reports read progress.
 * `progressed` is written at most once a minute per record (the minute's sweep reports what
 * waited), so a busy player adds no event per bet; a record with nothing to wager is
 * announced already completed.
 */
export const ROLLING_EVENTS = {
  created: "rolling.created",
  progressed: "rolling.progressed",
  completed: "rolling.completed",
  expired: "rolling.expired",
  cancelled: "rolling.cancelled",
} as const;

export type RollingEventType = (typeof ROLLING_EVENTS)[keyof typeof ROLLING_EVENTS];

/** The wallet's events the rolling domain follows (its own group on the event bus). */
export const FOLLOWED_EVENTS = {
  depositApproved: "wallet.deposit_approved",
  bonusGranted: "wallet.bonus_granted",
  betSettled: "wallet.bet_settled",
  rollback: "wallet.rollback",
} as const;

export const FOLLOWED_EVENT_TYPES: string[] = Object.values(FOLLOWED_EVENTS);

/**
 * A record as its events carry it. Money is digit strings of minor units; `version` grows
 * with every change of the record, so a consumer keeps the newest state whatever order events
 * reach it in. `bonusAmount` is the bonus a bonus record converts or forfeits ("0" for a
 * deposit). `cancelled` adds `reason` and `by`.
 */
export type RollingEventPayload = {
  rollingId: string;
  player: string;
  sourceKind: "deposit" | "bonus";
  /** the wallet transaction that started the record */
  source: string;
  amount: string;
  bonusAmount: string;
  target: string;
  progress: string;
  remaining: string;
  status: "open" | "completed" | "expired" | "cancelled";
  version: number;
  deadlineAt: number | null;
  reason?: string;
  by?: string;
};
