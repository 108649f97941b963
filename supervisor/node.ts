import type { Config } from "../config/index.ts";
import { BrandCatalog } from "../actors/catalog/index.ts";
import { openCentralStore } from "../actors/runtime/central-store.ts";
import { createLogger } from "../actors/runtime/log.ts";
import { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import { PostgresOutbox } from "../actors/runtime/outbox-postgres.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { createEdges, serveEdges, type EdgeServer } from "../edges/index.ts";
import { ShardPool } from "../shards/index.ts";
import type { NodeContext } from "./context.ts";
import { domainKinds, nodeServices } from "./domains.ts";
import { openInfrastructure } from "./infrastructure.ts";
import { Placement } from "./placement.ts";
import { ROUTES, WEBSOCKETS } from "./routes.ts";
import { relayShardOutboxes } from "./shard-outbox-source.ts";
import { watchRoundProjection } from "./projection-check.ts";
import { readinessOf, StoreProbe } from "./readiness.ts";
import { actorSystemSettings, storeTimeouts } from "./system-options.ts";

/** Game rounds are checked against the ledger this often, over this window (events lost by Redis are replayed). */
const PROJECTION_CHECK_MS = 5 * 60_000;
const PROJECTION_WINDOW_MS = 60 * 60_000;

export type NodeHandle = {
  ctx: NodeContext;
  edges: EdgeServer[];
  stop(): Promise<void>;
};

/**
 * Boot one node: central store and migrations, mailbox transport and event bus, the brand
 * catalog, the outbox relay, an actor per domain and active brand, and (with `serve`) the
 * edges. `stop` drains in reverse: edges stop accepting, actors finish their turn, then the
 * relay, the bus and the stores close.
 */
export async function startNode(config: Config, options: { serve?: boolean } = {}): Promise<NodeHandle> {
  const log = createLogger(config.LOG_LEVEL, { node: config.NODE_ID });
  const store = await openCentralStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeouts: storeTimeouts(config) });
  await store.migrate();
  const infra = openInfrastructure(config, log);
  const metrics = new RuntimeMetrics({ defaults: true });
  const system = new ActorSystem({
    transport: infra.transport,
    nodeId: config.NODE_ID,
    log,
    metrics,
    ...actorSystemSettings(config),
  });
  const catalog = new BrandCatalog(store, infra.catalogChanges);
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  const relay = new OutboxRelay({ bus: infra.events, log }).add(new PostgresOutbox(store));
  relayShardOutboxes(shards, relay);
  let ready = false;
  const storeProbe = new StoreProbe(store).start();
  const isReady = () => ready;
  const readiness = () => readinessOf({ booted: isReady, system, store: storeProbe });
  const ctx: NodeContext = { config, log, store, shards, system, events: infra.events, relay, catalog, metrics, isReady, readiness };

  for (const kind of domainKinds(ctx)) system.register(kind);
  await system.start();
  await catalog.start();
  const placement = new Placement(ctx);
  await placement.start();
  relay.start();
  const services = await nodeServices(ctx);
  const projection = watchRoundProjection(
    { store, shards, relay, log, brands: () => catalog.active().map((b) => b.id) },
    { everyMs: PROJECTION_CHECK_MS, windowMs: PROJECTION_WINDOW_MS },
  );
  const edges = options.serve ? serveEdges(ctx, createEdges(ctx, ROUTES), { websocket: WEBSOCKETS }) : [];
  ready = true;
  log.info("node started", { transport: infra.transport.kind, store: store.kind, brands: catalog.active().length });

  return {
    ctx,
    edges,
    async stop() {
      ready = false;
      await Promise.all(edges.map((e) => e.stop({ graceMs: 5000 })));
      await projection.stop();
      for (const service of services.reverse()) await service.stop();
      await placement.stop();
      await system.drain();
      await relay.stop();
      storeProbe.stop();
      await catalog.stop();
      await infra.close();
      shards.close();
      await store.close();
      log.info("node stopped");
    },
  };
}
