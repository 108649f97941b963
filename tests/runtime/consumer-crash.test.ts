import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { type ActorKind, ActorSystem, createLogger, type Incoming, type MailboxTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";
import { type MakeHarness, memoryHarness, redisHarness } from "./transport-harness.ts";

const LIMITS = { maxDeliveries: 5, claimIdleMs: 50 };

/** What a real actor keeps in its database: state, the outcome journal, the writer epoch. */
class CounterStore {
  total = 0;
  journal = new Map<string, Outcome>();
  epoch = 0;
  /** how many times each message id changed the state */
  applied = new Map<string, number>();
  /** which node recalled which ids on redelivery */
  recalledBy: [node: string, id: string][] = [];
}

type Gate = { at: "before-commit" | "after-commit"; n: number; reached?: true; open: Promise<void> };

/** A counter whose turn journals its outcome with the state change, fenced by an epoch. */
function counterKind(store: CounterStore, node: string, gate?: Gate): ActorKind {
  return {
    domain: "counter",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    create: () => {
      const epoch = ++store.epoch;
      const commit = (m: Incoming) => {
        if (store.epoch !== epoch) throw new Error(`${node} was fenced: epoch ${epoch} is not ${store.epoch}`);
        store.total += (m.body as { n: number }).n;
        const outcome = ok({ total: store.total });
        store.journal.set(m.id, outcome);
        store.applied.set(m.id, (store.applied.get(m.id) ?? 0) + 1);
        return outcome;
      };
      const pause = async (at: Gate["at"], m: Incoming) => {
        if (gate?.at !== at || (m.body as { n: number }).n !== gate.n) return;
        gate.reached = true;
        await gate.open;
      };
      return {
        recall: async (ids) => {
          const known = ids.filter((id) => store.journal.has(id));
          for (const id of known) store.recalledBy.push([node, id]);
          return new Map(known.map((id) => [id, store.journal.get(id)!]));
        },
        receive: async (batch) => {
          const outcomes: Outcome[] = [];
          for (const m of batch) {
            await pause("before-commit", m);
            outcomes.push(commit(m));
            await pause("after-commit", m);
          }
          return outcomes;
        },
      };
    },
  };
}

function node(transport: MailboxTransport, nodeId: string, kind: ActorKind) {
  return new ActorSystem({
    transport,
    nodeId,
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 5000,
    maxQueued: 100,
    idleMs: 60_000,
    // the asks go through the mailbox, whose redelivery is what is tested (an ask delivered in
    // process dies with its node and is retried by its caller: tests/runtime/local-delivery.test.ts)
    deliverLocally: false,
  }).register(kind);
}

type Runner = (name: string, fn: (make: MakeHarness) => Promise<void>) => void;

function describeConsumerCrash(name: string, run: Runner) {
  describe(`${name}: a node dies mid-turn`, () => {
    for (const at of ["after-commit", "before-commit"] as const) {
      run(`crash ${at}: the message is redelivered to the next node and applied exactly once`, async (make) => {
        await using h = await make(LIMITS);
        const store = new CounterStore();
        let open!: () => void;
        const gate: Gate = { at, n: 5, open: new Promise<void>((resolve) => (open = resolve)) };
        const [first, second] = [uniqueBrand("node"), uniqueBrand("node")];
        const dying = node(h.transport, first, counterKind(store, first, gate));
        await dying.start();
        const address = await dying.host("counter", uniqueBrand());
        expect(await dying.ask(address, "add", { n: 1 })).toEqual({ total: 1 });

        const asked = dying.ask<{ total: number }>(address, "add", { n: 5 }, { id: "bet-5" });
        await waitFor(() => gate.reached, { what: `the turn to reach ${at}` });
        expect(store.total).toBe(at === "after-commit" ? 6 : 1);
        const drained = dying.drain(); // its consumer stops; the blocked turn never acks

        const survivor = node(h.peer(), second, counterKind(store, second));
        await survivor.start();
        await survivor.host("counter", address.slice("counter@".length));
        expect(await asked).toEqual({ total: 6 });
        expect(store.applied.get("bet-5")).toBe(1);
        expect(store.recalledBy).toEqual(at === "after-commit" ? [[second, "bet-5"]] : []);
        expect(await survivor.ask(address, "add", { n: 10 })).toEqual({ total: 16 });

        open();
        await drained;
        expect(store.total).toBe(16);
        expect(store.applied.get("bet-5")).toBe(1);
        await waitFor(async () => (await h.transport.stats(address)).pending === 0, { what: "all acknowledged" });
        await survivor.drain();
      });
    }
  });
}

/** A node that comes back under the same name (NODE_ID is stable per host and data dir). */
function describeRestart(name: string, run: Runner) {
  describe(`${name}: a node restarts under its name`, () => {
    run("it takes its own pending messages back at once, long before another node could claim them", async (make) => {
      await using h = await make({ maxDeliveries: 5, claimIdleMs: 60_000 });
      const store = new CounterStore();
      let open!: () => void;
      const gate: Gate = { at: "before-commit", n: 5, open: new Promise<void>((resolve) => (open = resolve)) };
      const nodeId = uniqueBrand("node");
      const before = node(h.transport, nodeId, counterKind(store, "before", gate));
      await before.start();
      const address = await before.host("counter", uniqueBrand());
      const asked = before.ask<{ total: number }>(address, "add", { n: 5 }, { id: "bet-5" });
      await waitFor(() => gate.reached, { what: "the turn to start" });
      const drained = before.drain(); // it stops reading; the blocked turn never acks

      const restarted = node(h.peer(), nodeId, counterKind(store, "after"));
      const started = performance.now();
      await restarted.start();
      await restarted.host("counter", address.slice("counter@".length));
      expect(await asked).toEqual({ total: 5 });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(store.applied.get("bet-5")).toBe(1);

      open();
      await drained;
      await waitFor(async () => (await h.transport.stats(address)).pending === 0, { what: "all acknowledged" });
      await restarted.drain();
    });
  });
}

describeRestart("MemoryTransport", (name, fn) => test(name, () => fn(memoryHarness)));
describeRestart("RedisTransport", (name, fn) => redisTest(name, (url) => fn(redisHarness(url))));

describeConsumerCrash("MemoryTransport", (name, fn) => test(name, () => fn(memoryHarness)));
describeConsumerCrash("RedisTransport", (name, fn) => redisTest(name, (url) => fn(redisHarness(url))));
