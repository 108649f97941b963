import type { Redis } from "ioredis";
import type { Logger } from "./log.ts";

export type StreamEntry = [id: string, fields: string[] | null];
/** Entries read from one stream; `history` when they are the reader's own pending ones. */
export type ReadBatch = { key: string; entries: StreamEntry[]; history: boolean };

export type StreamReaderOptions = {
  /** dedicated to this reader: it spends its life blocked in XREADGROUP */
  connection: Redis;
  /** shared connection for the wake-up XADD and control acks */
  commands: Redis;
  controlKey: string;
  group: string;
  consumer: string;
  count: number;
  blockMs: number;
  log: Logger;
  deliver(batch: ReadBatch): Promise<void>;
  ensureGroups(keys: string[]): Promise<void>;
  /** after a batch was handed over; the reader is not blocked, so it may `release` keys */
  delivered?(reader: StreamReader, key: string, history: boolean): void;
  /** before each read; the reader is not blocked, so it may `release` keys */
  beforeRead?(reader: StreamReader): void;
};

const NEW_ENTRIES = ">";

/**
 * One blocking connection serving many streams: a single XREADGROUP over every stream it
 * watches plus a control stream, so changing the watch set only needs an XADD to wake it.
 * A newly watched stream is read from id 0 first (this consumer's pending entries), then `>`.
 */
export class StreamReader {
  /** stream key -> ">" or the last history id read */
  private cursors = new Map<string, string>();
  private args: string[] | undefined;
  private wakeSent = false;
  private stopped = false;
  /** reads failed in a row, for the retry's backoff and one log line per outage */
  private failures = 0;
  private loop: Promise<void> | undefined;

  constructor(private options: StreamReaderOptions) {}

  get size(): number {
    return this.cursors.size;
  }

  start() {
    this.loop = this.run();
  }

  /** Serve `key`, from its history ("0") unless the consumer already reads it (">"). */
  add(key: string, cursor = "0") {
    if (this.cursors.has(key)) return;
    this.cursors.set(key, cursor);
    this.changed();
  }

  remove(key: string) {
    if (this.cursors.delete(key)) this.changed();
  }

  /**
   * Stop serving `key` from the next read on, to hand it to another reader. Only from the
   * `delivered`/`beforeRead` hooks: the reader is then between reads, so no read of it still
   * holds the key and the next reader's deliveries cannot overtake this one's.
   */
  release(key: string) {
    if (this.cursors.delete(key)) this.args = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.connection.disconnect();
    await this.loop?.catch(() => {});
  }

  private changed() {
    this.args = undefined;
    if (this.wakeSent || this.stopped) return;
    this.wakeSent = true;
    const { commands, controlKey, log } = this.options;
    commands.xadd(controlKey, "MAXLEN", "~", "100", "*", "w", "1").catch((error) => log.warn("mailbox reader wake failed", { error }));
  }

  private commandArgs(): string[] {
    if (!this.args) {
      this.wakeSent = false;
      const { group, consumer, count, blockMs, controlKey } = this.options;
      const keys = [controlKey, ...this.cursors.keys()];
      const ids = [NEW_ENTRIES, ...this.cursors.values()];
      this.args = ["GROUP", group, consumer, "COUNT", String(count), "BLOCK", String(blockMs), "STREAMS", ...keys, ...ids];
    }
    return this.args;
  }

  private async run(): Promise<void> {
    let controlReady = false;
    while (!this.stopped) {
      this.options.beforeRead?.(this);
      let reply: unknown;
      try {
        if (!controlReady) await this.options.ensureGroups([this.options.controlKey]);
        controlReady = true;
        reply = await this.options.connection.call("XREADGROUP", ...this.commandArgs());
      } catch (error) {
        if (this.stopped) return;
        await this.recover(error);
        continue;
      }
      this.failures = 0;
      if (reply) await this.handle(reply as [string, StreamEntry[]][]);
    }
  }

  private async handle(reply: [string, StreamEntry[]][]) {
    for (const [key, entries] of reply) {
      if (key === this.options.controlKey) {
        this.ackControl(entries);
        continue;
      }
      const cursor = this.cursors.get(key);
      if (cursor === undefined) continue; // unwatched meanwhile: left pending for history or reclaim
      const history = cursor !== NEW_ENTRIES;
      if (history) {
        this.cursors.set(key, entries.length === 0 ? NEW_ENTRIES : entries[entries.length - 1]![0]);
        this.args = undefined;
      }
      if (entries.length === 0) continue;
      try {
        await this.options.deliver({ key, entries, history });
      } catch (error) {
        this.options.log.error("mailbox delivery failed", { key, error });
      }
      if (this.cursors.has(key)) this.options.delivered?.(this, key, history);
    }
  }

  private ackControl(entries: StreamEntry[]) {
    if (entries.length === 0) return;
    const { commands, controlKey, group, log } = this.options;
    commands.xack(controlKey, group, ...entries.map(([id]) => id)).catch((error) => log.warn("control ack failed", { error }));
  }

  private async recover(error: unknown) {
    if (String(error).includes("NOGROUP")) {
      // the stream is gone (Redis lost its data): make the groups again, then read its history
      await this.options.ensureGroups([this.options.controlKey, ...this.cursors.keys()]).catch(() => {});
      return;
    }
    if (this.failures++ === 0) this.options.log.warn("mailbox read failed; retrying until Redis answers", { consumer: this.options.consumer, error });
    await new Promise((resolve) => setTimeout(resolve, Math.min(400, 25 * 2 ** Math.min(this.failures, 5))));
  }
}
