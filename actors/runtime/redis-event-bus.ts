import type { Redis } from "ioredis";
import type { DomainEvent, EventBus, EventBusLimits, EventDeadLetter, EventHandler, SubscribeOptions, Subscription } from "./event-bus.ts";
import { DEFAULT_EVENT_LIMITS, deadEventOf, encodeEvent, streamOf, subscriptionLimits } from "./event-bus.ts";
import { consume } from "./event-consume.ts";
import { createLogger, type Logger } from "./log.ts";
import { closeRedis, openRedis } from "./redis-connection.ts";
import { CONTROL, checked, deadStreamOf, fieldsOf, REGISTRY, RedisGroupReader } from "./redis-event-reader.ts";

/** Delete a group's consumers that hold nothing and did not read for ARGV[2] ms, atomically. */
const FORGET_IDLE_CONSUMERS = `
local forgotten = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if tonumber(f['pending']) == 0 and tonumber(f['idle']) >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    forgotten = forgotten + 1
  end
end
return forgotten`;

export type RedisEventBusOptions = {
  url: string;
  /** prepended to every key (tests isolate with a unique one) */
  keyPrefix?: string;
  limits?: Partial<EventBusLimits>;
  log?: Logger;
  /** longest a subscriber's XREADGROUP blocks */
  blockMs?: number;
  /** how often a subscriber re-reads the stream registry, should a control entry go missing */
  refreshEveryMs?: number;
  /** how often `trim()` runs by itself; 0 turns it off */
  trimEveryMs?: number;
  /** `trim()` forgets consumers (stopped or crashed subscribers) holding nothing for this long */
  staleConsumerMs?: number;
};

/**
 * Events on Redis Streams: `evt:{<brand>}` per brand (`evt:{_global}` for global events),
 * consumer group per consuming domain on every stream. Each subscription holds ONE blocking
 * connection whose XREADGROUP spans all brand streams plus a control stream, so a brand's
 * first event wakes it and no loop per stream exists.
 *
 * Trimming (`trim`) uses MINID computed from every group's oldest pending entry and last
 * delivered id: MAXLEN could drop entries a slow group has not read, MINID from group state
 * never does. The cost: a stream nobody subscribed to is not trimmed, and a group that is
 * gone for good holds its streams until it is destroyed (XGROUP DESTROY).
 *
 * In Redis Cluster the multi-stream read needs the streams on one node; it runs on a single
 * Redis (or one reader per cluster node, not built).
 */
