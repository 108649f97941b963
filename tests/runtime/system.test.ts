import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { waitFor } from "../support/services.ts";

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

  test("a type named like an Object.prototype member is an unknown message, not a crash", async () => {
    const sys = system(counterKind(new Map()));
    await sys.start();
    const address = await sys.host("counter", "acme");
    for (const type of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const outcome = await sys.askOutcome(address, type, {}, { timeoutMs: 500 });
      expect(outcome).toEqual({ ok: false, error: { code: "unknown_message", message: `counter does not take ${type} messages` } });
    }
    expect(sys.status()[0]).toMatchObject({ restarts: 0 });
    await sys.drain();
  });

  test("a crashing actor is restarted, then escalated to degraded", async () => {
    let crashes = 0;
    const sys = system(counterKind(new Map(), { crashOn: (n) => n < 0 && ++crashes > 0 }), {
      transport: new MemoryTransport({ maxDeliveries: 10, claimIdleMs: 50 }),
      deliverLocally: false, // what the mailbox holds afterwards is checked
    });
    await sys.start();
    const address = await sys.host("counter", "acme");
    const outcome = sys.askOutcome(address, "add", { n: -1 }, { timeoutMs: 300 });
    expect((await outcome).ok).toBe(false);
    expect(crashes).toBeGreaterThanOrEqual(3);
    expect(sys.degradation("counter", "acme")).not.toBeNull();
    expect(sys.status()[0]).toMatchObject({ state: "degraded", restarts: 4 });
    // an ask from anywhere (an edge on another node checks only its own actors) is refused at once
    const refused = await sys.askOutcome(address, "add", { n: 1 }, { timeoutMs: 300 });
    expect(refused).toMatchObject({ ok: false, error: { code: "degraded", details: { retryAfterSeconds: expect.any(Number) } } });
    // only the crashing message waits out the degradation: the refused ask was acknowledged
    expect(await sys.transport.stats(address)).toMatchObject({ length: 2, pending: 1 });
    await sys.drain();
  });
});

describe("ActorSystem lifecycle", () => {
  test("an idle actor is passivated and wakes on its next message with its state reloaded", async () => {
    const journal = new Map<string, Outcome>();
    let created = 0;
    let passivated = 0;
    const base = counterKind(journal);
    const kind: ActorKind = {
      ...base,
      idleMs: 20,
      create: async (ctx) => {
        created += 1;
        const behavior = await base.create(ctx);
        return { ...behavior, passivate: async () => void (passivated += 1) };
      },
    };
    const sys = system(kind);
    await sys.start();
    const address = await sys.host("counter", "acme");
    await sys.ask(address, "add", { n: 1 });
    await waitFor(() => sys.status()[0]!.state === "passivated", { what: "passivation" });
    expect(passivated).toBe(1);
    await sys.ask(address, "add", { n: 1 });
    expect(created).toBe(2);
    expect(sys.status()[0]!.state).toBe("active");
    await sys.drain();
  });

  test("past its queue bound an actor answers overloaded instead of queueing without limit", async () => {
    let release!: () => void;
    let started = false;
    const gate = new Promise<void>((r) => (release = r));
    const kind: ActorKind = {
      domain: "slow",
      scope: "brand",
      messages: { work: z.object({}) },
      create: () => ({
        recall: async () => new Map(),
        receive: async (batch) => {
          started = true;
          await gate;
          return batch.map(() => ok({ done: true }));
        },
      }),
    };
    const sys = system(kind, { maxQueued: 3 });
    await sys.start();
    const address = await sys.host("slow", "acme");
    const asks = Array.from({ length: 10 }, () => sys.askOutcome(address, "work", {}));
    await waitFor(() => started, { what: "the first turn" });
    expect(sys.status()[0]!.queued).toBeLessThanOrEqual(3);
    release();
    const outcomes = await Promise.all(asks);
    const overloaded = outcomes.filter((o) => !o.ok && o.error.code === "overloaded");
    // at most one in its turn and three queued are taken; every other ask is refused, none lost
    expect(overloaded.length).toBeGreaterThanOrEqual(6);
    expect(outcomes.filter((o) => o.ok).length).toBe(10 - overloaded.length);
    await sys.drain();
  });

  test("a timer reaches every hosted actor of its kind once per schedule slot", async () => {
    const fired: string[] = [];
    const kind: ActorKind = {
      domain: "ticker",
      scope: "brand",
      messages: {},
      timers: [{ name: "tick", cron: "0 0 1 1 *" }],
      create: (ctx) => ({
        recall: async () => new Map(),
        receive: async (batch) => {
          for (const m of batch) fired.push(`${ctx.address}:${(m.body as { name: string }).name}`);
          return batch.map(() => ok(null));
        },
      }),
    };
    const journaled = new Set<string>();
    const sys = system({
      ...kind,
      create: (ctx) => {
        const inner = kind.create(ctx) as Awaited<ReturnType<ActorKind["create"]>>;
        return {
          recall: async (ids) => new Map(ids.filter((id) => journaled.has(id)).map((id) => [id, ok(null)])),
          receive: async (batch) => {
            for (const m of batch) journaled.add(m.id);
            return inner.receive(batch);
          },
        };
      },
    });
    await sys.start();
    await sys.host("ticker", "a");
    await sys.host("ticker", "b");
    const at = Date.UTC(2026, 0, 1);
    await sys.fireTimer("ticker", "tick", at);
    await sys.fireTimer("ticker", "tick", at + 10); // the same slot again, e.g. from a second node
    await waitFor(() => fired.length >= 2, { what: "timer messages" });
    await sys.ask("ticker@a", "timer", { name: "probe", firedAt: 0 });
    expect(fired.sort()).toEqual(["ticker@a:probe", "ticker@a:tick", "ticker@b:tick"]);
    await sys.drain();
  });
});

