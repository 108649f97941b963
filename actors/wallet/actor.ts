import { type ActingStaff, auditEvent } from "../identity/index.ts";
import type { Behavior, Decided, Incoming } from "../runtime/actor.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { classifyFailure, describeFailure } from "../runtime/failure-class.ts";
import { insertOutboxEvents, type OutboxEventInput } from "../runtime/outbox-postgres.ts";
import { type CommitOrder, commitTurn, FencedError, type MessageRecord, type SealedBatch, sealBatch } from "./commit.ts";
import { CONSUMED_EVENT_TYPES } from "./events.ts";
import { LedgerCache, ownerKey } from "./ledger.ts";
import { loadBrand, loadLastPosting, loadSuspended, takeEpoch } from "./ledger-reads.ts";
import { type Body, type ReconciliationReport, UNRECORDED_TYPES } from "./messages.ts";
import type { WalletMetrics } from "./metrics.ts";
import { needsOf } from "./needs.ts";
import { prefetch } from "./prefetch.ts";
import { pendingQueue, requestsOf, statementOf } from "./queries.ts";
import { RecentMap } from "./recent-map.ts";
import { publishMismatch, reconcile } from "./reconcile.ts";
import { NO_SETTINGS, type SettingsSource } from "./settings.ts";
import { decideMessage } from "./staff-replays.ts";
import { Turn } from "./turn.ts";

/** Answered from the store once the batch committed. */
const AFTER_COMMIT = new Set(["transactions", "pendingRequests", "playerRequests", "agentRequests", "reconcile", "timer"]);
/** Redeliveries come within minutes (claim idle time × delivery limit); a day is ample. */
const MESSAGE_RETENTION = "1 day";
/** An event may be replayed while the outbox relay keeps it (7 days): its outcome outlives that. */
const EVENT_RETENTION = "8 days";
/** A credit's wagering requirement unanswered this long is an alarm. */
const STALE_ROLLING = "1 hour";
/** Outcomes of this writer's recent messages, for a client resending the same id. */
const RECENT_OUTCOMES = 50_000;

export type WriterOptions = {
  store: CentralStore;
  metrics: WalletMetrics;
  holder: string;
  /** after a commit that wrote outbox events (wakes the outbox relay) */
  onEvents?: () => void;
  /** the brand's settings the cashier enforces (none when absent: a wallet run alone); a brand it does not know is refused what needs them */
  settings?: SettingsSource;
  /** the clock the daily limits count by */
  now?: () => number;
};

/**
 * `wallet@brand`: the single writer of a brand's money. Each turn prefetches what the batch
 * needs, decides every message in order in memory, commits the whole batch in one
 * transaction under its epoch, and only then returns the outcomes. Any failure throws and
 * leaves this instance unusable: the runtime starts a fresh one, which reloads from the store.
 */
export class WalletWriter implements Behavior {
  private broken: unknown;
  /** the commit of the last decided batch: the next one answers after it */
  private lastCommit: Promise<unknown> = Promise.resolve();
  /** batches with writes numbered in this epoch, and when the last one holds the epoch row */
  private batches = 0n;
  private lastHeld: Promise<void> = Promise.resolve();
  private readonly recent = new RecentMap<string, Outcome>(RECENT_OUTCOMES);

  private constructor(
    private readonly options: WriterOptions,
    private readonly cache: LedgerCache,
    readonly epoch: bigint,
  ) {}

  static async activate(options: WriterOptions, brand: string): Promise<WalletWriter> {
    const { currency, active } = await loadBrand(options.store, brand);
    const epoch = await takeEpoch(options.store, brand, options.holder);
    const cache = new LedgerCache(brand, currency);
    cache.brandActive = active;
    cache.lastPosting = await loadLastPosting(options.store, brand);
    for (const player of await loadSuspended(options.store, brand)) cache.suspended.add(player);
    return new WalletWriter(options, cache, epoch);
  }

