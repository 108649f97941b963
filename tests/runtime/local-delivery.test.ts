import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { type ActorKind, ActorSystem, createLogger, type MailboxTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";
import { type MakeHarness, memoryHarness, redisHarness } from "./transport-harness.ts";

/** What the counter keeps "in its database": the total, the outcome journal, how often each id was applied. */
class Ledger {
  total = 0;
  journal = new Map<string, Outcome>();
  applied = new Map<string, number>();
  /** turns wait here while it is set */
  hold: Promise<void> | undefined;
  /** message n throws this many more times */
  crashes = new Map<number, number>();
  batches: number[] = [];
}

function counterKind(ledger: Ledger): ActorKind {
  return {
    domain: "counter",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    maxBatch: 10,
    create: () => ({
      recall: async (ids) => new Map(ids.filter((id) => ledger.journal.has(id)).map((id) => [id, ledger.journal.get(id)!])),
      receive: async (batch) => {
        await ledger.hold;
        ledger.batches.push(batch.length);
        for (const m of batch) {
          const { n } = m.body as { n: number };
          const left = ledger.crashes.get(n) ?? 0;
          if (left > 0) {
            ledger.crashes.set(n, left - 1);
            throw new Error(`boom on ${n}`);
          }
        }
        return batch.map((m) => {
          ledger.total += (m.body as { n: number }).n;
          const outcome = ok({ total: ledger.total });
          ledger.journal.set(m.id, outcome);
          ledger.applied.set(m.id, (ledger.applied.get(m.id) ?? 0) + 1);
          return outcome;
        });
      },
    }),
  };
}

type Options = Partial<ConstructorParameters<typeof ActorSystem>[0]>;

function node(transport: MailboxTransport, ledger: Ledger, options: Options = {}) {
  return new ActorSystem({
    transport,
    nodeId: uniqueBrand("node"),
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 10, periodMs: 60_000 },
    askTimeoutMs: 2000,
    maxQueued: 100,
    idleMs: 60_000,
    ...options,
  }).register(counterKind(ledger));
}

/** Counts what the transport is asked to carry. */
function counting(transport: MailboxTransport) {
  const sent: string[] = [];
  const send = transport.send.bind(transport);
  transport.send = (envelope) => {
    sent.push(envelope.type);
    return send(envelope);
  };
  return sent;
}

type Runner = (name: string, fn: (make: MakeHarness) => Promise<void>) => void;

