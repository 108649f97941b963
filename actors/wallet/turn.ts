import type { Outcome } from "../runtime/errors.ts";
import {
  type Account,
  type AccountType,
  type CashierRequest,
  type KeyState,
  type LedgerCache,
  type OwnerKind,
  ownerKey,
  type PayoutAccount,
  type PayoutState,
  type RollingMark,
  type TxRecord,
} from "./ledger.ts";
import { checkLegs, type Leg } from "./legs.ts";
import { NO_SETTINGS, SettingsUnavailable, type WalletSettings } from "./settings.ts";
import type { EventRow, PostingRow, TurnContext, TxEntry, TxRow } from "./turn-rows.ts";

export type { EventRow, PostingRow, TurnContext, TxEntry, TxRow } from "./turn-rows.ts";

/**
 * One batch being decided: reads the caches, applies each accepted decision to them at once
 * (so the next command in the batch sees it), and collects the rows the commit writes.
 * `mark`/`revert` undo everything since a mark, for all-or-nothing commands.
 */
export class Turn {
  readonly newAccounts: Account[] = [];
  readonly deltas = new Map<Account, bigint>();
  readonly transactions: TxRow[] = [];
  readonly postings: PostingRow[] = [];
  readonly requests = new Map<string, CashierRequest>();
  readonly suspensions = new Map<string, boolean>();
  /** payout accounts the batch stores, by player */
  readonly payoutAccounts = new Map<string, PayoutAccount>();
  /** wagering requirements the batch stores, by the transaction that started them */
  readonly rollingMarks = new Map<string, { player: string; mark: RollingMark }>();
  readonly events: EventRow[] = [];
  private undoLog: (() => void)[] = [];
  /** the message being decided, which `record` notes on what it records */
  private message: string | null = null;
  private redelivery = false;
  /** outcomes kept on a transaction row, by the message that recorded them */
  private readonly keptOutcomes = new Map<string, Outcome>();
  /** messages whose first outcome an earlier batch kept on a transaction row */
  private readonly keptBefore = new Set<string>();

  private readSettings: WalletSettings | undefined;

  constructor(
    readonly cache: LedgerCache,
    private readonly context: TurnContext = { settings: () => NO_SETTINGS, now: Date.now() },
  ) {}

  /** when the batch is decided (ms): the day a withdrawal counts toward */
  get now(): number {
    return this.context.now;
  }

  /** the brand's settings, read once per batch; a brand without any fails the decision that reads them (SettingsUnavailable) */
  get settings(): WalletSettings {
    this.readSettings ??= this.context.settings();
    if (!this.readSettings) throw new SettingsUnavailable(this.brand);
    return this.readSettings;
  }

  get brand() {
    return this.cache.brand;
  }
  get currency() {
    return this.cache.currency;
  }

  /** The account of an owner loaded for this batch; a new one starts at zero. */
  account(kind: OwnerKind, id: string, type: AccountType): Account {
    const accounts = this.cache.owners.get(ownerKey(kind, id));
    if (!accounts) throw new Error(`wallet bug: owner ${ownerKey(kind, id)} was not loaded before deciding`);
    let account = accounts.get(type);
    if (!account) {
      account = { id: Bun.randomUUIDv7(), ownerKind: kind, ownerId: id, type, balance: 0n, persisted: false };
      accounts.set(type, account);
    }
    return account;
  }

  brandAccount(type: "house" | "provider" | "clearing"): Account {
    return this.account("brand", this.brand, type);
  }

  /** Decide `message` next: what it records is noted as its doing. */
  deciding(message: { id: string; deliveryCount: number }) {
    this.message = message.id;
    this.redelivery = message.deliveryCount > 1;
  }

  /**
   * The outcome a redelivered message got when it recorded `rec` itself: it is answered
   * exactly as the first time (another message with the same key is a replay).
   */
  firstOutcome(rec: TxRecord): Outcome | null {
    if (this.message === null || rec.messageId !== this.message) return null;
    // recorded by an earlier delivery, its first outcome is on that row: whatever it gets now
    // needs no message row (a record of this same decision is judged by `keeps` instead)
    if (!this.keptOutcomes.has(this.message)) this.keptBefore.add(this.message);
    return this.redelivery ? rec.outcome : null;
  }

