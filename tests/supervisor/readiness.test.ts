import { expect, test } from "bun:test";
import type { ActorStatus } from "../../actors/runtime/system.ts";
import { readinessOf, StoreProbe } from "../../supervisor/readiness.ts";

const actor = (address: string, state: ActorStatus["state"], lastError?: string): ActorStatus => ({
  address,
  domain: address.split("@")[0]!,
  brand: address.split("@")[1] ?? null,
  state,
  queued: 0,
  restarts: 0,
  degradedUntil: null,
  lastError,
});

test("ready only when booted, both stores answer and no actor is degraded or waiting; each reason is named", () => {
  const node = (parts: { booted?: boolean; redis?: boolean; store?: string; actors?: ActorStatus[] }) =>
    readinessOf({
      booted: () => parts.booted ?? true,
      system: { status: () => parts.actors ?? [], transport: { reachable: () => parts.redis ?? true } as never },
      store: { problem: () => parts.store },
    });
  expect(node({ actors: [actor("wallet@acme", "active")] })).toEqual({ ready: true, reasons: [] });
  const down = node({
    booted: false,
    redis: false,
    store: "PostgreSQL does not answer: connect ECONNREFUSED",
    actors: [actor("wallet@acme", "degraded", "boom"), actor("admin@acme", "waiting", "connect ECONNREFUSED"), actor("game@acme", "idle")],
  });
  expect(down.ready).toBe(false);
  expect(down.reasons).toEqual([
    "the node is starting or draining",
    "Redis does not answer: mailboxes cannot be reached",
    "PostgreSQL does not answer: connect ECONNREFUSED",
    "wallet@acme is degraded after repeated crashes: boom",
    "admin@acme waits for a dependency: connect ECONNREFUSED",
  ]);
});

test("the store probe reports a store that stops answering, and its return", async () => {
  let failing = true;
  const probe = new StoreProbe({ kind: "postgres", query: async () => (failing ? Promise.reject(new Error("connect ECONNREFUSED")) : []) as never });
  // driven by hand instead of by its timer
  await (probe as unknown as { probe(): Promise<void> }).probe();
  expect(probe.problem()).toBe("PostgreSQL does not answer: connect ECONNREFUSED");
  failing = false;
  await (probe as unknown as { probe(): Promise<void> }).probe();
  expect(probe.problem()).toBeUndefined();
});