function describeLocalDelivery(name: string, run: Runner) {
  describe(`${name}: asks to an actor hosted on the asking node`, () => {
    run("are answered in process: no mailbox entry, nothing sent; tells still go through the mailbox", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const sys = node(h.transport, ledger);
      const sent = counting(h.transport);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      const replies = await Promise.all([1, 2, 3].map((n) => sys.ask<{ total: number }>(address, "add", { n })));
      expect(replies.map((r) => r.total)).toEqual([1, 3, 6]);
      expect(sent).toEqual([]);
      expect(await h.transport.stats(address)).toMatchObject({ length: 0, pending: 0 });
      expect(ledger.batches).toEqual([3]); // asks of one tick are taken together
      await sys.tell(address, "add", { n: 4 });
      await waitFor(() => ledger.total === 10, { what: "the tell applied" });
      expect(sent).toEqual(["add"]);
      await sys.drain();
    });

    run("an ask does not overtake a tell this node sent the same actor: it follows the tell through the mailbox", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const sys = node(h.transport, ledger);
      const sent = counting(h.transport);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      await sys.tell(address, "add", { n: 10 });
      expect(await sys.ask(address, "add", { n: 1 })).toEqual({ total: 11 });
      // the tell has arrived: the next ask is delivered here again
      expect(await sys.ask(address, "add", { n: 1 })).toEqual({ total: 12 });
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent.length).toBeLessThanOrEqual(2);
      await sys.drain();
    });

    run("a retry with the same id, during the first or after it, is answered from the journal and applied once", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const sys = node(h.transport, ledger);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      const [a, b] = await Promise.all([sys.ask(address, "add", { n: 5 }, { id: "bet-1" }), sys.ask(address, "add", { n: 5 }, { id: "bet-1" })]);
      expect([a, b]).toEqual([{ total: 5 }, { total: 5 }]);
      expect(await sys.ask(address, "add", { n: 5 }, { id: "bet-1" })).toEqual({ total: 5 });
      expect(ledger.applied.get("bet-1")).toBe(1);
      await sys.drain();
    });

    run("the timeout holds; the message still applies once and a retry gets its outcome", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const held = Promise.withResolvers<void>();
      ledger.hold = held.promise;
      const sys = node(h.transport, ledger);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      const outcome = await sys.askOutcome(address, "add", { n: 7 }, { id: "bet-7", timeoutMs: 50 });
      expect(outcome).toMatchObject({ ok: false, error: { code: "timeout" } });
      held.resolve();
      await waitFor(() => ledger.applied.get("bet-7") === 1, { what: "the timed-out ask applied" });
      expect(await sys.ask(address, "add", { n: 7 }, { id: "bet-7" })).toEqual({ total: 7 });
      expect(ledger.applied.get("bet-7")).toBe(1);
      await sys.drain();
    });

    run("past the queue bound an ask is answered overloaded at once, nothing applied", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const held = Promise.withResolvers<void>();
      ledger.hold = held.promise;
      const sys = node(h.transport, ledger, { maxQueued: 2 });
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      const running = sys.askOutcome(address, "add", { n: 1 });
      await waitFor(() => sys.status()[0]!.state === "active", { what: "the first turn running" });
      const queued = [2, 3].map((n) => sys.askOutcome(address, "add", { n }));
      const refused = await sys.askOutcome(address, "add", { n: 100 }, { id: "too-many" });
      expect(refused).toMatchObject({ ok: false, error: { code: "overloaded" } });
      held.resolve();
      expect((await Promise.all([running, ...queued])).every((o) => o.ok)).toBe(true);
      expect(ledger.total).toBe(6);
      expect(ledger.applied.has("too-many")).toBe(false);
      await sys.drain();
    });

    run("a crash in the batch: the ask is retried after the restart and answered once applied", async (make) => {
      await using h = await make({ maxDeliveries: 5, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      ledger.crashes.set(3, 2);
      const sys = node(h.transport, ledger);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      expect(await sys.ask(address, "add", { n: 3 }, { id: "bet-3" })).toEqual({ total: 3 });
      expect(ledger.applied.get("bet-3")).toBe(1);
      expect(sys.status()[0]).toMatchObject({ restarts: 2 });
      await sys.drain();
    });

    run("crashing past the delivery limit: the asker hears dead_lettered; the letter keeps its envelope and replays through the mailbox", async (make) => {
      await using h = await make({ maxDeliveries: 2, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      ledger.crashes.set(9, 2);
      const sys = node(h.transport, ledger);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      const outcome = await sys.askOutcome(address, "add", { n: 9 }, { id: "bet-9" });
      expect(outcome).toMatchObject({ ok: false, error: { code: "dead_lettered" } });
      const [letter, ...others] = await h.transport.deadLetters(address);
      expect(others).toEqual([]);
      expect(letter).toMatchObject({ envelope: { id: "bet-9", type: "add", body: { n: 9 } }, reason: expect.stringContaining("crashed") });
      expect(ledger.applied.has("bet-9")).toBe(false);
      expect(await h.transport.replayDeadLetter(address, letter!.streamId)).toBe(true);
      await waitFor(() => ledger.applied.get("bet-9") === 1, { what: "the replayed letter applied" });
      expect(await h.transport.deadLetters(address)).toEqual([]);
      await sys.drain();
    });

    run("an actor leaving the node mid-ask: the running turn answers, queued asks go to the mailbox and the next host answers them, once", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const held = Promise.withResolvers<void>();
      ledger.hold = held.promise;
      const leaving = node(h.transport, ledger);
      await leaving.start();
      const brand = uniqueBrand();
      const address = await leaving.host("counter", brand);
      const first = leaving.ask(address, "add", { n: 1 }, { id: "bet-a" });
      await waitFor(() => leaving.status()[0]!.state === "active", { what: "the first turn running" });
      const second = leaving.ask(address, "add", { n: 2 }, { id: "bet-b" });
      await waitFor(() => leaving.status()[0]!.queued === 1, { what: "the second ask queued" });
      const unhosted = leaving.unhost(address);
      held.resolve();
      await unhosted;
      expect(await first).toEqual({ total: 1 });
      expect(await h.transport.stats(address)).toMatchObject({ length: 1 });

      const next = node(h.peer(), ledger);
      await next.start();
      await next.host("counter", brand);
      expect(await second).toEqual({ total: 3 });
      expect([ledger.applied.get("bet-a"), ledger.applied.get("bet-b")]).toEqual([1, 1]);
      // the asker, now without the actor, reaches it through the mailbox
      expect(await leaving.ask(address, "add", { n: 2 }, { id: "bet-b" })).toEqual({ total: 3 });
      expect(ledger.applied.get("bet-b")).toBe(1);
      await Promise.all([leaving.drain(), next.drain()]);
    });

    run("while the turn gate is closed (a lease that may have run out) an ask goes to the mailbox", async (make) => {
      await using h = await make({ maxDeliveries: 3, claimIdleMs: 60_000 });
      const ledger = new Ledger();
      const sys = node(h.transport, ledger);
      const sent = counting(h.transport);
      await sys.start();
      const address = await sys.host("counter", uniqueBrand());
      let open = false;
      sys.gateTurns(() => open);
      const asked = await sys.askOutcome(address, "add", { n: 4 }, { id: "bet-4", timeoutMs: 200 });
      expect(asked).toMatchObject({ ok: false, error: { code: "timeout" } });
      expect(sent).toEqual(["add"]);
      expect(sys.status()[0]).toMatchObject({ queued: 1 });
      expect(ledger.total).toBe(0);
      // the gate open again, the retry is delivered here and taken with the mailbox's copy, once
      open = true;
      expect(await sys.ask(address, "add", { n: 4 }, { id: "bet-4" })).toEqual({ total: 4 });
      expect(ledger.applied.get("bet-4")).toBe(1);
      await sys.drain();
    });
  });
}

