import type { Redis } from "ioredis";
import type { GroupReader, StreamEntry } from "./event-consume.ts";
import type { Logger } from "./log.ts";

/** The set of brand streams that exist; publishers add to it, subscribers read it. */
export const REGISTRY = "evt:streams";
/** One entry per new stream: wakes blocked subscribers so they read it at once. */
export const CONTROL = "evt:control";
const DEAD_LETTER_CAP = 10_000;

/** Dead letters of a group, next to (same hash slot as) the brand stream. */
export const deadStreamOf = (stream: string, group: string) => `${stream}:dead:${group}`;

/** One subscription's side of Redis: a dedicated blocking connection plus the shared one. */
export class RedisGroupReader implements GroupReader {
  private streams: string[] = [];
  private refreshAt = 0;

  constructor(
    private redis: Redis,
    /** dedicated to the blocking read */
    private blocking: Redis,
    private group: string,
    private consumer: string,
    private options: { keyPrefix: string; refreshEveryMs: number; log: Logger },
  ) {}

  /** The control group first, then the registry: a stream added in between still wakes us. */
  async prepare(): Promise<void> {
    await createGroup(this.redis, CONTROL, this.group, "$");
    this.streams = [];
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    const members = await this.redis.smembers(REGISTRY);
    for (const s of members) {
      if (this.streams.includes(s)) continue;
      await createGroup(this.redis, s, this.group, "0"); // events published before we saw the stream count
      this.streams.push(s);
    }
    this.refreshAt = Date.now() + this.options.refreshEveryMs;
  }

  async read(count: number, blockMs: number): Promise<StreamEntry[]> {
    if (Date.now() >= this.refreshAt) await this.refresh();
    const keys = [CONTROL, ...this.streams];
    let reply: [string, [string, string[]][]][] | null;
    try {
      reply = (await this.blocking.xreadgroup("GROUP", this.group, this.consumer, "COUNT", count, "BLOCK", blockMs, "STREAMS", ...keys, ...keys.map(() => ">"))) as typeof reply;
    } catch (error) {
      if (!String(error).includes("NOGROUP")) throw error;
      await this.prepare(); // a stream was deleted and created again
      return [];
    }
    const out: StreamEntry[] = [];
    for (const [fullKey, entries] of reply ?? []) {
      const stream = fullKey.slice(this.options.keyPrefix.length);
      if (stream === CONTROL) {
        await this.redis.xack(CONTROL, this.group, ...entries.map(([id]) => id));
        this.refreshAt = 0;
        continue;
      }
      for (const [entryId, fields] of entries) out.push({ stream, entryId, data: dataOf(fields), deliveryCount: 1 });
    }
    return out;
  }

  async claim(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    if (Date.now() >= this.refreshAt) await this.refresh();
    if (this.streams.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const s of this.streams) pipe.xautoclaim(s, this.group, this.consumer, minIdleMs, "0-0", "COUNT", count);
    const claimed = (await pipe.exec()) ?? [];
    const out: StreamEntry[] = [];
    for (const [i, [error, reply]] of claimed.entries()) {
      if (error) continue;
      const entries = ((reply as [string, ([string, string[]] | null)[]])[1] ?? []).filter((e) => e !== null);
      if (entries.length === 0) continue;
      const stream = this.streams[i]!;
      const counts = await this.deliveryCounts(stream, entries[0]![0], entries.at(-1)![0], entries.length);
      for (const [entryId, fields] of entries) {
        out.push({ stream, entryId, data: dataOf(fields), deliveryCount: counts.get(entryId) ?? 2 });
      }
    }
    return out;
  }

  private async deliveryCounts(stream: string, first: string, last: string, count: number): Promise<Map<string, number>> {
    const rows = (await this.redis.xpending(stream, this.group, first, last, count * 2, this.consumer)) as [string, string, number, number][];
    return new Map(rows.map(([id, , , deliveries]) => [id, Number(deliveries)]));
  }

  async ack(stream: string, entryIds: string[]): Promise<void> {
    await this.redis.xack(stream, this.group, ...entryIds);
  }

  async deadLetter(entry: StreamEntry, group: string, reason: string): Promise<void> {
    const fields = ["entry", entry.entryId, "reason", reason, "deliveries", entry.deliveryCount, "at", Date.now(), "e", entry.data];
    const tx = this.redis.multi();
    tx.xadd(deadStreamOf(entry.stream, group), "MAXLEN", "~", DEAD_LETTER_CAP, "*", ...fields);
    tx.xack(entry.stream, group, entry.entryId);
    checked(await tx.exec());
  }

  async close(): Promise<void> {
    this.blocking.disconnect();
  }
}

async function createGroup(redis: Redis, stream: string, group: string, from: string) {
  try {
    await redis.xgroup("CREATE", stream, group, from, "MKSTREAM");
  } catch (error) {
    if (!String(error).includes("BUSYGROUP")) throw error;
  }
}

export function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

const dataOf = (fields: string[]) => String(fieldsOf(fields).e ?? "");

export function checked(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
