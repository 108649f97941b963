import { Cron } from "croner";
import type { DomainEvent, EventBus } from "./event-bus.ts";
import { createLogger, type Logger } from "./log.ts";

/**
 * An outbox the relay drains: a brand shard's `outbox` table or the central store's.
 * `relay` publishes unrelayed rows in order and marks exactly those relayed; when publish
 * throws nothing is marked, and rows published before a crash are published again (the
 * consumers dedupe by event id). It says whether rows may be left (it stopped at a limit),
 * so a relay that took everything is not followed by a round that finds nothing.
 */
export interface OutboxSource {
  /** unique among a relay's sources; `notify(name)` wakes it */
  readonly name: string;
  relay(limit: number, publish: (events: DomainEvent[]) => Promise<void>, now: number): Promise<Relayed>;
  /** Delete rows relayed before `before` (ms), at most `limit`. */
  purge(before: number, limit: number): Promise<number>;
  /** Rows not yet relayed. */
  backlog(): Promise<number>;
  /**
   * Mark the kept rows written at or after `from` (ms) as not relayed, so the relay publishes
   * them again (consumers dedupe by event id): for an event bus that lost what it held.
   * `brand` limits it to one brand's rows. Returns how many.
   */
  replay(from: number, brand?: string): Promise<number>;
}

/** `more`: the source stopped at a limit and may hold unrelayed rows still */
export type Relayed = { relayed: number; more: boolean };

export type OutboxRelayOptions = {
  bus: EventBus;
  log?: Logger;
  /** rows per publish */
  batchSize?: number;
  /** batches one source relays per round before other work gets a turn */
  maxBatchesPerRound?: number;
  /** croner pattern of the fallback round, for writers that did not notify */
  fallbackCron?: string;
  /** relayed rows are kept this long (for inspection and replay), then deleted */
  retentionMs?: number;
  purgeCron?: string;
  clock?: () => number;
};

const DAY_MS = 86_400_000;

/**
 * Moves events from outboxes to the event bus: at least once, in order per source. A
 * writer calls `notify(source)` after its commit so latency stays low; a croner fallback
 * round catches anything else; between the two it sleeps. One source never relays in two
 * rounds at once. Relayed rows older than the retention are purged on a schedule.
 */
export class OutboxRelay {
  private sources = new Map<string, OutboxSource>();
  private dirty = new Set<string>();
  private running = new Map<string, Promise<unknown>>();
  private round: Promise<void> | undefined;
  private crons: Cron[] = [];
  private started = false;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly clock: () => number;

  constructor(private options: OutboxRelayOptions) {
    this.log = options.log ?? createLogger("silent");
    this.batchSize = options.batchSize ?? 200;
    this.maxBatches = options.maxBatchesPerRound ?? 20;
    this.clock = options.clock ?? Date.now;
  }

  add(source: OutboxSource): this {
    if (this.sources.has(source.name)) throw new Error(`outbox source ${source.name} added twice`);
    this.sources.set(source.name, source);
    this.notify(source.name);
    return this;
  }

  remove(name: string): void {
    this.sources.delete(name);
    this.dirty.delete(name);
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  /** A commit wrote to the outbox of `name` (every source when omitted): relay soon. */
  notify(name?: string): void {
    for (const n of name === undefined ? this.sources.keys() : [name]) if (this.sources.has(n)) this.dirty.add(n);
    if (this.started) this.kick();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.crons = [
      new Cron(this.options.fallbackCron ?? "*/5 * * * * *", { unref: true, protect: true }, () => this.notify()),
      new Cron(this.options.purgeCron ?? "23 * * * *", { unref: true, protect: true }, () => this.purge().then(() => {})),
    ];
    this.notify();
  }

  /** Stop scheduling; a round in progress finishes. */
  async stop(): Promise<void> {
    this.started = false;
    for (const cron of this.crons) cron.stop();
    this.crons = [];
    await this.round;
    await Promise.allSettled(this.running.values());
  }

  /** Relay every source (or one) until it is empty; errors are thrown, not logged. */
  async relayNow(name?: string): Promise<number> {
    let total = 0;
    for (const source of this.pick(name)) {
      for (;;) {
        const { relayed, more } = await this.exclusive(source, () => this.drain(source));
        total += relayed;
        if (!more) break;
      }
    }
    return total;
  }

  /**
   * Publish again every kept row written since `from` (ms), of one brand or all: after Redis
   * lost its streams, or a projection found a gap. Rows older than the retention are gone.
   */
  async replay(from: number, options: { brand?: string; source?: string } = {}): Promise<number> {
    let total = 0;
    for (const source of this.pick(options.source)) total += await this.exclusive(source, () => source.replay(from, options.brand));
    this.log.info("outbox replay", { from: new Date(from).toISOString(), brand: options.brand ?? "(all)", rows: total });
    this.notify(options.source);
    return total;
  }

  /** Delete relayed rows older than the retention. Returns how many. */
  async purge(name?: string): Promise<number> {
    const before = this.clock() - (this.options.retentionMs ?? 7 * DAY_MS);
    let total = 0;
    for (const source of this.pick(name)) {
      try {
        for (;;) {
          const n = await source.purge(before, 1000);
          total += n;
          if (n < 1000) break;
        }
      } catch (error) {
        this.log.warn("outbox purge failed", { source: source.name, error });
      }
    }
    return total;
  }

  async backlog(): Promise<Record<string, number>> {
    const entries = await Promise.all([...this.sources.values()].map(async (s) => [s.name, await s.backlog()] as const));
    return Object.fromEntries(entries);
  }

  private pick(name?: string): OutboxSource[] {
    if (name === undefined) return [...this.sources.values()];
    const source = this.sources.get(name);
    if (!source) throw new Error(`no outbox source ${name}`);
    return [source];
  }

  private kick() {
    // a round scheduled just before stop() must not start after it (its bus may be closed)
    if (!this.started || this.round || this.dirty.size === 0) return;
    this.round = this.runRound().finally(() => {
      this.round = undefined;
      // more work (a full source, a notify during the round): next round after other tasks
      if (this.started && this.dirty.size > 0) setTimeout(() => this.kick(), 0);
    });
  }

  private async runRound(): Promise<void> {
    const names = [...this.dirty];
    this.dirty.clear();
    await Promise.all(
      names.map(async (name) => {
        const source = this.sources.get(name);
        if (!source) return;
        try {
          const { more } = await this.exclusive(source, () => this.drain(source));
          if (more) this.dirty.add(name);
        } catch (error) {
          // left unrelayed: the next notify or the fallback round tries again
          this.log.warn("outbox relay failed", { source: name, error });
        }
      }),
    );
  }

  private async drain(source: OutboxSource): Promise<{ relayed: number; more: boolean }> {
    let relayed = 0;
    for (let batch = 0; batch < this.maxBatches; batch++) {
      const round = await source.relay(this.batchSize, (events) => this.options.bus.publish(events), this.clock());
      relayed += round.relayed;
      if (!round.more) return { relayed, more: false };
    }
    return { relayed, more: true };
  }

  /** Runs `fn` after any relay of the same source in progress: one source, one relay at a time. */
  private exclusive<T>(source: OutboxSource, fn: () => Promise<T>): Promise<T> {
    const previous = this.running.get(source.name) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.running.set(
      source.name,
      next.catch(() => {}),
    );
    return next;
  }
}