export class RedisEventBus implements EventBus {
  readonly kind = "redis" as const;
  readonly limits: EventBusLimits;
  readonly redis: Redis;
  private log: Logger;
  private subscriptions = new Set<Subscription>();
  private trimTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private options: RedisEventBusOptions) {
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...options.limits };
    this.log = options.log ?? createLogger("silent");
    this.redis = openRedis(options.url, { role: "event bus", keyPrefix: options.keyPrefix ?? "", log: this.log });
    const trimEveryMs = options.trimEveryMs ?? 60_000;
    if (trimEveryMs > 0) {
      this.trimTimer = setInterval(() => void this.trim().catch((error) => this.log.warn("event trim failed", { error })), trimEveryMs);
      this.trimTimer.unref?.();
    }
  }

  async publish(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const streams = [...new Set(events.map((e) => streamOf(e.brand)))];
    const pipe = this.redis.pipeline();
    for (const s of streams) pipe.sadd(REGISTRY, s);
    for (const e of events) pipe.xadd(streamOf(e.brand), "*", "t", e.type, "e", encodeEvent(e));
    const results = checked(await pipe.exec());
    const added = streams.filter((_, i) => results[i] === 1);
    if (added.length === 0) return;
    const wake = this.redis.pipeline();
    for (const s of added) wake.xadd(CONTROL, "MAXLEN", "~", 1000, "*", "s", s);
    checked(await wake.exec());
  }

  async subscribe(group: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    const blocking = openRedis(this.options.url, { role: `event reader ${group}`, keyPrefix: this.options.keyPrefix ?? "", log: this.log });
    const reader = new RedisGroupReader(this.redis, blocking, group, crypto.randomUUID(), {
      keyPrefix: this.options.keyPrefix ?? "",
      refreshEveryMs: this.options.refreshEveryMs ?? 5000,
      log: this.log,
    });
    try {
      await reader.prepare();
    } catch (error) {
      await reader.close();
      throw error;
    }
    const blockMs = this.options.blockMs ?? 5000;
    const sub = consume(reader, handler, { group, types: options.types, limits: subscriptionLimits(this.limits, options), blockMs, log: this.log });
    this.subscriptions.add(sub);
    return {
      stop: async () => {
        this.subscriptions.delete(sub);
        await sub.stop();
      },
    };
  }

  async stats(group: string) {
    const streams = await this.redis.smembers(REGISTRY);
    const pipe = this.redis.pipeline();
    for (const s of streams) pipe.xpending(s, group).xlen(deadStreamOf(s, group));
    const replies = (await pipe.exec()) ?? [];
    let pending = 0;
    let deadLetters = 0;
    replies.forEach(([error, reply], i) => {
      if (error) return; // no group on that stream yet
      if (i % 2 === 0) pending += Number((reply as [number])[0]);
      else deadLetters += Number(reply);
    });
    return { pending, deadLetters };
  }

  async deadLetters(group: string, limit = 100): Promise<EventDeadLetter[]> {
    const streams = await this.redis.smembers(REGISTRY);
    const pipe = this.redis.pipeline();
    for (const s of streams) pipe.xrange(deadStreamOf(s, group), "-", "+", "COUNT", limit);
    const replies = checked(await pipe.exec()) as [string, string[]][][];
    const letters = replies.flatMap((entries, i) => entries.map(([, fields]) => deadLetterOf(streams[i]!, group, fields)));
    return letters.sort((a, b) => a.deadAt - b.deadAt).slice(0, limit);
  }

  /** Also forgets consumers of subscribers long gone, which otherwise pile up in every group. */
  async trim(): Promise<number> {
    const streams = await this.redis.smembers(REGISTRY);
    let removed = 0;
    for (const stream of [...streams, CONTROL]) {
      const groups = ((await this.redis.xinfo("GROUPS", stream).catch(() => [])) as unknown[][]).map(fieldsOf);
      const minId = stream === CONTROL ? undefined : await this.safeMinId(stream, groups);
      if (minId) removed += Number(await this.redis.xtrim(stream, "MINID", minId));
      for (const g of groups) {
        await this.redis.eval(FORGET_IDLE_CONSUMERS, 1, stream, String(g.name), this.options.staleConsumerMs ?? 600_000);
      }
    }
    return removed;
  }

  /** The lowest id any group still needs: its oldest pending entry or the one after its last delivered. */
  private async safeMinId(stream: string, groups: Record<string, unknown>[]): Promise<string | undefined> {
    if (groups.length === 0) return undefined;
    let min: bigint | undefined;
    for (const g of groups) {
      let needed = idValue(String(g["last-delivered-id"])) + 1n;
      if (Number(g.pending) > 0) {
        // null when the group acknowledged its last pending entry since XINFO answered
        const [, oldest] = (await this.redis.xpending(stream, String(g.name))) as [number, string | null];
        if (oldest && idValue(oldest) < needed) needed = idValue(oldest);
      }
      if (min === undefined || needed < min) min = needed;
    }
    return `${min! >> 64n}-${min! & SEQ_MASK}`;
  }

  async close(): Promise<void> {
    if (this.trimTimer) clearInterval(this.trimTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await closeRedis(this.redis);
  }
}

function deadLetterOf(stream: string, group: string, fields: string[]): EventDeadLetter {
  const f = fieldsOf(fields);
  const event = deadEventOf(String(f.entry), String(f.e ?? ""));
  return { stream, entryId: String(f.entry), group, event, reason: String(f.reason), deliveryCount: Number(f.deliveries), deadAt: Number(f.at) };
}

/** A stream id `ms-seq` as one ordered number (both parts are 64-bit). */
const SEQ_MASK = (1n << 64n) - 1n;
const idValue = (id: string): bigint => {
  const [ms, seq] = id.split("-");
  return (BigInt(ms!) << 64n) | BigInt(seq ?? 0);
};