  /**
   * Outcomes this writer committed recently. A redelivery (delivery count above one) of a
   * message an earlier writer committed is answered from the store inside the turn, in the
   * same read as the batch's other needs; a first delivery costs no lookup.
   */
  async recall(ids: string[]): Promise<Map<string, Outcome>> {
    const known = new Map<string, Outcome>();
    for (const id of ids) {
      const outcome = this.recent.get(id);
      if (outcome) known.set(id, outcome);
    }
    return known;
  }

  async receive(batch: Incoming[]): Promise<Outcome[]> {
    return (await this.decide(batch)).committed;
  }

  /**
   * Decide a batch on the caches (which already hold every earlier batch's effects), then
   * commit it once the batch before it has committed. A failure anywhere leaves this
   * instance broken: the commits queued behind it fail without writing, and the runtime
   * starts a fresh instance, which reloads from the store.
   */
  async decide(batch: Incoming[]): Promise<Decided> {
    if (this.broken) throw this.broken;
    try {
      const committedBefore = await prefetch(this.options.store, this.cache, needsOf(this.cache.brand, batch));
      const turn = new Turn(this.cache, {
        settings: () => (this.options.settings ? this.options.settings(this.cache.brand) : NO_SETTINGS),
        now: this.options.now?.() ?? Date.now(),
      });
      const outcomes = batch.map((m) => {
        if (committedBefore.has(m.id)) return committedBefore.get(m.id);
        if (AFTER_COMMIT.has(m.type)) return undefined;
        turn.deciding(m);
        return decideMessage(turn, m);
      });
      // a message's outcome is kept: on the transaction it recorded, or else in a message row
      const decided: MessageRecord[] = [];
      for (const [i, m] of batch.entries()) {
        if (UNRECORDED_TYPES.has(m.type) || committedBefore.has(m.id)) continue;
        const record: MessageRecord = { id: m.id, outcome: outcomes[i]! };
        if (CONSUMED_EVENT_TYPES.has(m.type)) record.event = true;
        decided.push(record);
      }
      const rows = decided.filter((d) => !turn.keeps(d.id, d.outcome));
      const writes = rows.length > 0 || turn.hasWrites ? { order: this.nextOrder(), sealed: sealBatch(turn, rows) } : null;
      const committed = this.commit(this.lastCommit, writes, batch, turn, outcomes, decided);
      this.lastCommit = committed;
      return { committed };
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** The next writing batch's place in the commit order. */
  private nextOrder(): CommitOrder {
    const held = Promise.withResolvers<void>();
    held.promise.catch(() => {}); // a failure reaches the next batch through `before`
    const order = { batch: ++this.batches, before: this.lastHeld, held };
    this.lastHeld = held.promise;
    return order;
  }

  /**
   * Commit a decided batch: its rows go in while the batch before still commits (the store
   * orders the two, see `commitTurn`); it answers only after the batch before has answered.
   */
  private async commit(
    previous: Promise<unknown>,
    writes: { order: CommitOrder; sealed: SealedBatch } | null,
    batch: Incoming[],
    turn: Turn,
    outcomes: (Outcome | undefined)[],
    decided: MessageRecord[],
  ): Promise<Outcome[]> {
    try {
      if (this.broken) throw this.broken;
      if (writes) {
        const end = this.options.metrics.commitSeconds.startTimer();
        await commitTurn(this.options.store, this.epoch, writes.order, writes.sealed);
        end();
      }
      await previous;
      if (this.broken) throw this.broken;
      if (turn.events.length > 0) this.options.onEvents?.();
      this.remember(decided);
      for (const [i, m] of batch.entries()) outcomes[i] ??= await this.afterCommit(m).catch(refuseIfPoison);
      // a rotation needs a generation's worth of new entries, far more than the batches in
      // flight touch: what an uncommitted batch decided moves to the older generation at
      // most, never out, so no later batch reads it from the store before it is there
      this.cache.evict();
      this.options.metrics.batchMessages.observe(batch.length);
      return outcomes as Outcome[];
    } catch (error) {
      // a batch queued behind this one must not wait for a turn on the epoch row that never comes
      writes?.order.held.reject(error);
      throw this.fail(error);
    }
  }

  private fail(error: unknown): unknown {
    if (this.broken) return error;
    this.broken = error;
    if (error instanceof FencedError) this.options.metrics.fenced.inc({ brand: this.cache.brand });
    return error;
  }

  private remember(recorded: MessageRecord[]) {
    for (const { id, outcome } of recorded) this.recent.set(id, outcome);
    this.recent.rotate();
  }

  private async afterCommit(m: Incoming): Promise<Outcome> {
    const store = this.options.store;
    switch (m.type) {
      case "transactions": {
        const body = m.body as Body<"transactions">;
        const account = this.cache.owners.get(ownerKey(body.owner.kind, body.owner.id))?.get(body.account);
        return ok(await statementOf(store, account?.persisted ? account.id : null, body.cursor, body.limit));
      }
      case "pendingRequests": {
        const body = m.body as Body<"pendingRequests">;
        return ok(await pendingQueue(store, this.cache.brand, body.kind, body.cursor, body.limit));
      }
      case "playerRequests": {
        const body = m.body as Body<"playerRequests">;
        return ok(await requestsOf(store, this.cache.brand, body.player, body.kind, body.cursor, body.limit));
      }
      case "agentRequests": {
        const body = m.body as Body<"agentRequests">;
        return ok(await requestsOf(store, this.cache.brand, body.agent, "agent_withdrawal", body.cursor, body.limit));
      }
      case "timer":
        await store.query(
          `DELETE FROM wallet_messages WHERE brand_id = $1 AND created_at < now() - interval '${MESSAGE_RETENTION}'
             AND (NOT event OR created_at < now() - interval '${EVENT_RETENTION}')`,
          [this.cache.brand],
        );
        await this.countStaleRollings();
        return this.reconcile();
      default: {
        const body = m.body as Body<"reconcile">;
        return this.reconcile(body.by && { by: body.by, messageId: m.id });
      }
    }
  }

  /** Credits the rolling domain has not answered within the hour: an alarm (their players' withdrawals wait until it does, or staff act). */
  private async countStaleRollings() {
    const [row] = await this.options.store.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM wallet_rollings WHERE brand_id = $1 AND state = 'awaited' AND created_at < now() - interval '${STALE_ROLLING}'`,
      [this.cache.brand],
    );
    this.options.metrics.staleRollings.set({ brand: this.cache.brand }, Number(row?.n ?? 0));
  }

  /** A run staff asked for (`asked`) is audited with its result, once per message. */
  private async reconcile(asked?: { by: ActingStaff; messageId: string }): Promise<Outcome> {
    const brand = this.cache.brand;
    const report = await reconcile(this.options.store, brand);
    const problems = report.accountMismatches.length + report.unbalancedTransactions.length;
    this.options.metrics.mismatches.set({ brand }, problems);
    this.options.metrics.reconciliations.inc({ brand, result: report.ok ? "ok" : "mismatch" });
    if (!report.ok || asked) {
      await this.options.store.transaction(async (tx) => {
        if (!report.ok) await publishMismatch(tx, brand, report);
        if (asked) await insertOutboxEvents(tx, [reconciliationAudit(brand, report, asked)]);
      });
      this.options.onEvents?.();
    }
    return ok(report);
  }
}

/** The audit of a run staff asked for; its event id follows the message, so a redelivery audits nothing more. */
function reconciliationAudit(brand: string, report: ReconciliationReport, asked: { by: ActingStaff; messageId: string }): OutboxEventInput {
  const after = {
    ok: report.ok,
    accountsChecked: report.accountsChecked,
    transactionsChecked: report.transactionsChecked,
    accountMismatches: report.accountMismatches.length,
    unbalancedTransactions: report.unbalancedTransactions.length,
  };
  const { type, payload } = auditEvent(asked.by, { action: "wallet.reconcile", brand, target: `brand:${brand}`, after });
  return { id: `reconcile-audit:${brand}:${asked.messageId}`, type, brand, payload };
}

/** A read after the commit that the store refuses for its input (a cursor past int8): that message alone is refused. */
function refuseIfPoison(error: unknown): Outcome {
  if (classifyFailure(error) !== "poison") throw error;
  return fail("validation_failed", `the store refused this query: ${describeFailure(error)}`);
}
