import type { Config } from "../config/index.ts";
import { BrandCatalog } from "../actors/catalog/index.ts";
import { openCentralStore } from "../actors/runtime/central-store.ts";
import { createLogger } from "../actors/runtime/log.ts";
import { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { ShardPool } from "../shards/index.ts";
import type { NodeContext } from "./context.ts";
import { domainKinds } from "./domains.ts";
import { openInfrastructure } from "./infrastructure.ts";
import { Placement } from "./placement.ts";

export type NodeHandle = {
  ctx: NodeContext;
  stop(): Promise<void>;
};

/**
 * Boot one node: stores and migrations, mailbox transport and event bus, the brand catalog,
 * an actor per domain and active brand, and (with `serve`) the edges.
 */
export async function startNode(config: Config): Promise<NodeHandle> {
  const log = createLogger(config.LOG_LEVEL, { node: config.NODE_ID });
  const store = await openCentralStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await store.migrate();
  const infra = await openInfrastructure(config, log);
  const metrics = new RuntimeMetrics({ defaults: true });
  const system = new ActorSystem({
    transport: infra.transport,
    nodeId: config.NODE_ID,
    log,
    metrics,
    supervision: {
      backoffMs: config.RESTART_BACKOFF_MS,
      maxBackoffMs: config.RESTART_BACKOFF_MAX_MS,
      intensity: config.RESTART_INTENSITY,
      periodMs: config.RESTART_PERIOD_MS,
    },
    askTimeoutMs: config.ASK_TIMEOUT_MS,
    maxQueued: config.MAILBOX_MAX_QUEUED,
    idleMs: config.ACTOR_IDLE_MS,
  });
  const catalog = new BrandCatalog(store, infra.catalogChanges);
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  let ready = false;
  const ctx: NodeContext = { config, log, store, shards, system, events: infra.events, catalog, metrics, isReady: () => ready };

  for (const kind of domainKinds(ctx)) system.register(kind);
  await system.start();
  await catalog.start();
  const placement = new Placement(ctx);
  await placement.start();
  ready = true;
  log.info("node started", { transport: infra.transport.kind, store: store.kind, brands: catalog.active().length });

  return {
    ctx,
    async stop() {
      ready = false;
      await placement.stop();
      await system.drain();
      await catalog.stop();
      await infra.close();
      shards.close();
      await store.close();
      log.info("node stopped");
    },
  };
}
