import { BrandCatalog, type CatalogChanges, catalogKind, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import type { ActorKind } from "../../actors/runtime/actor.ts";
import type { EventBus } from "../../actors/runtime/event-bus.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import { RuntimeMetrics } from "../../actors/runtime/metrics.ts";
import type { Readiness } from "../../actors/runtime/operations.ts";
import { PostgresOutbox } from "../../actors/runtime/outbox-postgres.ts";
import { OutboxRelay } from "../../actors/runtime/outbox-relay.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import { loadConfig } from "../../config/index.ts";
import type { EdgeContext } from "../../edges/shared/edge-context.ts";
import { ShardPool } from "../../shards/index.ts";
import { composeDomains } from "../../supervisor/domains.ts";
import { edgeContextOf as composeEdgeContext } from "../../supervisor/edge-context.ts";
import { openInfrastructure } from "../../supervisor/infrastructure.ts";
import type { NodeParts } from "../../supervisor/node-parts.ts";
import { Placement } from "../../supervisor/placement.ts";
import { watchRoundProjection } from "../../supervisor/projection-check.ts";
import { readinessOf } from "../../supervisor/readiness.ts";
import { relayShardOutboxes } from "../../supervisor/shard-outbox-source.ts";
import { actorSystemSettings } from "../../supervisor/system-options.ts";
import { DATABASE_URL, REDIS_URL, tempDir, testStore } from "./services.ts";

export type TestNode = NodeParts & {
  isReady(): boolean;
  readiness(): Readiness;
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
  /** how the catalog announces changes; one in-process channel of its own by default */
  catalogChanges?: CatalogChanges;
};

/**
 * A node's parts, for tests of the runtime and of single domains that register their own
 * kinds: the shared test central store, a brand catalog over it with its `catalog` actor
 * hosted (create brands with tests/support/catalog.ts), an ActorSystem on the
 * configured mailboxes (Redis under a key prefix of its own with REDIS_URL, memory otherwise),
 * a shard pool in a temp dir and config parsed by loadConfig. Tests of edges use `testNode`
 * (the node as `supervisor start` builds it). `await using node = await testNodeContext()`.
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
  const catalog = new BrandCatalog(store, options.catalogChanges ?? new LocalCatalogChanges());
  const metrics = new RuntimeMetrics();
  const infra = openInfrastructure(config, log);
  const system = new ActorSystem({
    transport: infra.transport,
    nodeId: config.NODE_ID,
    log,
    metrics,
    ...actorSystemSettings(config),
  });
  const events = options.events ?? infra.events;
  const relay = new OutboxRelay({ bus: events, log });
  // brands are made and changed through the catalog actor, as on a node (tests/support/catalog.ts)
  system.register(catalogKind({ store, catalog, relay }));
  for (const kind of options.kinds ?? []) system.register(kind);
  await system.start();
  await catalog.start();
  await system.host("catalog", null);
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  if (options.outboxBrands) relay.add(new PostgresOutbox(store, { brands: options.outboxBrands }));
  relayShardOutboxes(shards, relay);
  relay.start();
  let ready = true;
  const close = async () => {
    ready = false;
    await system.drain();
    await relay.stop();
    await catalog.stop();
    await infra.close();
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

/**
 * An EdgeContext over a test node's parts, for tests of the edge frame against actor kinds
 * of their own (a crashing actor, an echo): clients over the node's system, its catalog as
 * the brand directory, readiness from the node.
 */
export function edgeContextOf(node: TestNode): EdgeContext {
  const projection = watchRoundProjection({ ...node, brands: () => [] }, { windowMs: 60 * 60_000 });
  const placement = new Placement(node, { followCatalog: false });
  return composeEdgeContext(node, composeDomains(node, []), { isReady: node.isReady, readiness: node.readiness, projection, placement });
}