  /** True when the message's outcome is kept on a transaction row it recorded: no message row is needed. */
  keeps(message: string, outcome: Outcome | undefined): boolean {
    return this.keptBefore.has(message) || (outcome !== undefined && this.keptOutcomes.get(message) === outcome);
  }

  keyState(key: string): KeyState {
    const state = this.cache.keys.get(key);
    if (!state) throw new Error(`wallet bug: idempotency key ${key} was not loaded before deciding`);
    return state;
  }

  request(id: string): CashierRequest | null {
    const request = this.cache.requests.get(id);
    if (request === undefined) throw new Error(`wallet bug: request ${id} was not loaded before deciding`);
    return request;
  }

  /** The player's payout account and recent withdrawals, loaded for this batch. */
  payoutsOf(player: string): PayoutState {
    const state = this.cache.payouts.get(player);
    if (!state) throw new Error(`wallet bug: payouts of ${player} were not loaded before deciding`);
    return state;
  }

  setPayoutAccount(player: string, account: PayoutAccount) {
    const state = this.payoutsOf(player);
    const was = state.account;
    const drafted = this.payoutAccounts.get(player);
    state.account = account;
    this.payoutAccounts.set(player, account);
    this.undoLog.push(() => {
      state.account = was;
      if (drafted) this.payoutAccounts.set(player, drafted);
      else this.payoutAccounts.delete(player);
    });
  }

  /** Keep what the withdrawal gate knows of the requirement `source` started (loaded with the player's payouts). */
  setRollingMark(player: string, source: string, mark: RollingMark) {
    const marks = this.payoutsOf(player).rollings;
    const was = marks.get(source);
    const drafted = this.rollingMarks.get(source);
    marks.set(source, mark);
    this.rollingMarks.set(source, { player, mark });
    this.undoLog.push(() => {
      if (was) marks.set(source, was);
      else marks.delete(source);
      if (drafted) this.rollingMarks.set(source, drafted);
      else this.rollingMarks.delete(source);
    });
  }

  /** A withdrawal request of `player` opened now: it counts toward today's limits. */
  noteWithdrawal(player: string, requestId: string, amount: bigint) {
    const withdrawals = this.payoutsOf(player).withdrawals;
    withdrawals.set(requestId, { amount, openedAt: this.now, rejected: false });
    this.undoLog.push(() => void withdrawals.delete(requestId));
  }

  /** A rejected withdrawal stops counting toward its day's limits. */
  withdrawalRejected(player: string, requestId: string) {
    const recent = this.payoutsOf(player).withdrawals.get(requestId);
    if (!recent || recent.rejected) return;
    recent.rejected = true;
    this.undoLog.push(() => void (recent.rejected = false));
  }

  isSuspended(player: string): boolean {
    return this.cache.suspended.has(player);
  }

  /** Record a transaction: apply its legs, keep its rows and its reply under its key. */
  record(entry: TxEntry, legs: Leg[], reply: (transactionId: string) => Outcome): TxRecord {
    const moving = legs.filter((leg) => leg.amount !== 0n);
    checkLegs(moving);
    const id = Bun.randomUUIDv7();
    for (const leg of moving) this.move(id, leg);
    const outcome = reply(id);
    const rec: TxRecord = {
      id,
      key: entry.key,
      kind: entry.kind,
      fingerprint: entry.fingerprint,
      status: entry.status,
      outcome,
      player: entry.player,
      amount: entry.amount,
      reference: entry.reference ?? null,
      messageId: this.message,
    };
    this.push(this.transactions, { ...entry, id, reply: outcome, messageId: this.message });
    if (this.message !== null) {
      const message = this.message;
      this.keptOutcomes.set(message, outcome);
      this.undoLog.push(() => this.keptOutcomes.delete(message));
    }
    const previous = this.cache.keys.get(entry.key) ?? { record: null, settled: false, rolledBack: false };
    this.setKey(entry.key, { ...previous, record: rec });
    if (entry.status === "accepted" && entry.reference) this.markReference(entry.kind, entry.reference);
    return rec;
  }

