import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { ActorSystem, MemoryTransport, createLogger, ok, type ActorKind, type Outcome } from "../../actors/runtime/index.ts";

function counterKind(journal: Map<string, Outcome>, hooks: { crashOn?: (n: number) => boolean } = {}): ActorKind {
  return {
    domain: "counter",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    maxBatch: 10,
    create: () => {
      let total = 0;
      return {
        recall: async (ids) => new Map(ids.filter((id) => journal.has(id)).map((id) => [id, journal.get(id)!])),
        receive: async (batch) =>
          batch.map((m) => {
            const { n } = m.body as { n: number };
            if (hooks.crashOn?.(n)) throw new Error(`boom on ${n}`);
            total += n;
            const outcome = ok({ total });
            journal.set(m.id, outcome);
            return outcome;
          }),
      };
    },
  };
}

function system(kind: ActorKind, overrides: Partial<ConstructorParameters<typeof ActorSystem>[0]> = {}) {
  return new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 50 }),
    nodeId: "test-node",
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 1000,
    maxQueued: 100,
    idleMs: 60_000,
    ...overrides,
  }).register(kind);
}

describe("ActorSystem", () => {
  test("ask gets a typed reply, turns run in order", async () => {
    const sys = system(counterKind(new Map()));
    await sys.start();
    const address = await sys.host("counter", "acme");
    const replies = await Promise.all([1, 2, 3].map((n) => sys.ask<{ total: number }>(address, "add", { n })));
    expect(replies.map((r) => r.total)).toEqual([1, 3, 6]);
    await sys.drain();
  });

  test("a message id seen before gets the recorded reply and changes nothing", async () => {
    const sys = system(counterKind(new Map()));
    await sys.start();
    const address = await sys.host("counter", "acme");
    expect(await sys.ask(address, "add", { n: 5 }, { id: "m1" })).toEqual({ total: 5 });
    expect(await sys.ask(address, "add", { n: 5 }, { id: "m1" })).toEqual({ total: 5 });
    expect(await sys.ask(address, "add", { n: 1 }, { id: "m2" })).toEqual({ total: 6 });
    await sys.drain();
  });

  test("invalid body is a validation_failed outcome, not a crash", async () => {
    const sys = system(counterKind(new Map()));
    await sys.start();
    const address = await sys.host("counter", "acme");
    const outcome = await sys.askOutcome(address, "add", { n: "x" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect((await sys.askOutcome(address, "nope", {})).ok).toBe(false);
    await sys.drain();
  });

  test("a crashing actor is restarted, then escalated to degraded", async () => {
    let crashes = 0;
    const sys = system(counterKind(new Map(), { crashOn: (n) => n < 0 && ++crashes > 0 }), {
      transport: new MemoryTransport({ maxDeliveries: 10, claimIdleMs: 50 }),
    });
    await sys.start();
    const address = await sys.host("counter", "acme");
    const outcome = sys.askOutcome(address, "add", { n: -1 }, { timeoutMs: 300 });
    expect((await outcome).ok).toBe(false);
    expect(crashes).toBeGreaterThanOrEqual(3);
    expect(sys.degradation("counter", "acme")).not.toBeNull();
    expect(sys.status()[0]).toMatchObject({ state: "degraded", restarts: 4 });
    await sys.drain();
  });
});
