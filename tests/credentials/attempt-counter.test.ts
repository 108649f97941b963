import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type AttemptCounter, MemoryAttemptCounter, RedisAttemptCounter } from "../../actors/credentials/index.ts";
import { REDIS_URL, REQUIRE_SERVICES, redisTest, waitFor } from "../support/services.ts";

/** One suite for both counters: what the sign-in throttle and the rate limits rely on. */
const counters: [string, () => AttemptCounter][] = [["memory", () => new MemoryAttemptCounter()]];
if (REDIS_URL) counters.push(["redis", () => new RedisAttemptCounter(REDIS_URL!, `attempts-${crypto.randomUUID().slice(0, 8)}:`)]);
else if (REQUIRE_SERVICES) {
  test("the redis attempt counter", () => {
    throw new Error("TEST_REQUIRE_SERVICES=1 but REDIS_URL is not set");
  });
}

describe.each(counters)("the %s attempt counter", (_kind, make) => {
  let c: AttemptCounter;
  beforeEach(() => void (c = make()));
  afterEach(() => c.close());

  test("counts hits in a window that starts at the first hit", async () => {
    const first = await c.hit("k", 60_000);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(59_000);
    expect((await c.hit("k", 1)).count).toBe(2);
    const [k, none] = await c.peek(["k", "never"]);
    expect(k!.count).toBe(2);
    // a later hit does not move the window's end
    expect(k!.resetInMs).toBeGreaterThan(59_000);
    expect(none).toEqual({ count: 0, resetInMs: 0 });
  });

  test("takes a hit back, and a count down to nothing ends the window", async () => {
    await c.hit("k", 60_000);
    await c.hit("k", 60_000);
    expect((await c.hit("k", 60_000, -1)).count).toBe(1);
    expect(await c.hit("k", 60_000, -1)).toEqual({ count: 0, resetInMs: 0 });
    expect(await c.hit("gone", 60_000, -1)).toEqual({ count: 0, resetInMs: 0 });
    expect((await c.hit("k", 60_000)).count).toBe(1);
  });

  test("a window ends on its own; clear ends it at once", async () => {
    await c.hit("short", 30);
    await waitFor(async () => (await c.peek(["short"]))[0]!.count === 0, { what: "the window to end" });
    expect((await c.hit("short", 60_000)).count).toBe(1);
    await c.hit("other", 60_000);
    await c.clear(["short", "other"]);
    expect((await c.peek(["short", "other"])).map((w) => w.count)).toEqual([0, 0]);
  });

  test("parallel hits each get their own count", async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => c.hit("busy", 60_000)));
    expect(counts.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe("the Redis counter across nodes", () => {
  redisTest("two connections under one prefix share every count", async (url) => {
    const prefix = `attempts-${crypto.randomUUID().slice(0, 8)}:`;
    const a = new RedisAttemptCounter(url, prefix);
    const b = new RedisAttemptCounter(url, prefix);
    try {
      const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit("shared", 60_000)));
      expect(new Set(counts.map((w) => w.count)).size).toBe(40);
      expect((await a.peek(["shared"]))[0]!.count).toBe(40);
      await b.clear(["shared"]);
      expect((await a.peek(["shared"]))[0]!.count).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("an unreachable Redis is `unavailable`, never an unthrottled sign-in", async () => {
    const c = new RedisAttemptCounter("redis://127.0.0.1:1", "x:");
    try {
      await expect(c.hit("k", 1000)).rejects.toMatchObject({ code: "unavailable" });
    } finally {
      await c.close();
    }
  });
});
