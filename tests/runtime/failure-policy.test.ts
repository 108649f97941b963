import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { z } from "zod";
import { classifyFailure, PoisonError } from "../../actors/runtime/failure-class.ts";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { RedisTransport } from "../../actors/runtime/redis-transport.ts";
import { redisTest, waitFor } from "../support/services.ts";

/** An error shaped like the one a driver throws: a SQLSTATE or a socket code. */
const driverError = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * A counter whose turn commits all or nothing, like a store transaction: a batch holding a
 * negative number fails as a data error would (nothing of the batch is kept); while `down`,
 * every turn fails as a refused connection would.
 */
function ledgerKind(world: { down: boolean; creations: number; journal: Map<string, Outcome>; batches: number[] }): ActorKind {
  return {
    domain: "ledger",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    maxBatch: 50,
    create: () => {
      world.creations += 1;
      if (world.down) throw driverError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
      return {
        recall: async (ids) => new Map(ids.filter((id) => world.journal.has(id)).map((id) => [id, world.journal.get(id)!])),
        receive: async (batch) => {
          if (world.down) throw driverError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
          world.batches.push(batch.length);
          if (batch.some((m) => (m.body as { n: number }).n < 0)) throw driverError('value "-1" is out of range for type bigint', "22003");
          const outcomes = batch.map((m) => ok({ n: (m.body as { n: number }).n }));
          for (const [i, m] of batch.entries()) world.journal.set(m.id, outcomes[i]!);
          return outcomes;
        },
      };
    },
  };
}

function system(kind: ActorKind, transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 })) {
  return new ActorSystem({
    transport,
    nodeId: "policy-node",
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 2000,
    maxQueued: 1000,
    idleMs: 60_000,
  }).register(kind);
}

describe("failure classes", () => {
  test("connection loss, timeouts and server shutdown are dependency failures", () => {
    expect(classifyFailure(driverError("connect ECONNREFUSED", "ECONNREFUSED"))).toBe("dependency");
    expect(classifyFailure(driverError("write CONNECTION_CLOSED", "CONNECTION_CLOSED"))).toBe("dependency");
    expect(classifyFailure(driverError("terminating connection due to administrator command", "57P01"))).toBe("dependency");
    expect(classifyFailure(driverError("could not obtain lock", "55P03"))).toBe("dependency");
    expect(classifyFailure(driverError("too many connections", "53300"))).toBe("dependency");
    expect(classifyFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe("dependency");
    expect(classifyFailure(new Error("outer", { cause: driverError("reset", "ECONNRESET") }))).toBe("dependency");
  });

  test("data and integrity errors, decode and validation failures are poison; anything else is a crash", () => {
    expect(classifyFailure(driverError('value "9999999999999999999" is out of range for type bigint', "22003"))).toBe("poison");
    expect(classifyFailure(driverError('invalid byte sequence for encoding "UTF8": 0x00', "22021"))).toBe("poison");
    expect(classifyFailure(driverError("unsupported Unicode escape sequence", "22P05"))).toBe("poison");
    expect(classifyFailure(new PoisonError("too deep"))).toBe("poison");
    expect(z.object({ a: z.string() }).safeParse({}).error && classifyFailure(z.object({ a: z.string() }).safeParse({}).error)).toBe("poison");
    expect(classifyFailure(new Error("wallet bug: two legs on one account"))).toBe("crash");
    expect(classifyFailure("a string")).toBe("crash");
  });

  test("SQLite: a constraint the message breaks is poison; a lock held by another connection is a dependency wait", () => {
    const dir = mkdtempSync(join(tmpdir(), "sqlite-classes-"));
    const [a, b] = [new Database(join(dir, "s.sqlite")), new Database(join(dir, "s.sqlite"))];
    try {
      a.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY)");
      a.exec("INSERT INTO t VALUES (1)");
      const refused = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          return error;
        }
        throw new Error("expected a failure");
      };
      expect(classifyFailure(refused(() => a.exec("INSERT INTO t VALUES (1)")))).toBe("poison");
      b.exec("PRAGMA busy_timeout = 0");
      a.exec("BEGIN IMMEDIATE");
      expect(classifyFailure(refused(() => b.exec("BEGIN IMMEDIATE")))).toBe("dependency");
      a.exec("ROLLBACK");
    } finally {
      a.close();
      b.close();
    }
  });
});

