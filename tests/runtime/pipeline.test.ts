import { describe, expect, test } from "bun:test";
import { z } from "zod";
import type { Incoming } from "../../actors/runtime/actor.ts";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { waitFor } from "../support/services.ts";

/**
 * A pipelined kind over a pretend store (`committed`): each batch is decided on memory at
 * once, and its commit waits for the batch before it and for the test to open its gate.
 */
function ledgerKind(store: { committed: number[]; commits: number; decided: number; failCommit?: number }, gates: Map<number, PromiseWithResolvers<void>>): ActorKind {
  const gate = (n: number) => {
    if (!gates.has(n)) gates.set(n, Promise.withResolvers<void>());
    return gates.get(n)!.promise;
  };
  return {
    domain: "ledger",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    maxBatch: 2,
    pipeline: 2,
    create: () => {
      let total = store.committed.reduce((a, b) => a + b, 0);
      let last: Promise<unknown> = Promise.resolve();
      const decide = async (batch: Incoming[]) => {
        store.decided += 1;
        const values = batch.map((m) => (m.body as { n: number }).n);
        const outcomes: Outcome[] = values.map((n) => ok({ total: (total += n) }));
        const previous = last;
        const committed = (async () => {
          await previous;
          const n = ++store.commits;
          await gate(n);
          if (store.failCommit === n) throw new Error(`commit ${n} failed`);
          store.committed.push(...values);
          return outcomes;
        })();
        last = committed;
        return { committed };
      };
      return { recall: async () => new Map(), decide, receive: async (batch) => (await decide(batch)).committed };
    },
  };
}

function system(kind: ActorKind) {
  return new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 5, claimIdleMs: 60_000 }),
    nodeId: "test-node",
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: 5000,
    maxQueued: 100,
    idleMs: 60_000,
  }).register(kind);
}

describe("pipelined turns", () => {
  test("the next batch is decided while the last one commits; each is answered only after its own commit", async () => {
    const store = { committed: [] as number[], commits: 0, decided: 0 };
    const gates = new Map<number, PromiseWithResolvers<void>>();
    const sys = system(ledgerKind(store, gates));
    await sys.start();
    const address = await sys.host("ledger", "acme");
    const answered: number[] = [];
    const asks = [1, 2, 3, 4].map(async (n) => {
      const reply = await sys.ask<{ total: number }>(address, "add", { n });
      answered.push(n);
      return reply.total;
    });
    // two batches of two: both decided, the first waits at its gate, the second behind it
    await waitFor(() => gates.has(1) && store.decided === 2);
    expect(store.commits).toBe(1);
    expect(answered).toEqual([]);
    gates.get(1)!.resolve();
    await waitFor(() => gates.has(2));
    expect(store.committed).toEqual([1, 2]);
    await waitFor(() => answered.length === 2);
    expect(answered).toEqual([1, 2]);
    gates.get(2)!.resolve();
    expect(await Promise.all(asks)).toEqual([1, 3, 6, 10]);
    await sys.drain();
  });

  test("a failed commit fails the batch decided behind it unwritten; both retry in order and the crash counts once", async () => {
    const store = { committed: [] as number[], commits: 0, decided: 0, failCommit: 1 };
    const gates = new Map<number, PromiseWithResolvers<void>>();
    const sys = system(ledgerKind(store, gates));
    await sys.start();
    const address = await sys.host("ledger", "acme");
    const asks = [1, 2, 3, 4].map((n) => sys.ask<{ total: number }>(address, "add", { n }));
    await waitFor(() => gates.has(1));
    gates.get(1)!.resolve();
    // the batch behind the failure never reached its commit; a fresh instance commits both again
    await waitFor(() => gates.has(2));
    expect(store.committed).toEqual([]);
    gates.get(2)!.resolve();
    await waitFor(() => gates.has(3));
    expect(store.committed).toEqual([1, 2]);
    gates.get(3)!.resolve();
    expect((await Promise.all(asks)).map((r) => r.total)).toEqual([1, 3, 6, 10]);
    expect(store.committed).toEqual([1, 2, 3, 4]);
    expect(sys.status().find((s) => s.address === address)?.restarts).toBe(1);
    await sys.drain();
  });
});
