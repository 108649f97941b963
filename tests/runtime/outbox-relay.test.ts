import { describe, expect, test } from "bun:test";
import { z } from "zod";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { type DomainEvent, type EventBus, type EventHandler, forwardToActor } from "../../actors/runtime/event-bus.ts";
import { ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { MemoryEventBus } from "../../actors/runtime/memory-event-bus.ts";
import { insertOutboxEvents, PostgresOutbox } from "../../actors/runtime/outbox-postgres.ts";
import { OutboxRelay, type OutboxSource, type Relayed } from "../../actors/runtime/outbox-relay.ts";
import { ShardOutbox, shardOutboxName } from "../../actors/runtime/outbox-shard.ts";
import { openShard, type Shard } from "../../shards/index.ts";
import { tempDir, testStore, uniqueBrand, waitFor } from "../support/services.ts";

/** A memory bus that records every publish and can crash right after one (before the relay marks). */
class RecordingBus implements EventBus {
  readonly kind = "memory" as const;
  readonly inner = new MemoryEventBus({ trimEveryMs: 0 });
  readonly limits = this.inner.limits;
  published: DomainEvent[] = [];
  publishCalls = 0;
  crashNextPublish = false;
  /** yields inside publish, so concurrent relays really interleave */
  slow = false;

  async publish(events: DomainEvent[]) {
    if (this.slow) await new Promise((resolve) => setImmediate(resolve));
    await this.inner.publish(events);
    this.published.push(...events);
    this.publishCalls += 1;
    if (this.crashNextPublish) {
      this.crashNextPublish = false;
      throw new Error("crashed after publish, before marking");
    }
  }
  subscribe(group: string, options: { types?: string[] }, handler: EventHandler) {
    return this.inner.subscribe(group, options, handler);
  }
  stats(group: string) {
    return this.inner.stats(group);
  }
  deadLetters(group: string) {
    return this.inner.deadLetters(group);
  }
  trim() {
    return this.inner.trim();
  }
  close() {
    return this.inner.close();
  }
}

function writeShardEvents(shard: Shard, events: { type: string; payload: Record<string, unknown> }[], at = Date.now()): string[] {
  const insert = shard.sqlite.query("insert into outbox (event_id, type, payload, at) values (?, ?, ?, ?)");
  return events.map((e) => {
    const id = crypto.randomUUID();
    insert.run(id, e.type, JSON.stringify(e.payload), at);
    return id;
  });
}

const numbered = (n: number, type = "player.registered") => Array.from({ length: n }, (_, i) => ({ type, payload: { n: i } }));

function relayedAt(shard: Shard): (number | null)[] {
  return shard.sqlite
    .query<{ relayed_at: number | null }, []>("select relayed_at from outbox order by seq")
    .all()
    .map((r) => r.relayed_at);
}

describe("OutboxRelay with a brand shard", () => {
  test("relays rows in order in bounded batches and marks them relayed", async () => {
    const shard = openShard(tempDir("outbox"), uniqueBrand());
    const bus = new RecordingBus();
    const relay = new OutboxRelay({ bus, batchSize: 2, clock: () => 1234 }).add(new ShardOutbox(shard));
    const ids = writeShardEvents(shard, numbered(5));
    expect(await relay.backlog()).toEqual({ [shardOutboxName(shard.brand)]: 5 });

    expect(await relay.relayNow()).toBe(5);
    expect(bus.published.map((e) => e.id)).toEqual(ids);
    expect(bus.published.map((e) => e.payload.n)).toEqual([0, 1, 2, 3, 4]);
    expect(bus.published.every((e) => e.brand === shard.brand && e.type === "player.registered")).toBe(true);
    expect(bus.publishCalls).toBe(3);
    expect(relayedAt(shard)).toEqual([1234, 1234, 1234, 1234, 1234]);

    expect(await relay.relayNow()).toBe(0);
    const later = writeShardEvents(shard, numbered(1));
    expect(await relay.relayNow()).toBe(1);
    expect(bus.published.at(-1)!.id).toBe(later[0]!);
    shard.sqlite.close();
  });

  test("a relay that took every row ends the round; one stopped at its limit goes on", async () => {
    const shard = openShard(tempDir("outbox"), uniqueBrand());
    const inner = new ShardOutbox(shard);
    let calls = 0;
    const counted: OutboxSource = {
      name: inner.name,
      relay: (...args) => {
        calls++;
        return inner.relay(...args);
      },
      purge: (...args) => inner.purge(...args),
      backlog: () => inner.backlog(),
      replay: (...args) => inner.replay(...args),
    };
    const relay = new OutboxRelay({ bus: new RecordingBus(), batchSize: 4 }).add(counted);
    writeShardEvents(shard, numbered(3));
    expect(await relay.relayNow()).toBe(3);
    expect(calls).toBe(1); // three rows under a batch of four: no second look
    writeShardEvents(shard, numbered(4));
    calls = 0;
    expect(await relay.relayNow()).toBe(4);
    expect(calls).toBe(2); // a full batch: the next look finds nothing and ends it
    shard.sqlite.close();
  });

  test("a round scheduled before stop() does not start after it", async () => {
    let calls = 0;
    let stopped: Promise<void> | undefined;
    const relay: OutboxRelay = new OutboxRelay({ bus: new RecordingBus(), maxBatchesPerRound: 1 });
    relay.add({
      name: "busy",
      relay: async () => {
        calls++;
        // stop() runs in the timer turn queued before the one that would start the next round
        if (calls === 1) setTimeout(() => void (stopped = relay.stop()), 0);
        return { relayed: 1, more: true };
      },
      replay: async () => 0,
      purge: async () => 0,
      backlog: async () => 1,
    });
    relay.start();
    await waitFor(() => stopped !== undefined, { what: "stop() called" });
    await stopped;
    await new Promise((resolve) => setTimeout(resolve, 0)); // the turn the next round was queued for
    expect(calls).toBe(1);
  });

  test("a crash between publish and mark relays again; the consumer applies each event once", async () => {
    const shard = openShard(tempDir("outbox"), uniqueBrand());
    const bus = new RecordingBus();
    const journal = new Map<string, Outcome>();
    const applied: number[] = [];
    const system = consumerSystem(journal, applied);
    await system.start();
    await system.host("rolling", shard.brand);
    const sub = await bus.subscribe("rolling", { types: ["player."] }, forwardToActor(system, "rolling"));

    const relay = new OutboxRelay({ bus }).add(new ShardOutbox(shard));
    writeShardEvents(shard, numbered(3));
    bus.crashNextPublish = true;
    await expect(relay.relayNow()).rejects.toThrow("crashed after publish, before marking");
    expect(relayedAt(shard)).toEqual([null, null, null]);

    expect(await relay.relayNow()).toBe(3);
    expect(bus.published.length).toBe(6);
    await waitFor(async () => journal.size === 3 && (await bus.stats("rolling")).pending === 0, { what: "events consumed" });
    expect(applied).toEqual([0, 1, 2]);
    await sub.stop();
    await system.drain();
    shard.sqlite.close();
  });

  test("start() relays the backlog, notify() wakes it without waiting for the fallback", async () => {
    const shard = openShard(tempDir("outbox"), uniqueBrand());
    const bus = new RecordingBus();
    const relay = new OutboxRelay({ bus, fallbackCron: "0 0 1 1 *" }).add(new ShardOutbox(shard));
    writeShardEvents(shard, numbered(2));
    relay.start();
    await waitFor(() => bus.published.length === 2, { what: "backlog relayed" });
    const [id] = writeShardEvents(shard, numbered(1, "player.logged_in"));
    relay.notify(shardOutboxName(shard.brand));
    await waitFor(() => bus.published.length === 3, { what: "notified row relayed" });
    expect(bus.published[2]!.id).toBe(id!);
    await relay.stop();
    shard.sqlite.close();
  });

  test("purge deletes relayed rows past the retention, nothing else", async () => {
    const shard = openShard(tempDir("outbox"), uniqueBrand());
    let now = 1_000;
    const relay = new OutboxRelay({ bus: new RecordingBus(), retentionMs: 2_000, clock: () => now }).add(new ShardOutbox(shard));
    writeShardEvents(shard, numbered(3));
    await relay.relayNow();
    now = 5_000;
    writeShardEvents(shard, numbered(1));
    await relay.relayNow();
    writeShardEvents(shard, numbered(1));
    expect(await relay.purge()).toBe(3);
    expect(relayedAt(shard)).toEqual([5_000, null]);
    expect(await relay.purge()).toBe(0);
    shard.sqlite.close();
  });
});

describe("OutboxRelay with the central store", () => {
  test("rows written in a transaction are relayed in order with their brand and JSON payload", async () => {
    const store = await testStore();
    const brand = uniqueBrand();
    const bus = new RecordingBus();
    const relay = new OutboxRelay({ bus, batchSize: 3 }).add(new PostgresOutbox(store, { brands: [brand] }));
    const events = Array.from({ length: 7 }, (_, n) => ({ id: `${brand}-${n}`, type: "wallet.bet_settled", brand, payload: { n, amount: 10n ** 15n } }));
    await store.transaction((tx) => insertOutboxEvents(tx, events));
    await store
      .transaction(async (tx) => {
        await insertOutboxEvents(tx, [{ id: `${brand}-rolled-back`, type: "wallet.bet_settled", brand, payload: {} }]);
        throw new Error("rollback");
      })
      .catch(() => {});

    expect(await relay.relayNow()).toBe(7);
    expect(bus.published.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(bus.published[0]).toMatchObject({ brand, type: "wallet.bet_settled", payload: { n: 0, amount: "1000000000000000" } });
    expect(typeof bus.published[0]!.at).toBe("number");
    const rows = await store.query<{ relayed: boolean }>("select relayed_at is not null as relayed from outbox where brand_id = $1", [brand]);
    expect(rows.map((r) => r.relayed)).toEqual(Array(7).fill(true));
    expect(await relay.relayNow()).toBe(0);
  });

  test("two relays at once never publish a row twice and keep each brand's order", async () => {
    const store = await testStore();
    const brands = [uniqueBrand(), uniqueBrand()];
    const events = Array.from({ length: 60 }, (_, n) => ({ type: "wallet.bet_settled", brand: brands[n % 2]!, payload: { n } }));
    await store.transaction((tx) => insertOutboxEvents(tx, events));
    const bus = new RecordingBus();
    bus.slow = true;
    const relays = [0, 1].map(() => new OutboxRelay({ bus, batchSize: 4 }).add(new PostgresOutbox(store, { brands })));

    const counts = await Promise.all(relays.map((r) => r.relayNow()));
    expect(counts[0]! + counts[1]!).toBe(60);
    const ids = bus.published.map((e) => e.id);
    expect(new Set(ids).size).toBe(60);
    expect(ids.length).toBe(60);
    for (const brand of brands) {
      const order = bus.published.filter((e) => e.brand === brand).map((e) => e.payload.n as number);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  test("a round reads only its brands' rows, however many rows of other brands wait in the outbox", async () => {
    const store = await testStore();
    const [brand, other] = [uniqueBrand(), uniqueBrand()];
    let seen: { relayed: Relayed[]; published: unknown[]; rowsRead: number } | undefined;
    // one transaction, rolled back: the crowd of rows never reaches the shared outbox
    const rollBack = new Error("roll back");
    await store
      .transaction(async (tx) => {
        await insertOutboxEvents(
          tx,
          Array.from({ length: 3000 }, (_, n) => ({ type: "wallet.bet_settled", brand: other, payload: { n } })),
        );
        await insertOutboxEvents(
          tx,
          [1, 2, 3].map((n) => ({ type: "wallet.deposited", brand, payload: { n } })),
        );
        const rowsRead = async () => {
          const [row] = await tx.query<{ n: bigint | number }>(
            "select coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)::int8 as n from pg_stat_xact_user_tables where relname = 'outbox'",
          );
          return Number(row!.n);
        };
        const inThisTransaction = { query: tx.query, transaction: (fn: (t: typeof tx) => Promise<unknown>) => fn(tx) } as unknown as CentralStore;
        const source = new PostgresOutbox(inThisTransaction, { brands: [brand] });
        const bus = new RecordingBus();
        // as on a large outbox, where a scan costs more than any lookup (a small one may be scanned cheaply)
        await tx.query("set local enable_seqscan = off");
        const before = await rowsRead();
        // at its limit a round says rows may be left; below it, that it took them all
        const relayed = [await source.relay(2, (e) => bus.publish(e), Date.now()), await source.relay(200, (e) => bus.publish(e), Date.now())];
        seen = { relayed, published: bus.published.map((e) => e.payload.n), rowsRead: (await rowsRead()) - before };
        throw rollBack;
      })
      .catch((error: unknown) => {
        if (error !== rollBack) throw error;
      });
    expect(seen).toMatchObject({
      relayed: [
        { relayed: 2, more: true },
        { relayed: 1, more: false },
      ],
      published: [1, 2, 3],
    });
    // its rows and a few index probes; a plan that scans the outbox reads the 3,000 others
    expect(seen!.rowsRead).toBeLessThan(30);
  });

  test("the outbox is vacuumed by the count of relayed rows and carries only the indexes its readers use", async () => {
    const store = await testStore();
    const [row] = await store.query<{ options: string[] }>("select reloptions as options from pg_class where relname = 'outbox' and relkind = 'r'");
    expect(row!.options).toEqual(expect.arrayContaining(["autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=20000"]));
    // each event written pays for every index: the key, the event id and the relay's lookups, no more
    const indexes = await store.query<{ name: string }>("select indexname as name from pg_indexes where tablename = 'outbox' order by indexname");
    expect(indexes.map((i) => i.name)).toEqual(["outbox_event_id_unique", "outbox_pkey", "outbox_unrelayed_by_brand_idx"]);
  });

  test("purge deletes relayed rows past the retention", async () => {
    const store = await testStore();
    const brand = uniqueBrand();
    const day = 86_400_000;
    let now = Date.now() - 10 * day;
    const relay = new OutboxRelay({ bus: new RecordingBus(), retentionMs: 7 * day, clock: () => now }).add(new PostgresOutbox(store, { brands: [brand] }));
    await store.transaction((tx) => insertOutboxEvents(tx, [{ type: "wallet.deposited", brand, payload: {} }]));
    await relay.relayNow();
    now = Date.now();
    await store.transaction((tx) =>
      insertOutboxEvents(
        tx,
        [1, 2].map(() => ({ type: "wallet.deposited", brand, payload: {} })),
      ),
    );
    await relay.relayNow();
    await store.transaction((tx) => insertOutboxEvents(tx, [{ type: "wallet.deposited", brand, payload: {} }]));
    expect(await relay.purge()).toBe(1);
    const [left] = await store.query<{ n: bigint }>("select count(*) as n from outbox where brand_id = $1", [brand]);
    expect(left!.n).toBe(3n);
    expect(await relay.backlog()).toEqual({ pg: 1 });
  });
});

function consumerSystem(journal: Map<string, Outcome>, applied: number[]) {
  return new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 50 }),
    nodeId: "outbox-node",
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 1000,
    maxQueued: 100,
    idleMs: 60_000,
  }).register({
    domain: "rolling",
    scope: "brand",
    messages: { "player.registered": z.object({ n: z.number() }) },
    create: () => ({
      recall: async (ids) => new Map(ids.filter((id) => journal.has(id)).map((id) => [id, journal.get(id)!])),
      receive: async (batch) =>
        batch.map((m) => {
          applied.push((m.body as { n: number }).n);
          journal.set(m.id, ok({}));
          return ok({});
        }),
    }),
  });
}
