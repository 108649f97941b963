import { readinessOf } from "../../supervisor/readiness.ts";
import { BrandCatalog, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import type { ActorKind } from "../../actors/runtime/actor.ts";
import type { EventBus } from "../../actors/runtime/event-bus.ts";
import { MemoryEventBus } from "../../actors/runtime/memory-event-bus.ts";
import { OutboxRelay } from "../../actors/runtime/outbox-relay.ts";
import { PostgresOutbox } from "../../actors/runtime/outbox-postgres.ts";
import { relayShardOutboxes } from "../../supervisor/shard-outbox-source.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import { MemoryTransport } from "../../actors/runtime/memory-transport.ts";
import { RuntimeMetrics } from "../../actors/runtime/metrics.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import { loadConfig } from "../../config/index.ts";
import { ShardPool } from "../../shards/index.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { DATABASE_URL, REDIS_URL, tempDir, testStore } from "./services.ts";
import { actorSystemSettings, transportLimits } from "../../supervisor/system-options.ts";

export type TestNode = NodeContext & {
  /** flip what /readyz answers */
  setReady(ready: boolean): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

export type TestNodeOptions = {
  /** settings on top of the defaults (DATA_DIR is a fresh temp dir, logs silent) */
  env?: Record<string, string>;
  /** actor kinds to register before the system starts */
  kinds?: ActorKind[];
  /** the event bus; an in-memory one by default (closed with the node) */
  events?: EventBus;
  /**
   * brands whose central-store outbox rows this node relays to its bus. Tests share one
   * store, so a relay never takes other tests' events unless told to. The source keeps the
   * node's name for it, so the wallet's notify after a commit wakes it as on a node.
   */
  outboxBrands?: string[];
};

/**
 * A NodeContext of real pieces: the shared test central store, a brand catalog over it,
 * an ActorSystem on an in-memory mailbox transport, a shard pool in a temp dir and config
 * parsed by loadConfig. `await using node = await testNodeContext()` cleans up.
 */
export async function testNodeContext(options: TestNodeOptions = {}): Promise<TestNode> {
  const config = loadConfig({
    NODE_ENV: "test",
    NODE_ID: `test-${crypto.randomUUID().slice(0, 8)}`,
    DATA_DIR: tempDir("node"),
    LOG_LEVEL: "silent",
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX: `t${crypto.randomUUID().slice(0, 8)}:`,
    ...options.env,
  });
  const log = createLogger(config.LOG_LEVEL, { node: config.NODE_ID });
  const store = await testStore();
  const catalog = new BrandCatalog(store, new LocalCatalogChanges());
  const metrics = new RuntimeMetrics();
  const system = new ActorSystem({
    transport: new MemoryTransport(transportLimits(config)),
    nodeId: config.NODE_ID,
    log,
    metrics,
    ...actorSystemSettings(config),
  });
  for (const kind of options.kinds ?? []) system.register(kind);
  await system.start();
  await catalog.start();
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  const events = options.events ?? new MemoryEventBus({ log });
  const relay = new OutboxRelay({ bus: events, log });
  if (options.outboxBrands) relay.add(new PostgresOutbox(store, { brands: options.outboxBrands }));
  relayShardOutboxes(shards, relay);
  relay.start();
  let ready = true;
  const close = async () => {
    ready = false;
    await system.drain();
    await relay.stop();
    await system.transport.close();
    await catalog.stop();
    if (!options.events) await events.close();
    shards.close();
  };
  return {
    config,
    log,
    store,
    shards,
    system,
    events,
    relay,
    catalog,
    metrics,
    isReady: () => ready,
    readiness: () => readinessOf({ booted: () => ready, system, store: { problem: () => undefined } }),
    setReady: (value) => void (ready = value),
    close,
    [Symbol.asyncDispose]: close,
  };
}
