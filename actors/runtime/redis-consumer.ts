import type { Redis } from "ioredis";
import type { Delivery, Envelope } from "./envelope.ts";
import { PoisonError } from "./failure-class.ts";
import type { Logger } from "./log.ts";
import { decodeValue } from "./redis-codec.ts";
import { MAILBOX_GROUP, type MailboxKeys } from "./redis-keys.ts";
import { NodePresence } from "./redis-node-presence.ts";
import { type ReadBatch, type StreamEntry, StreamReader } from "./redis-reader.ts";
import { type ReaderHooks, ReaderPool } from "./redis-reader-pool.ts";
import type { ReclaimReply, ScriptedRedis } from "./redis-scripts.ts";
import type { Consumer, DeliveryHandler, TransportLimits } from "./transport.ts";

/** What a consumer borrows from its transport. */
export type ConsumerContext = {
  commands: ScriptedRedis;
  keys: MailboxKeys;
  limits: TransportLimits;
  log: Logger;
  /** entries one read takes per stream */
  readCount: number;
  /** streams one cold reader connection serves before another is opened */
  keysPerReader: number;
  /** busy streams the hot reader serves */
  hotKeys: number;
  blockMs: number;
  /** a consumer of a gone node (no heartbeat), holding nothing, idle this long, is removed */
  goneConsumerMs: number;
  /** how often this node looks for what gone nodes left behind */
  cleanupEveryMs: number;
  connect(role: string): Redis;
  ensureGroups(streams: string[]): Promise<void>;
  deadLetter(address: string, streamId: string, reason: string, deliveryCount: number): Promise<void>;
  forget(consumer: RedisConsumer): void;
};

const RECLAIM_BATCH = 100;
const PIPELINE_CHUNK = 500;

/**
 * A node's consumer: a few blocking readers shared by all the mailboxes it watches, and one
 * timer that keeps the node's heartbeat, reclaims idle entries of dead consumers, trims
 * streams that saw acks, and now and then removes what nodes that are gone left behind.
 */
export class RedisConsumer implements Consumer {
  private readers: ReaderPool;
  private addressOf = new Map<string, string>();
  private ackedSinceTrim = new Set<string>();
  private timer: ReturnType<typeof setInterval>;
  private ticking = false;
  private stopped = false;
  private presence: NodePresence;
  private nextCleanup: number;

  constructor(
    readonly name: string,
    private ctx: ConsumerContext,
    private handler: DeliveryHandler,
  ) {
    const every = Math.max(10, Math.floor(ctx.limits.claimIdleMs / 2));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref?.();
    // a heartbeat outlives a few missed beats, so a slow tick is not taken for a gone node
    this.presence = new NodePresence(ctx.commands, ctx.keys, name, { heartbeatTtlMs: Math.max(3 * every, 1000), goneConsumerMs: ctx.goneConsumerMs }, ctx.log);
    this.nextCleanup = Date.now() + ctx.cleanupEveryMs;
    void this.presence.beat(0).catch((error) => ctx.log.warn("node heartbeat failed", { consumer: name, error }));
    this.readers = new ReaderPool({
      keysPerReader: ctx.keysPerReader,
      hotKeys: ctx.hotKeys,
      promoteWithinMs: 1000,
      demoteAfterMs: 30_000,
      open: (index, hooks) => this.openReader(index, hooks),
    });
  }

  /** Connections this consumer holds (its readers). */
  get connections(): number {
    return this.readers.connections;
  }

  async watch(address: string): Promise<void> {
    const { stream } = this.ctx.keys.of(address);
    if (this.stopped || this.addressOf.has(stream)) return;
    this.addressOf.set(stream, address);
    try {
      await this.ctx.ensureGroups([stream]);
    } catch (error) {
      // not watched: a later watch must try again
      if (this.addressOf.get(stream) === address) this.addressOf.delete(stream);
      throw error;
    }
    if (this.stopped || this.addressOf.get(stream) !== address) return;
    this.readers.add(stream);
  }

  async unwatch(address: string): Promise<void> {
    const { stream } = this.ctx.keys.of(address);
    this.readers.remove(stream);
    this.addressOf.delete(stream);
  }

  async ack(address: string, streamIds: string[]): Promise<void> {
    if (this.stopped || streamIds.length === 0) return;
    await this.ctx.commands.xack(this.ctx.keys.of(address).stream, MAILBOX_GROUP, ...streamIds);
    this.ackedSinceTrim.add(address);
  }

  async reclaim(): Promise<number> {
    return this.claimIdle([...this.addressOf.values()], this.ctx.limits.claimIdleMs);
  }

  async claimNow(addresses: string[]): Promise<number> {
    return this.claimIdle(
      addresses.filter((a) => this.addressOf.has(this.ctx.keys.of(a).stream)),
      0,
    );
  }

  private async claimIdle(addresses: string[], minIdleMs: number): Promise<number> {
    let claimed = 0;
    let round = addresses.map((address) => ({ address, start: "-" }));
    while (round.length > 0 && !this.stopped) {
      const next: typeof round = [];
      for (let i = 0; i < round.length; i += PIPELINE_CHUNK) {
        const chunk = round.slice(i, i + PIPELINE_CHUNK);
        const replies = await this.reclaimChunk(chunk, minIdleMs);
        for (const [j, { address }] of chunk.entries()) {
          const reply = replies[j];
          if (!reply || this.stopped || !this.addressOf.has(this.ctx.keys.of(address).stream)) continue;
          const [entries, nextStart] = reply;
          if (nextStart) next.push({ address, start: nextStart });
          const deliveries = await this.decoded(
            address,
            entries.map(([streamId, text, count]) => ({ streamId, text, deliveryCount: Number(count) })),
          );
          claimed += deliveries.length;
          if (deliveries.length > 0) this.hand(address, deliveries);
        }
      }
      round = next;
    }
    return claimed;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.readers.stop();
    const controls = Array.from({ length: this.readers.opened }, (_, i) => this.ctx.keys.control(this.name, i));
    if (controls.length > 0) await this.ctx.commands.del(...controls).catch(() => {});
    await this.presence.leave().catch(() => {});
    this.ctx.forget(this);
  }

