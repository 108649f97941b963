import type { Outcome } from "../runtime/errors.ts";

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
};

/**
 * What is known about one idempotency key: its own record, and for a bet key whether a win
 * (settled) or a rollback (rolledBack, a tombstone when the bet never came) refers to it.
 */
export type KeyState = { record: TxRecord | null; settled: boolean; rolledBack: boolean };

export type RequestKind = "deposit" | "withdrawal";
export type RequestStatus = "pending" | "approved" | "rejected";
export type CashierRequest = {
  readonly id: string;
  readonly kind: RequestKind;
  readonly player: string;
  readonly amount: bigint;
  status: RequestStatus;
  readonly details: Record<string, unknown> | null;
  readonly requestTransactionId: string;
  decisionTransactionId: string | null;
  decidedBy: string | null;
  reason: string | null;
};

export const ownerKey = (kind: OwnerKind, id: string) => `${kind}:${id}`;

/** Caches of one activation. Entries are loaded on first touch and evicted oldest first. */
export class LedgerCache {
  /** owner key → its accounts (an owner is loaded with all its accounts at once) */
  readonly owners = new Map<string, Map<AccountType, Account>>();
  readonly keys = new Map<string, KeyState>();
  /** request id → request, or null when known not to exist */
  readonly requests = new Map<string, CashierRequest | null>();
  readonly suspended = new Set<string>();
  brandActive = true;

  constructor(
    readonly brand: string,
    readonly currency: string,
    private readonly limits = { owners: 200_000, keys: 400_000, requests: 20_000 },
  ) {}

  /** Mark as recently used so eviction keeps it. */
  touchOwner(key: string): boolean {
    const accounts = this.owners.get(key);
    if (!accounts) return false;
    this.owners.delete(key);
    this.owners.set(key, accounts);
    return true;
  }

  /** Drop the least recently loaded entries; only between turns, when memory equals the store. */
  evict() {
    trim(this.owners, this.limits.owners);
    trim(this.keys, this.limits.keys);
    trim(this.requests, this.limits.requests);
  }
}

function trim<K, V>(map: Map<K, V>, limit: number) {
  if (map.size <= limit) return;
  let excess = map.size - limit;
  for (const key of map.keys()) {
    if (excess-- <= 0) break;
    map.delete(key);
  }
}