describeLocalDelivery("MemoryTransport", (name, fn) => test(name, () => fn(memoryHarness)));
describeLocalDelivery("RedisTransport", (name, fn) => redisTest(name, (url) => fn(redisHarness(url))));

describe("asks delivered in process, refused as from a mailbox", () => {
  test("an actor degraded by crashes refuses a local ask at once with its Retry-After", async () => {
    await using h = await memoryHarness({ maxDeliveries: 10, claimIdleMs: 60_000 });
    const ledger = new Ledger();
    ledger.crashes.set(-1, 1000);
    const sys = node(h.transport, ledger, { supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 } });
    await sys.start();
    const address = await sys.host("counter", uniqueBrand());
    void sys.askOutcome(address, "add", { n: -1 }, { timeoutMs: 300 });
    await waitFor(() => sys.status()[0]!.state === "degraded", { what: "degraded" });
    const refused = await sys.askOutcome(address, "add", { n: 1 }, { timeoutMs: 300 });
    expect(refused).toMatchObject({ ok: false, error: { code: "degraded", details: { retryAfterSeconds: expect.any(Number) } } });
    expect(ledger.total).toBe(0);
    await sys.drain();
  });

  test("a body nested past the bound is refused before it is queued", async () => {
    await using h = await memoryHarness({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const ledger = new Ledger();
    const sys = node(h.transport, ledger);
    await sys.start();
    const address = await sys.host("counter", uniqueBrand());
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { deep };
    expect(await sys.askOutcome(address, "add", deep)).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(sys.status()[0]).toMatchObject({ queued: 0, restarts: 0 });
    await sys.drain();
  });

  test("with deliverLocally off every ask goes through the mailbox", async () => {
    await using h = await memoryHarness({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const ledger = new Ledger();
    const sys = node(h.transport, ledger, { deliverLocally: false });
    const sent = counting(h.transport);
    await sys.start();
    const address = await sys.host("counter", uniqueBrand());
    expect(await sys.ask(address, "add", { n: 1 })).toEqual({ total: 1 });
    expect(sent).toEqual(["add"]);
    await sys.drain();
  });
});