  private async reclaimChunk(chunk: { address: string; start: string }[], minIdleMs: number): Promise<(ReclaimReply | undefined)[]> {
    const { commands, keys, limits, log } = this.ctx;
    const pipeline = commands.pipeline();
    const now = Date.now();
    for (const { address, start } of chunk) {
      const { stream, deadLetters } = keys.of(address);
      pipeline.mailboxReclaim(stream, deadLetters, MAILBOX_GROUP, this.name, minIdleMs, RECLAIM_BATCH, limits.maxDeliveries, now, start);
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, reply], i) => {
      if (error) log.warn("mailbox reclaim failed", { address: chunk[i]!.address, error });
      return error ? undefined : (reply as ReclaimReply);
    });
  }

  private openReader(index: number, hooks: ReaderHooks): StreamReader {
    return new StreamReader({
      ...hooks,
      connection: this.ctx.connect(`reader-${index}`),
      commands: this.ctx.commands,
      controlKey: this.ctx.keys.control(this.name, index),
      group: MAILBOX_GROUP,
      consumer: this.name,
      count: this.ctx.readCount,
      blockMs: this.ctx.blockMs,
      log: this.ctx.log,
      deliver: (batch) => this.deliver(batch),
      ensureGroups: (keys) => this.ctx.ensureGroups(keys),
    });
  }

  private async deliver({ key, entries, history }: ReadBatch): Promise<void> {
    const address = this.addressOf.get(key);
    if (!address || this.stopped) return;
    const counts = history ? await this.historyCounts(key, entries) : undefined;
    const read: EncodedDelivery[] = [];
    for (const [streamId, fields] of entries) {
      const text = fields && fieldOf(fields, "e");
      const deliveryCount = counts?.get(streamId) ?? 1;
      if (!text) await this.ctx.commands.xack(key, MAILBOX_GROUP, streamId);
      else if (deliveryCount > this.ctx.limits.maxDeliveries) {
        await this.ctx.deadLetter(address, streamId, `delivered ${deliveryCount - 1} times without an ack`, deliveryCount - 1);
      } else read.push({ streamId, text, deliveryCount });
    }
    const deliveries = await this.decoded(address, read);
    if (deliveries.length > 0) this.hand(address, deliveries);
  }

  /** Entries as deliveries; one that cannot be decoded (not JSON, too deep, no envelope) goes to the dead letters at once. */
  private async decoded(address: string, read: EncodedDelivery[]): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const { streamId, text, deliveryCount } of read) {
      try {
        deliveries.push({ streamId, envelope: decodeEnvelope(text), deliveryCount });
      } catch (error) {
        this.ctx.log.warn("undecodable mailbox entry moved to the dead letters", { address, streamId, error });
        await this.ctx.deadLetter(address, streamId, `refused: ${error instanceof Error ? error.message : String(error)}`, deliveryCount);
      }
    }
    return deliveries;
  }

  /** Delivery counts of re-read pending entries (XREADGROUP does not return them). */
  private async historyCounts(key: string, entries: StreamEntry[]): Promise<Map<string, number>> {
    const first = entries[0]![0];
    const last = entries[entries.length - 1]![0];
    const rows = (await this.ctx.commands.xpending(key, MAILBOX_GROUP, first, last, entries.length, this.name)) as [string, string, number, number][];
    return new Map(rows.map(([id, , , count]) => [id, Number(count)]));
  }

  private hand(address: string, deliveries: Delivery[]) {
    try {
      this.handler(address, deliveries);
    } catch (error) {
      this.ctx.log.error("delivery handler threw", { address, error });
    }
  }

  private async tick() {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      await this.presence.beat(this.readers.opened);
      await this.reclaim();
      await this.trimAcked();
      if (Date.now() >= this.nextCleanup) {
        this.nextCleanup = Date.now() + this.ctx.cleanupEveryMs;
        await this.presence.forgetGone([...this.addressOf.keys()]);
      }
    } catch (error) {
      this.ctx.log.warn("mailbox maintenance failed", { consumer: this.name, error });
    } finally {
      this.ticking = false;
    }
  }

  private async trimAcked() {
    const addresses = [...this.ackedSinceTrim];
    this.ackedSinceTrim.clear();
    for (let i = 0; i < addresses.length; i += PIPELINE_CHUNK) {
      const pipeline = this.ctx.commands.pipeline();
      for (const address of addresses.slice(i, i + PIPELINE_CHUNK)) pipeline.mailboxTrim(this.ctx.keys.of(address).stream, MAILBOX_GROUP);
      await pipeline.exec();
    }
  }
}

type EncodedDelivery = { streamId: string; text: string; deliveryCount: number };

/** An envelope from its stream text: well-formed JSON within the depth bound, with the fields routing needs. */
export function decodeEnvelope(text: string): Envelope {
  const envelope = decodeValue<Envelope>(text);
  if (envelope === null || typeof envelope !== "object" || typeof envelope.id !== "string" || typeof envelope.type !== "string" || typeof envelope.to !== "string") {
    throw new PoisonError("the entry is not a message envelope");
  }
  return envelope;
}

export function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
