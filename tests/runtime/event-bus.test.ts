import { describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { z } from "zod";
import { type DomainEvent, type EventBus, type EventBusLimits, type EventDelivery, type EventHandler, forwardToActor } from "../../actors/runtime/event-bus.ts";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { MemoryEventBus } from "../../actors/runtime/memory-event-bus.ts";
import { RedisEventBus } from "../../actors/runtime/redis-event-bus.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";

const LIMITS: EventBusLimits = { maxDeliveries: 3, claimIdleMs: 60, retryDelayMs: 1, batchSize: 50 };

type Received = { event: DomainEvent; delivery: EventDelivery };

function event(brand: string | null, type: string, payload: Record<string, unknown> = {}): DomainEvent {
  return { id: crypto.randomUUID(), type, brand, at: Date.now(), payload };
}

function recorder(into: Received[], behave?: (event: DomainEvent, delivery: EventDelivery) => Promise<void> | void): EventHandler {
  return async (event, delivery) => {
    into.push({ event, delivery });
    await behave?.(event, delivery);
  };
}

const never = () => new Promise<void>(() => {});

async function deleteKeys(url: string, prefix: string) {
  const redis = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}

type BusTest = (name: string, fn: (bus: EventBus) => Promise<void>) => void;

const memoryTest: BusTest = (name, fn) =>
  test(name, async () => {
    const bus = new MemoryEventBus({ limits: LIMITS, trimEveryMs: 0 });
    try {
      await fn(bus);
    } finally {
      await bus.close();
    }
  });

const redisBusTest: BusTest = (name, fn) =>
  redisTest(name, async (url) => {
    const keyPrefix = `test:${crypto.randomUUID().slice(0, 8)}:`;
    const bus = new RedisEventBus({ url, keyPrefix, limits: LIMITS, trimEveryMs: 0 });
    try {
      await fn(bus);
    } finally {
      await bus.close();
      await deleteKeys(url, keyPrefix);
    }
  });

/** One suite, both buses: what a consuming domain may rely on. */
function eventBusSuite(kind: string, busTest: BusTest) {
  describe(`EventBus (${kind})`, () => {
    busTest("a subscriber gets published events, earlier and later ones, as JSON", async (bus) => {
      const brand = uniqueBrand();
      await bus.publish([event(brand, "wallet.deposited", { amount: 5000n, note: "first" })]);
      const got: Received[] = [];
      const sub = await bus.subscribe("rolling", {}, recorder(got));
      await bus.publish([event(brand, "wallet.bet_settled", { n: 2 }), event(null, "catalog.changed", { n: 3 })]);
      await waitFor(() => got.length === 3, { what: "three events" });
      expect(got.map((r) => r.event.type).sort()).toEqual(["catalog.changed", "wallet.bet_settled", "wallet.deposited"]);
      const deposited = got.find((r) => r.event.type === "wallet.deposited")!;
      expect(deposited.event.payload).toEqual({ amount: "5000", note: "first" });
      expect(deposited.event.brand).toBe(brand);
      expect(deposited.delivery).toEqual({ group: "rolling", deliveryCount: 1 });
      expect(got.find((r) => r.event.type === "catalog.changed")!.event.brand).toBeNull();
      await waitFor(async () => (await bus.stats("rolling")).pending === 0, { what: "all acknowledged" });
      await sub.stop();
    });

    busTest("two groups each get every event; two subscribers of one group share them", async (bus) => {
      const brand = uniqueBrand();
      const rolling: Received[] = [];
      const promoA: Received[] = [];
      const promoB: Received[] = [];
      const subs = [
        await bus.subscribe("rolling", {}, recorder(rolling)),
        await bus.subscribe("promotion", {}, recorder(promoA)),
        await bus.subscribe("promotion", {}, recorder(promoB)),
      ];
      const events = Array.from({ length: 20 }, (_, n) => event(brand, "wallet.bet_settled", { n }));
      for (const e of events) await bus.publish([e]);
      await waitFor(() => rolling.length === 20 && promoA.length + promoB.length >= 20, { what: "both groups" });
      expect(new Set(rolling.map((r) => r.event.id))).toEqual(new Set(events.map((e) => e.id)));
      const promoIds = [...promoA, ...promoB].map((r) => r.event.id);
      expect(promoIds.length).toBe(20);
      expect(new Set(promoIds)).toEqual(new Set(events.map((e) => e.id)));
      for (const s of subs) await s.stop();
    });

    busTest("a type filter passes prefixes and exact types; the rest is acknowledged unseen", async (bus) => {
      const brand = uniqueBrand();
      const got: Received[] = [];
      const sub = await bus.subscribe("game", { types: ["wallet.", "player.registered"] }, recorder(got));
      await bus.publish([
        event(brand, "player.logged_in"),
        event(brand, "wallet.bet_settled"),
        event(brand, "player.registered"),
        event(brand, "walletx.other"),
        event(brand, "wallet.win_settled"),
      ]);
      await waitFor(() => got.length === 3, { what: "three matching events" });
      await waitFor(async () => (await bus.stats("game")).pending === 0, { what: "filtered events acknowledged" });
      expect(got.map((r) => r.event.type)).toEqual(["wallet.bet_settled", "player.registered", "wallet.win_settled"]);
      await sub.stop();
    });

    busTest("events of one brand arrive in publish order", async (bus) => {
      const [a, b] = [uniqueBrand(), uniqueBrand()];
      const got: Received[] = [];
      const sub = await bus.subscribe("admin", {}, recorder(got));
      for (let batch = 0; batch < 10; batch++) {
        const events = Array.from({ length: 10 }, (_, i) => event(i % 2 ? a : b, "wallet.bet_settled", { n: batch * 10 + i }));
        await bus.publish(events);
      }
      await waitFor(() => got.length === 100, { what: "100 events" });
      for (const brand of [a, b]) {
        const order = got.filter((r) => r.event.brand === brand).map((r) => r.event.payload.n as number);
        expect(order.length).toBe(50);
        expect(order).toEqual([...order].sort((x, y) => x - y));
      }
      await sub.stop();
    });

    busTest("an event a stopped (crashed) subscriber held goes to the next subscriber of its group", async (bus) => {
      const brand = uniqueBrand();
      const first: Received[] = [];
      const crashed = await bus.subscribe("promotion", {}, recorder(first, never));
      const e = event(brand, "wallet.bet_settled", { n: 1 });
      await bus.publish([e]);
      await waitFor(() => first.length === 1, { what: "first delivery" });
      await crashed.stop();
      expect((await bus.stats("promotion")).pending).toBe(1);

      const second: Received[] = [];
      const sub = await bus.subscribe("promotion", {}, recorder(second));
      await waitFor(() => second.length === 1, { what: "redelivery" });
      expect(second[0]!.event).toEqual(e);
      expect(second[0]!.delivery.deliveryCount).toBe(2);
      await waitFor(async () => (await bus.stats("promotion")).pending === 0, { what: "acknowledged" });
      expect(first.length).toBe(1);
      await sub.stop();
    });

    busTest("a handler that keeps failing sends its event to the dead letters after N tries", async (bus) => {
      const brand = uniqueBrand();
      const got: Received[] = [];
      const sub = await bus.subscribe(
        "rolling",
        {},
        recorder(got, (e) => {
          if (e.payload.poison) throw new Error("cannot apply");
        }),
      );
      const poison = event(brand, "wallet.bet_settled", { poison: true });
      const fine = event(brand, "wallet.bet_settled", { poison: false });
      await bus.publish([poison, fine]);
      await waitFor(() => got.some((r) => r.event.id === fine.id), { what: "the event after the poison one" });
      expect(got.filter((r) => r.event.id === poison.id).map((r) => r.delivery.deliveryCount)).toEqual([1, 2, 3]);
      const dead = await bus.deadLetters("rolling");
      expect(dead.length).toBe(1);
      expect(dead[0]).toMatchObject({ group: "rolling", deliveryCount: 3, event: poison });
      expect(dead[0]!.reason).toBe("handler failed 3 times: cannot apply");
      expect(await bus.deadLetters("promotion")).toEqual([]);
      await waitFor(async () => (await bus.stats("rolling")).pending === 0, { what: "acknowledged" });
      expect(await bus.stats("rolling")).toEqual({ pending: 0, deadLetters: 1 });
      await sub.stop();
    });

    busTest("an event whose consumers keep dying is dead-lettered without calling the handler again", async (bus) => {
      const brand = uniqueBrand();
      const e = event(brand, "wallet.bet_settled");
      await bus.publish([e]);
      const got: Received[] = [];
      for (let crash = 1; crash <= LIMITS.maxDeliveries; crash++) {
        const sub = await bus.subscribe("game", {}, recorder(got, never));
        await waitFor(() => got.length === crash, { what: `delivery ${crash}` });
        await sub.stop();
      }
      const sub = await bus.subscribe("game", {}, recorder(got));
      await waitFor(async () => (await bus.stats("game")).deadLetters === 1, { what: "dead letter" });
      expect(got.map((r) => r.delivery.deliveryCount)).toEqual([1, 2, 3]);
      expect((await bus.deadLetters("game"))[0]!.reason).toBe("delivered 3 times without an ack");
      await sub.stop();
    });

    busTest("trim drops only what every group acknowledged", async (bus) => {
      const brand = uniqueBrand();
      const fast: Received[] = [];
      const slow: Received[] = [];
      const subs = [await bus.subscribe("rolling", {}, recorder(fast)), await bus.subscribe("admin", {}, recorder(slow, never))];
      await bus.publish(Array.from({ length: 5 }, (_, n) => event(brand, "wallet.bet_settled", { n })));
      await waitFor(() => fast.length === 5 && slow.length === 1, { what: "deliveries" });
      await waitFor(async () => (await bus.stats("rolling")).pending === 0, { what: "fast group acknowledged" });
      expect(await bus.trim()).toBe(0);

      await subs[1]!.stop();
      const caughtUp: Received[] = [];
      subs.push(await bus.subscribe("admin", {}, recorder(caughtUp)));
      await waitFor(async () => caughtUp.length === 5 && (await bus.stats("admin")).pending === 0, { what: "slow group caught up" });
      expect(await bus.trim()).toBe(5);
      expect(await bus.trim()).toBe(0);
      for (const s of subs) await s.stop();
    });

    busTest("forwardToActor: the same event delivered twice is applied once", async (bus) => {
      const { system, brand, journal, applied } = await rollingActor();
      const sub = await bus.subscribe("rolling", { types: ["wallet."] }, forwardToActor(system, "rolling"));
      const bet = event(brand, "wallet.bet_settled", { amount: "300" });
      await bus.publish([bet]);
      await bus.publish([bet, event(brand, "wallet.bet_settled", { amount: "20" })]);
      await waitFor(() => journal.size === 2, { what: "two distinct events applied" });
      await waitFor(async () => (await bus.stats("rolling")).pending === 0, { what: "all three deliveries acknowledged" });
      expect(applied).toEqual([300, 20]);
      expect(journal.has(bet.id)).toBe(true);
      await sub.stop();
      await system.drain();
    });

    busTest("forwardToActor: the events of one read reach the actor together, in order", async (bus) => {
      const { system, brand, journal, applied, turns } = await rollingActor({ maxBatch: 100 });
      // published before the group reads: its first read takes all ten
      await bus.publish(Array.from({ length: 10 }, (_, n) => event(brand, "wallet.bet_settled", { amount: String(n) })));
      const sub = await bus.subscribe("rolling", { types: ["wallet."] }, forwardToActor(system, "rolling"));
      await waitFor(() => journal.size === 10, { what: "ten events applied" });
      await waitFor(async () => (await bus.stats("rolling")).pending === 0, { what: "all acknowledged" });
      expect(applied).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // told one by one, each waiting for the last, they took a turn each
      expect(turns.length).toBeLessThanOrEqual(2);
      await sub.stop();
      await system.drain();
    });

    busTest("a subscription's own batchSize bounds what one read takes", async (bus) => {
      const brand = uniqueBrand();
      await bus.publish(Array.from({ length: 10 }, (_, n) => event(brand, "wallet.bet_settled", { n })));
      const reads: number[] = [];
      const handler = Object.assign(async () => {}, { many: async (events: DomainEvent[]) => void reads.push(events.length) });
      const sub = await bus.subscribe("rolling", { batchSize: 3 }, handler);
      await waitFor(async () => (await bus.stats("rolling")).pending === 0 && reads.reduce((a, b) => a + b, 0) >= 9, { what: "the reads" });
      expect(Math.max(...reads)).toBe(3);
      await sub.stop();
    });

    busTest("a handler that fails on a read's events together gets them again one by one", async (bus) => {
      const brand = uniqueBrand();
      const received: Received[] = [];
      let together = 0;
      const handler = Object.assign(recorder(received), {
        many: async () => {
          together++;
          throw new Error("not all at once");
        },
      });
      await bus.publish([1, 2, 3].map((n) => event(brand, "wallet.bet_settled", { n })));
      const sub = await bus.subscribe("rolling", {}, handler);
      await waitFor(async () => received.length === 3 && (await bus.stats("rolling")).pending === 0, { what: "each event handled alone" });
      expect(together).toBe(1);
      expect(received.map((r) => r.event.payload.n)).toEqual([1, 2, 3]);
      await sub.stop();
    });
  });
}

/** A node hosting `rolling@<brand>`, with what its actor applied, journaled, and how many messages each turn took. */
async function rollingActor(options: { maxBatch?: number } = {}) {
  const journal = new Map<string, Outcome>();
  const applied: number[] = [];
  const turns: number[] = [];
  const system = new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 50 }),
    nodeId: "events-node",
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 1000,
    maxQueued: 100,
    idleMs: 60_000,
  }).register({ ...rollingKind(journal, applied, turns), maxBatch: options.maxBatch });
  await system.start();
  const brand = uniqueBrand();
  await system.host("rolling", brand);
  return { system, brand, journal, applied, turns };
}