  emit(type: string, payload: Record<string, unknown>) {
    this.push(this.events, { eventId: Bun.randomUUIDv7(), type, payload: { brand: this.brand, ...payload } });
  }

  saveRequest(request: CashierRequest) {
    const cached = this.cache.requests.get(request.id);
    const drafted = this.requests.get(request.id);
    this.cache.requests.set(request.id, request);
    this.requests.set(request.id, request);
    this.undoLog.push(() => {
      if (cached === undefined) this.cache.requests.delete(request.id);
      else this.cache.requests.set(request.id, cached);
      if (drafted) this.requests.set(request.id, drafted);
      else this.requests.delete(request.id);
    });
  }

  setSuspended(player: string, suspended: boolean) {
    const was = this.cache.suspended.has(player);
    const drafted = this.suspensions.get(player);
    if (suspended) this.cache.suspended.add(player);
    else this.cache.suspended.delete(player);
    this.suspensions.set(player, suspended);
    this.undoLog.push(() => {
      if (was) this.cache.suspended.add(player);
      else this.cache.suspended.delete(player);
      if (drafted === undefined) this.suspensions.delete(player);
      else this.suspensions.set(player, drafted);
    });
  }

  mark(): number {
    return this.undoLog.length;
  }

  revert(mark: number) {
    while (this.undoLog.length > mark) this.undoLog.pop()!();
  }

  get hasWrites(): boolean {
    return (
      this.transactions.length > 0 || this.requests.size > 0 || this.suspensions.size > 0 || this.payoutAccounts.size > 0 || this.rollingMarks.size > 0 || this.events.length > 0
    );
  }

  private move(transactionId: string, { account, amount }: Leg) {
    const before = account.balance;
    const balanceAfter = before + amount;
    if (account.ownerKind !== "brand" && balanceAfter < 0n) {
      throw new Error(`wallet bug: ${account.ownerKind} ${account.ownerId} ${account.type} would go to ${balanceAfter}`);
    }
    const delta = this.deltas.get(account);
    account.balance = balanceAfter;
    this.deltas.set(account, (delta ?? 0n) + amount);
    const inserted = !account.persisted;
    if (inserted) {
      account.persisted = true;
      this.newAccounts.push(account);
    }
    const number = ++this.cache.lastPosting;
    this.postings.push({ number, transactionId, accountId: account.id, amount, balanceAfter });
    this.undoLog.push(() => {
      this.postings.pop();
      this.cache.lastPosting = number - 1n;
      if (inserted) {
        account.persisted = false;
        this.newAccounts.pop();
      }
      account.balance = before;
      if (delta === undefined) this.deltas.delete(account);
      else this.deltas.set(account, delta);
    });
  }

  private markReference(kind: string, reference: string) {
    const cached = this.cache.keys.get(reference);
    // a round not in the cache counts its bets from the store when it is next loaded
    if (kind === "bet") return void (cached && this.countBets(reference, cached, 1, 1));
    const state = cached ?? { record: null, settled: false, rolledBack: false };
    if (kind === "win") this.setKey(reference, { ...state, settled: true });
    if (kind === "rollback") {
      this.setKey(reference, { ...state, rolledBack: true });
      const bet = state.record;
      const round = bet?.status === "accepted" && !state.rolledBack && bet.reference ? this.cache.keys.get(bet.reference) : undefined;
      if (round) this.countBets(bet!.reference!, round, 0, -1);
    }
  }

  private countBets(round: string, state: KeyState, accepted: number, standing: number) {
    const bets = state.bets ?? { accepted: 0, standing: 0 };
    this.setKey(round, { ...state, bets: { accepted: bets.accepted + accepted, standing: bets.standing + standing } });
  }

  private setKey(key: string, state: KeyState) {
    const previous = this.cache.keys.get(key);
    this.cache.keys.set(key, state);
    this.undoLog.push(() => (previous ? this.cache.keys.set(key, previous) : this.cache.keys.delete(key)));
  }

  private push<T>(rows: T[], row: T) {
    rows.push(row);
    this.undoLog.push(() => void rows.pop());
  }
}
