import type { Outcome } from "../runtime/errors.ts";
import { RecentMap } from "./recent-map.ts";

/** The wallet's in-memory view of its brand's ledger: what one writer needs to decide. */

export type OwnerKind = "player" | "agent" | "brand";
export type AccountType = "cash" | "bonus" | "locked" | "house" | "provider" | "clearing";

export type Account = {
  readonly id: string;
  readonly ownerKind: OwnerKind;
  readonly ownerId: string;
  readonly type: AccountType;
  balance: bigint;
  /** false until a batch that posts to it inserts its row */
  persisted: boolean;
};

export type TxStatus = "accepted" | "refused";

/** A recorded transaction, as idempotency and the provider rules need it. */
export type TxRecord = {
  readonly id: string;
  readonly key: string;
  readonly kind: string;
  readonly fingerprint: string;
  readonly status: TxStatus;
  readonly outcome: Outcome;
  readonly player: string | null;
  readonly amount: bigint;
  readonly reference: string | null;
  /** the message that recorded it, when one did */
  readonly messageId: string | null;
};

/**
 * What is known about one idempotency key: its own record, and for a bet key whether a win
 * (settled) or a rollback (rolledBack, a tombstone when the bet never came) refers to it.
 * A round key (the batch dialect's bets and wins refer to their round) is settled by a win
 * and counts its bets: `bets` is set on round keys only.
 */
export type KeyState = { record: TxRecord | null; settled: boolean; rolledBack: boolean; bets?: RoundBets };

/** A round's accepted bets, and how many of them are not rolled back. */
export type RoundBets = { accepted: number; standing: number };

export type RequestKind = "deposit" | "withdrawal" | "agent_withdrawal";
export type RequestStatus = "pending" | "approved" | "rejected";
export type CashierRequest = {
  readonly id: string;
  readonly kind: RequestKind;
  /** the holder: the player, or the agent of an agent withdrawal (see `holderOf`) */
  readonly player: string;
  readonly amount: bigint;
  status: RequestStatus;
  readonly details: Record<string, unknown> | null;
  /** when it was requested (ms): the day a withdrawal counts toward */
  readonly openedAt: number;
  readonly requestTransactionId: string;
  decisionTransactionId: string | null;
  decidedBy: string | null;
  reason: string | null;
};

/** The bank account a player's withdrawals are paid to, as the player domain published it. */
export type PayoutAccount = { name: string; account: string; holder: string };

/** A withdrawal of the last two days: what the daily limits count. */
export type RecentWithdrawal = { amount: bigint; openedAt: number; rejected: boolean };

/**
 * A wagering requirement as the withdrawal gate sees it (docs/architecture.md, "The wallet"):
 * awaited from the credit until the rolling domain answers, then open with what remains,
 * until closed for good. `version` is that of the last rolling event taken.
 */
export type RollingMark = { state: "awaited" | "open" | "closed"; rollingId: string | null; remaining: bigint; version: number };

/**
 * What the wallet knows of a player's payouts: the account on file, the withdrawals of the
 * last two days by request id (a local day in any time zone starts within them), and the
 * wagering requirements by the transaction that started them (those not closed, and those
 * closed lately: a late event of a closed one must find it closed).
 */
export type PayoutState = { account: PayoutAccount | null; withdrawals: Map<string, RecentWithdrawal>; rollings: Map<string, RollingMark> };

export const ownerKey = (kind: OwnerKind, id: string) => `${kind}:${id}`;

/** Whose money a request moves: an agent's for an agent withdrawal, a player's otherwise. */
export const holderOf = (request: Pick<CashierRequest, "kind" | "player">): { kind: "player" | "agent"; id: string } => ({
  kind: request.kind === "agent_withdrawal" ? "agent" : "player",
  id: request.player,
});

/** Caches of one activation: loaded on first touch, forgotten when unused for a while. */
export class LedgerCache {
  /** owner key → its accounts (an owner is loaded with all its accounts at once) */
  readonly owners: RecentMap<string, Map<AccountType, Account>>;
  readonly keys: RecentMap<string, KeyState>;
  /** request id → request, or null when known not to exist */
  readonly requests: RecentMap<string, CashierRequest | null>;
  /** player → payout account and recent withdrawals */
  readonly payouts: RecentMap<string, PayoutState>;
  readonly suspended = new Set<string>();
  brandActive = true;
  /**
   * The number of the brand's last posting decided (the stored maximum at activation): each
   * new posting takes the next. Batches commit in the order they were decided, so numbers
   * follow commit order; a failed batch leaves the instance broken, and its successor starts
   * again from what the store holds.
   */
  lastPosting = 0n;

  constructor(
    readonly brand: string,
    readonly currency: string,
    limits = { owners: 100_000, keys: 200_000, requests: 10_000, payouts: 10_000 },
  ) {
    this.owners = new RecentMap(limits.owners);
    this.keys = new RecentMap(limits.keys);
    this.requests = new RecentMap(limits.requests);
    this.payouts = new RecentMap(limits.payouts);
  }

  /** Once per commit (`WalletWriter.commit`): forget what was not used lately. */
  evict() {
    this.owners.rotate();
    this.keys.rotate();
    this.requests.rotate();
    this.payouts.rotate();
  }
}