/** A consuming actor journaling message ids, as shard actors do in their transaction. */
function rollingKind(journal: Map<string, Outcome>, applied: number[], turns: number[]): ActorKind {
  return {
    domain: "rolling",
    scope: "brand",
    messages: { "wallet.bet_settled": z.object({ amount: z.string() }) },
    create: () => ({
      recall: async (ids) => new Map(ids.filter((id) => journal.has(id)).map((id) => [id, journal.get(id)!])),
      receive: async (batch) => {
        turns.push(batch.length);
        return batch.map((m) => {
          applied.push(Number((m.body as { amount: string }).amount));
          const outcome = ok({ applied: true });
          journal.set(m.id, outcome);
          return outcome;
        });
      },
    }),
  };
}

eventBusSuite("memory", memoryTest);
eventBusSuite("redis", redisBusTest);

describe("RedisEventBus", () => {
  redisTest("a brand's first event wakes a blocked subscriber at once, on its hash-tagged stream", async (url) => {
    const keyPrefix = `test:${crypto.randomUUID().slice(0, 8)}:`;
    const bus = new RedisEventBus({ url, keyPrefix, blockMs: 30_000, refreshEveryMs: 60_000, trimEveryMs: 0, limits: { ...LIMITS, claimIdleMs: 120_000 } });
    try {
      const got: Received[] = [];
      const sub = await bus.subscribe("rolling", {}, recorder(got));
      await bus.publish([event(uniqueBrand(), "wallet.deposited")]); // the reader now blocks on this stream too
      await waitFor(() => got.length === 1, { what: "first brand", timeoutMs: 3000 });
      const brand = uniqueBrand();
      const started = Date.now();
      await bus.publish([event(brand, "wallet.deposited")]);
      await waitFor(() => got.length === 2, { what: "new brand stream", timeoutMs: 3000 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await bus.redis.exists(`evt:{${brand}}`)).toBe(1);
      expect(await bus.redis.sismember("evt:streams", `evt:{${brand}}`)).toBe(1);
      await sub.stop();
    } finally {
      await bus.close();
      await deleteKeys(url, keyPrefix);
    }
  });

  redisTest("trim forgets consumers of stopped subscribers, unless they hold events", async (url) => {
    const keyPrefix = `test:${crypto.randomUUID().slice(0, 8)}:`;
    const bus = new RedisEventBus({ url, keyPrefix, trimEveryMs: 0, staleConsumerMs: 0, limits: { ...LIMITS, claimIdleMs: 120_000 } });
    try {
      const stream = `evt:{${uniqueBrand()}}`;
      const consumers = async (group: string) => ((await bus.redis.xinfo("CONSUMERS", stream, group)) as unknown[]).length;
      await bus.publish([event(stream.slice(5, -1), "wallet.deposited")]);
      const done: Received[] = [];
      const held: Received[] = [];
      const subs = [await bus.subscribe("rolling", {}, recorder(done)), await bus.subscribe("admin", {}, recorder(held, never))];
      await waitFor(async () => done.length === 1 && held.length === 1 && (await bus.stats("rolling")).pending === 0, { what: "deliveries" });
      for (const s of subs) await s.stop();
      expect([await consumers("rolling"), await consumers("admin")]).toEqual([1, 1]);
      await bus.trim();
      expect([await consumers("rolling"), await consumers("admin")]).toEqual([0, 1]);
    } finally {
      await bus.close();
      await deleteKeys(url, keyPrefix);
    }
  });
});