describe("failure policy", () => {
  test("a dependency outage pauses the actor: no crash, no dead letter, asks answered at once, work resumes on its return", async () => {
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const sys = system(ledgerKind(world), transport);
    await sys.start();
    const address = await sys.host("ledger", "acme");
    expect(await sys.ask(address, "add", { n: 1 })).toEqual({ n: 1 });

    world.down = true;
    const first = sys.askOutcome(address, "add", { n: 2 }, { id: "during-1" });
    await waitFor(() => sys.status()[0]!.state === "waiting", { what: "the actor to wait for its dependency" });
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const outcome = await sys.askOutcome(address, "add", { n: 3 }, { id: `refused-${i}` });
      expect(outcome).toMatchObject({ ok: false, error: { code: "unavailable" } });
      expect(performance.now() - started).toBeLessThan(500);
    }
    // the probe keeps retrying while it is down, with a short backoff
    await waitFor(() => world.creations > 4, { what: "retries while the dependency is away" });

    world.down = false;
    const back = performance.now();
    await waitFor(async () => (await sys.askOutcome(address, "add", { n: 4 }, { timeoutMs: 200 })).ok, { what: "the first answer after the return" });
    expect(performance.now() - back).toBeLessThan(1000);
    // the message taken before the outage applies once; the refused ones never do
    expect(await first).toEqual({ ok: true, value: { n: 2 } });
    expect([...world.journal.keys()].some((id) => id.startsWith("refused-"))).toBe(false);
    expect(sys.status()[0]).toMatchObject({ state: "active", restarts: 0 });
    expect(sys.degradation("ledger", "acme")).toBeNull();
    expect((await transport.stats(address)).deadLetters).toBe(0);
    await sys.drain();
  });

  test("a message that fails by itself is refused alone; its batch-mates commit; the actor is not restarted", async () => {
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const sys = system(ledgerKind(world), transport);
    const address = "ledger@acme";
    // queued before the actor is hosted, so they arrive as one batch
    const numbers = [1, 2, 3, 4, 5, -1, 7, 8, 9, 10, 11];
    await sys.start();
    const asks = numbers.map((n) => sys.askOutcome(address, "add", { n }, { id: `m${n}` }));
    await sys.host("ledger", "acme");
    const outcomes = await Promise.all(asks);
    expect(world.batches[0]).toBe(numbers.length);
    outcomes.forEach((outcome, i) => {
      if (numbers[i]! < 0) expect(outcome).toMatchObject({ ok: false, error: { code: "validation_failed" } });
      else expect(outcome).toEqual({ ok: true, value: { n: numbers[i] } });
    });
    expect(sys.status()[0]).toMatchObject({ restarts: 0 });
    expect(sys.degradation("ledger", "acme")).toBeNull();
    expect(await sys.ask(address, "add", { n: 12 })).toEqual({ n: 12 });
    const stats = await transport.stats(address);
    expect(stats).toMatchObject({ pending: 0, deadLetters: 0 });
    await sys.drain();
  });

  test("a tell that fails by itself goes to the dead letters with the reason", async () => {
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    const sys = system(ledgerKind(world), transport);
    await sys.start();
    const address = await sys.host("ledger", "acme");
    await sys.tell(address, "add", { n: -5 }, { id: "bad-tell" });
    const [dead] = await waitFor(
      async () => {
        const letters = await transport.deadLetters(address);
        return letters.length > 0 ? letters : undefined;
      },
      { what: "the dead letter" },
    );
    expect(dead!.envelope.id).toBe("bad-tell");
    expect(dead!.reason).toContain("refused:");
    expect(dead!.reason).toContain("out of range");
    expect(sys.status()[0]).toMatchObject({ restarts: 0 });
    expect(await sys.ask(address, "add", { n: 1 })).toEqual({ n: 1 });
    await sys.drain();
  });

  test("the ask timeout runs from the start of the ask even when the send never returns", async () => {
    const transport = new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 60_000 });
    transport.send = () => new Promise<string>(() => {});
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const sys = system(ledgerKind(world), transport);
    await sys.start();
    const started = performance.now();
    const outcome = await sys.askOutcome("ledger@acme", "add", { n: 1 }, { timeoutMs: 100 });
    expect(outcome).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect(performance.now() - started).toBeLessThan(1000);
    await sys.drain();
  });
});

describe("deep messages", () => {
  const deepBody = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = { a: [value] };
    return value;
  };

  test("an ask whose body nests too deep is refused validation_failed before it is sent", async () => {
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const sys = system(ledgerKind(world));
    await sys.start();
    const address = await sys.host("ledger", "acme");
    expect(await sys.askOutcome(address, "add", deepBody(20_000))).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await sys.ask(address, "add", { n: 1 })).toEqual({ n: 1 });
    await sys.drain();
  });

  redisTest("a mailbox entry of 30,000 levels is dead-lettered at once; the actor goes on", async (url) => {
    const keyPrefix = `test-deep-${crypto.randomUUID().slice(0, 8)}:`;
    const transport = new RedisTransport({ url, keyPrefix, limits: { maxDeliveries: 3, claimIdleMs: 60_000 }, log: createLogger("silent") });
    const admin = new Redis(url, { protocol: 2 });
    const world = { down: false, creations: 0, journal: new Map<string, Outcome>(), batches: [] as number[] };
    const sys = system(ledgerKind(world), transport as never);
    try {
      await sys.start();
      const address = await sys.host("ledger", "acme");
      const envelope = `{"id":"deep","to":"${address}","type":"add","brand":"acme","correlationId":"deep","sentAt":0,"body":${'{"a":['.repeat(30_000)}1${"]}".repeat(30_000)}}`;
      await admin.xadd(`${keyPrefix}mbx:{acme}:ledger`, "*", "e", envelope);
      const [dead] = await waitFor(
        async () => {
          const letters = await transport.deadLetters(address);
          return letters.length > 0 ? letters : undefined;
        },
        { what: "the deep entry in the dead letters" },
      );
      expect(dead!.reason).toContain("refused:");
      expect(await sys.ask(address, "add", { n: 1 })).toEqual({ n: 1 });
      // the ack follows the reply
      await waitFor(async () => (await transport.stats(address)).pending === 0, { what: "no entry pending" });
      expect((await transport.stats(address)).deadLetters).toBe(1);
      expect(sys.status()[0]).toMatchObject({ restarts: 0 });
    } finally {
      await sys.drain();
      await transport.close();
      const keys = await admin.keys(`${keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  });
});
