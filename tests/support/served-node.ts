import { BrandCatalog, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import { RuntimeMetrics } from "../../actors/runtime/metrics.ts";
import { OutboxRelay } from "../../actors/runtime/outbox-relay.ts";
import { PostgresOutbox } from "../../actors/runtime/outbox-postgres.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import { loadConfig } from "../../config/index.ts";
import { ShardPool } from "../../shards/index.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { openInfrastructure } from "../../supervisor/infrastructure.ts";
import { relayShardOutboxes } from "../../supervisor/shard-outbox-source.ts";
import { actorSystemSettings } from "../../supervisor/system-options.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { DATABASE_URL, REDIS_URL, tempDir, testStore } from "./services.ts";

export type ServedNode = {
  ctx: NodeContext;
  /** relay the central-store outbox rows of `brand` to this node's bus */
  relayBrand(brand: string): void;
  /** drain the actors, then close the relay, mailboxes, catalog and shards */
  close(): Promise<void>;
};

/**
 * The pieces of a node as `startNode` opens them, for tests that serve edges over HTTP: the
 * node's own mailboxes and event bus (Redis streams under a key prefix of its own with
 * REDIS_URL, so other test runs never meet it; memory otherwise), the shared test store, a
 * catalog, shards in a temp dir, the relay. Nothing is registered, hosted or started yet; only
 * the brands passed to `relayBrand` have their outbox relayed.
 */
export async function servedNode(label: string, env: Record<string, string> = {}, options: { store?: CentralStore } = {}): Promise<ServedNode> {
  const nodeId = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    NODE_ENV: "test",
    NODE_ID: nodeId,
    DATA_DIR: tempDir(label),
    LOG_LEVEL: "silent",
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX: `${nodeId}:`,
    ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
    ...env,
  });
  const log = createLogger(config.LOG_LEVEL, { node: nodeId });
  const store = options.store ?? (await testStore());
  const infra = openInfrastructure(config, log);
  const metrics = new RuntimeMetrics();
  const system = new ActorSystem({ transport: infra.transport, nodeId, log, metrics, ...actorSystemSettings(config) });
  const catalog = new BrandCatalog(store, new LocalCatalogChanges());
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  const relay = new OutboxRelay({ bus: infra.events, log });
  relayShardOutboxes(shards, relay);
  const ctx: NodeContext = { config, log, store, shards, system, events: infra.events, relay, catalog, metrics, isReady: () => true, readiness: () => ({ ready: true, reasons: [] }) };
  return {
    ctx,
    relayBrand: (brand) => relay.add(new PostgresOutbox(store, { brands: [brand], name: `pg:${nodeId}:${brand}` })),
    async close() {
      await system.drain();
      await relay.stop();
      await infra.close();
      await catalog.stop();
      shards.close();
    },
  };
}