describe("ActorSystem placement hooks", () => {
  test("activate makes the instance before any message; unhost finishes the running turn and leaves the rest pending", async () => {
    const journal = new Map<string, Outcome>();
    let created = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const base = counterKind(journal);
    const kind: ActorKind = {
      ...base,
      maxBatch: 1,
      create: async (ctx) => {
        created += 1;
        const behavior = await base.create(ctx);
        const receive = async (batch: Parameters<typeof behavior.receive>[0]) => {
          await held;
          return behavior.receive(batch);
        };
        return { ...behavior, receive };
      },
    };
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const sys = system(kind, { transport, deliverLocally: false }); // the mailbox's pending entries are checked
    await sys.start();
    const address = await sys.host("counter", "acme");
    await sys.activate(address);
    expect(created).toBe(1);
    const first = sys.ask(address, "add", { n: 1 });
    const second = sys.askOutcome(address, "add", { n: 2 }, { timeoutMs: 200 });
    await waitFor(() => sys.status()[0]!.queued === 1, { what: "the second ask queued behind the running turn" });
    const unhosted = sys.unhost(address);
    release();
    await unhosted;
    // the running turn was finished, answered and acknowledged; the queued one was not taken
    expect(await first).toEqual({ total: 1 });
    expect(await second).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect(sys.hosted()).toEqual([]);
    expect(await transport.stats(address)).toMatchObject({ pending: 1 });
    await sys.drain();
  });

  test("a closed turn gate holds deliveries without a turn, not even an activation; they stay pending for the next host", async () => {
    const journal = new Map<string, Outcome>();
    let created = 0;
    const base = counterKind(journal);
    const create: ActorKind["create"] = (ctx) => {
      created += 1;
      return base.create(ctx);
    };
    const sys = system({ ...base, create });
    sys.gateTurns((brand) => brand !== "acme");
    await sys.start();
    const [gated, other] = [await sys.host("counter", "acme"), await sys.host("counter", "beta")];
    const asked = sys.askOutcome(gated, "add", { n: 5 }, { timeoutMs: 200 });
    expect(await sys.ask(other, "add", { n: 1 })).toEqual({ total: 1 });
    await sys.activate(gated);
    expect(sys.status().find((s) => s.address === gated)).toMatchObject({ queued: 1, state: "idle" });
    expect(created).toBe(1);
    expect(await asked).toMatchObject({ ok: false, error: { code: "timeout" } });
    await sys.unhost(gated);
    expect(await sys.transport.stats(gated)).toMatchObject({ pending: 1 });
    await sys.drain();
  });

  test("claimPending takes what another node left pending in a hosted mailbox at once", async () => {
    const journal = new Map<string, Outcome>();
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const former = system(counterKind(journal), { transport, nodeId: "former" });
    const taker = system(counterKind(journal), { transport, nodeId: "taker" });
    await former.start();
    const address = await former.host("counter", "acme");
    former.gateTurns(() => false);
    const asked = taker.ask(address, "add", { n: 3 });
    await waitFor(() => former.status()[0]!.queued === 1, { what: "the former host's delivery" });
    await former.drain();
    await taker.start();
    await taker.host("counter", "acme");
    expect(await taker.claimPending([address, "counter@elsewhere"])).toBe(1);
    expect(await asked).toEqual({ total: 3 });
    await taker.drain();
  });
});
