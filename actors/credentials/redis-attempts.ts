import { Redis } from "ioredis";
import { PlatformError } from "../runtime/errors.ts";
import type { AttemptCounter, AttemptWindow } from "./attempts.ts";

/**
 * One hit, atomically: add to the count, start the window on a new key (a key that somehow
 * lost its expiry gets one again, so no counter lives forever), end it when the count falls
 * to 0. KEYS: the counter. ARGV: window ms, amount. Returns { count, ms until the window ends }.
 */
const HIT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count <= 0 then
  redis.call('DEL', KEYS[1])
  return {0, 0}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

type HitCommand = { attemptHit(key: string, windowMs: number, by: number): Promise<[number, number]> };

/**
 * The counters every node shares: one Redis key per counter under `keyPrefix`, each touched
 * alone (so Redis Cluster may place them anywhere). A Redis failure is `unavailable`: sign-in
 * waits for the counters rather than running unthrottled.
 */
export class RedisAttemptCounter implements AttemptCounter {
  private redis: Redis & HitCommand;

  constructor(
    url: string,
    private keyPrefix: string,
  ) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: "attempts" });
    // a lost connection fails the commands waiting on it (answered `unavailable`); the event itself adds nothing
    redis.on("error", () => {});
    redis.defineCommand("attemptHit", { numberOfKeys: 1, lua: HIT });
    this.redis = redis as Redis & HitCommand;
  }

  hit(key: string, windowMs: number, by = 1): Promise<AttemptWindow> {
    return this.guarded(async () => {
      const [count, resetInMs] = await this.redis.attemptHit(this.keyPrefix + key, Math.max(1, Math.ceil(windowMs)), by);
      return { count, resetInMs };
    });
  }

  peek(keys: readonly string[]): Promise<AttemptWindow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.guarded(async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.get(this.keyPrefix + key).pttl(this.keyPrefix + key);
      const replies = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => {
        const [countError, count] = replies[2 * i]!;
        const [ttlError, ttl] = replies[2 * i + 1]!;
        if (countError || ttlError) throw countError ?? ttlError;
        const n = Number(count ?? 0);
        return n > 0 && Number(ttl) > 0 ? { count: n, resetInMs: Number(ttl) } : { count: 0, resetInMs: 0 };
      });
    });
  }

  clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.guarded(async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.del(this.keyPrefix + key);
      await pipeline.exec();
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new PlatformError("unavailable", `the sign-in counters cannot be reached (${(error as Error).message}); retry shortly`, { retryAfterSeconds: 1 });
    }
  }
}
