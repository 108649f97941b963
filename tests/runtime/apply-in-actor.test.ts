import { afterEach, describe, expect, test } from "bun:test";
import { z } from "zod";
import { applyInActor, type DomainEvent, type Subscription } from "../../actors/runtime/event-bus.ts";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { MemoryEventBus } from "../../actors/runtime/memory-event-bus.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

/**
 * `applyInActor`: an event is asked of its actor under its id and acknowledged once applied;
 * "not now" answers make it wait without counting an attempt; refusals are retried by the bus
 * and then dead-lettered; what the runtime dead-lettered stays in the mailbox's dead letters.
 */

const LIMITS = { maxDeliveries: 3, claimIdleMs: 60_000, retryDelayMs: 1, batchSize: 50 };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An actor journaling message ids, as shard actors do; `crash` in a body makes its turn throw. */
function consumerKind(journal: Map<string, Outcome>, applied: number[]): ActorKind {
  return {
    domain: "rolling",
    scope: "brand",
    maxBatch: 100,
    messages: { "wallet.bet_settled": z.object({ amount: z.string(), crash: z.boolean().optional() }) },
    create: () => ({
      recall: async (ids) => new Map(ids.filter((id) => journal.has(id)).map((id) => [id, journal.get(id)!])),
      receive: async (batch) =>
        batch.map((m) => {
          const body = m.body as { amount: string; crash?: boolean };
          if (body.crash) throw new Error("the consumer's own bug");
          applied.push(Number(body.amount));
          const outcome = ok({ applied: true });
          journal.set(m.id, outcome);
          return outcome;
        }),
    }),
  };
}

async function setup() {
  const journal = new Map<string, Outcome>();
  const applied: number[] = [];
  const transport = new MemoryTransport({ maxDeliveries: 2, claimIdleMs: 60_000 });
  const system = new ActorSystem({
    transport,
    nodeId: `apply-${crypto.randomUUID().slice(0, 8)}`,
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 100, periodMs: 60_000 },
    askTimeoutMs: 50,
    maxQueued: 1000,
    idleMs: 60_000,
  }).register(consumerKind(journal, applied));
  await system.start();
  const bus = new MemoryEventBus({ limits: LIMITS, trimEveryMs: 0 });
  const brand = uniqueBrand();
  const subs: Subscription[] = [];
  cleanups.push(async () => {
    for (const s of subs) await s.stop();
    await bus.close();
    await system.drain();
  });
  const asks = { count: 0 };
  const counted = {
    askOutcome: (...args: Parameters<ActorSystem["askOutcome"]>) => {
      asks.count++;
      return system.askOutcome(...args);
    },
  };
  const subscribe = async () => void subs.push(await bus.subscribe("rolling", { types: ["wallet."] }, applyInActor(counted, "rolling")));
  return { system, transport, bus, brand, journal, applied, subscribe, asks };
}

const bet = (brand: string, body: Record<string, unknown>): DomainEvent => ({ id: crypto.randomUUID(), type: "wallet.bet_settled", brand, at: Date.now(), payload: body });

describe("applyInActor", () => {
  test("an event is acknowledged once applied; the same event twice is applied once", async () => {
    const { system, bus, brand, applied, subscribe } = await setup();
    await system.host("rolling", brand);
    await subscribe();
    const first = bet(brand, { amount: "300" });
    await bus.publish([first, first, bet(brand, { amount: "20" })]);
    await waitFor(async () => applied.length === 2 && (await bus.stats("rolling")).pending === 0, { what: "both applied and acknowledged" });
    expect(applied).toEqual([300, 20]);
    expect(await bus.stats("rolling")).toEqual({ pending: 0, deadLetters: 0 });
  });

  test("an actor that does not answer leaves its events waiting in the stream, unacknowledged and never dead-lettered", async () => {
    const { system, bus, brand, applied, subscribe, asks } = await setup();
    await subscribe();
    await bus.publish([bet(brand, { amount: "1" }), bet(brand, { amount: "2" }), bet(brand, { amount: "3" })]);
    // nobody hosts rolling@brand: each ask times out (50 ms) and is asked again, more often than the bus's delivery limit
    await waitFor(() => asks.count > 3 + LIMITS.maxDeliveries, { what: "asks timing out and asked again", timeoutMs: 10_000 });
    expect(await bus.stats("rolling")).toEqual({ pending: 3, deadLetters: 0 });
    await system.host("rolling", brand);
    await waitFor(async () => applied.length === 3 && (await bus.stats("rolling")).pending === 0, { what: "applied once the actor answers" });
    expect(applied).toEqual([1, 2, 3]);
    expect(await bus.deadLetters("rolling")).toEqual([]);
  });

  test("an event the actor refuses is retried with backoff, then dead-lettered by the bus; the next one goes on", async () => {
    const { system, bus, brand, applied, subscribe } = await setup();
    await system.host("rolling", brand);
    await subscribe();
    const refused = bet(brand, { amount: 12 });
    await bus.publish([refused, bet(brand, { amount: "5" })]);
    await waitFor(async () => (await bus.stats("rolling")).deadLetters === 1 && applied.length === 1, { what: "the refused event dead-lettered" });
    const [dead] = await bus.deadLetters("rolling");
    expect(dead).toMatchObject({ deliveryCount: 3, event: { id: refused.id } });
    expect(dead!.reason).toContain("validation_failed");
    expect(applied).toEqual([5]);
  });

  test("an event that keeps crashing its actor goes to the mailbox's dead letters (for a replay) and is acknowledged", async () => {
    const { system, transport, bus, brand, applied, subscribe } = await setup();
    await system.host("rolling", brand);
    await subscribe();
    const crashing = bet(brand, { amount: "7", crash: true });
    await bus.publish([crashing]);
    await waitFor(async () => (await transport.deadLetters(`rolling@${brand}`)).length === 1 && (await bus.stats("rolling")).pending === 0, { what: "the mailbox's dead letter" });
    expect((await transport.deadLetters(`rolling@${brand}`))[0]).toMatchObject({ envelope: { id: crashing.id }, reason: expect.stringContaining("the consumer's own bug") });
    expect(await bus.stats("rolling")).toEqual({ pending: 0, deadLetters: 0 });
    await bus.publish([bet(brand, { amount: "8" })]);
    await waitFor(() => applied.length === 1, { what: "the next event" });
    expect(applied).toEqual([8]);
  });
});
