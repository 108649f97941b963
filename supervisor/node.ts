import { BrandCatalog } from "../actors/catalog/index.ts";
import type { ActorKind } from "../actors/runtime/actor.ts";
import { type CentralStore, openCentralStore } from "../actors/runtime/central-store.ts";
import type { LeaseStore } from "../actors/runtime/leases.ts";
import { createLogger } from "../actors/runtime/log.ts";
import { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import { POSTGRES_OUTBOX, PostgresOutbox } from "../actors/runtime/outbox-postgres.ts";
import { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { Config } from "../config/index.ts";
import { createEdges, type EdgeApps, type EdgeServer, serveEdges } from "../edges/index.ts";
import type { EdgeContext } from "../edges/shared/edge-context.ts";
import { ShardPool } from "../shards/index.ts";
import { composeDomains, type DomainName, type DomainOptions } from "./domains.ts";
import { edgeContextOf } from "./edge-context.ts";
import { type Infrastructure, openInfrastructure } from "./infrastructure.ts";
import { LeasedPlacement } from "./lease-placement.ts";
import type { NodeParts } from "./node-parts.ts";
import { type NodePlacement, Placement } from "./placement.ts";
import { watchRoundProjection } from "./projection-check.ts";
import { readinessOf, StoreProbe } from "./readiness.ts";
import { ROUTES, WEBSOCKETS } from "./routes.ts";
import { relayShardOutboxes } from "./shard-outbox-source.ts";
import { actorSystemSettings, storeTimeouts } from "./system-options.ts";

/** Brands placed by leases in Redis, shared with the other nodes of the cluster. */
function leasedPlacement(parts: NodeParts, leases: LeaseStore): LeasedPlacement {
  return new LeasedPlacement({
    system: parts.system,
    leases,
    log: parts.log,
    node: parts.config.NODE_ID,
    ttlMs: parts.config.LEASE_TTL_MS,
    brands: () => parts.catalog.list().map((b) => b.id),
    onBrandsChange: (listener) => parts.catalog.onChange(listener),
    closeShard: (brand) => parts.shards.drop(brand),
    counted: (change) => parts.metrics.placementChanges.inc({ change }),
  });
}

/** Game rounds are checked against the ledger this often, over this window (events lost by Redis are replayed). */
const PROJECTION_CHECK_MS = 5 * 60_000;
const PROJECTION_WINDOW_MS = 60 * 60_000;

export type NodeOptions = {
  config: Config;
  /** a central store opened (and closed) by the caller; by default the node opens and migrates its own */
  store?: CentralStore;
  /** mailboxes, event bus and catalog notices; by default Redis when REDIS_URL is set, memory otherwise */
  infrastructure?: Infrastructure;
  /** the domains this node runs; all by default */
  domains?: readonly DomainName[];
  domainOptions?: DomainOptions;
  /** actor kinds beyond the domains' (tests) */
  extraKinds?: (parts: NodeParts) => ActorKind[];
  /**
   * "catalog" (a real node): the brands of the catalog, placed on the live nodes by leases
   * with Redis, or every one of them here without; the whole central outbox relayed.
   * "explicit" (tests sharing one store): host and relay only brands given to `hostBrand`
   * (and global events).
   */
  placement?: "catalog" | "explicit";
  /** serve the edges on their configured ports */
  serve?: boolean;
};

export type PlatformNode = {
  readonly config: Config;
  readonly edge: EdgeContext;
  readonly apps: EdgeApps;
  readonly servers: EdgeServer[];
  /** the node's pieces, for the supervisor's own commands, tests and benches; never for edges */
  readonly parts: NodeParts;
  /** host every brand-scoped actor of `brand` here (and relay its outbox rows); "explicit" placement */
  hostBrand(brand: string): Promise<void>;
  /** flip what /readyz answers (tests) */
  setReady(ready: boolean): void;
  /** drain in reverse: edges stop accepting, actors finish their turn, then relay, bus and stores close */
  stop(): Promise<void>;
};

/**
 * Boot one node: central store and migrations, mailbox transport and event bus, the brand
 * catalog, the outbox relay, the domains' actors (hosted per placement), their node services,
 * and the edges over an EdgeContext. The one way a node is built: by `supervisor start`, the
 * test harnesses and the benches.
 */
export async function buildNode(options: NodeOptions): Promise<PlatformNode> {
  const { config } = options;
  const log = createLogger(config.LOG_LEVEL, { node: config.NODE_ID });
  const store = options.store ?? (await openCentralStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, timeouts: storeTimeouts(config), log }));
  if (!options.store) await store.migrate();
  const infra = options.infrastructure ?? openInfrastructure(config, log);
  const metrics = new RuntimeMetrics({ defaults: options.serve === true });
  const system = new ActorSystem({ transport: infra.transport, nodeId: config.NODE_ID, log, metrics, ...actorSystemSettings(config) });
  const catalog = new BrandCatalog(store, infra.catalogChanges);
  const shards = new ShardPool(config.DATA_DIR, config.SHARD_IDLE_MS);
  const relay = new OutboxRelay({ bus: infra.events, log });
  const explicit = options.placement === "explicit";
  // the wallet wakes this source after each commit; with explicit placement it relays only
  // hosted brands and the global events (null), such as the game registry's audit
  const hostedBrands: (string | null)[] = [null];
  const centralOutbox = new PostgresOutbox(store, explicit ? { brands: hostedBrands } : {});
  relay.add(centralOutbox);
  const stopShardRelay = relayShardOutboxes(shards, relay);
  const parts: NodeParts = { config, log, store, shards, system, events: infra.events, relay, catalog, metrics };

  const domains = composeDomains(parts, options.domains, options.domainOptions);
  for (const kind of [...domains.kinds, ...(options.extraKinds?.(parts) ?? [])]) system.register(kind);
  let ready = false;
  const storeProbe = new StoreProbe(store).start();
  const everyBrand = explicit || !infra.leases ? new Placement(parts, { followCatalog: !explicit }) : undefined;
  const placement: NodePlacement = everyBrand ?? leasedPlacement(parts, infra.leases!);
  const readiness = () => readinessOf({ booted: () => ready, drained: () => placement.drained, system, store: storeProbe });
  // every node checks the projections of the brands it serves when asked; a real node also
  // every few minutes (test nodes share a store, so they leave the schedule to their tests)
  const served = () => new Set(placement.servedUnits());
  const projection = watchRoundProjection(
    {
      store,
      shards,
      relay,
      log,
      metrics,
      brands: () =>
        explicit
          ? hostedBrands.filter((b): b is string => b !== null)
          : catalog
              .active()
              .map((b) => b.id)
              .filter((b) => served().has(b)),
    },
    { everyMs: explicit ? undefined : PROJECTION_CHECK_MS, windowMs: PROJECTION_WINDOW_MS },
  );
  const edge = edgeContextOf(parts, domains, { isReady: () => ready && !placement.drained, readiness, projection, placement });
  await system.start();
  await catalog.start();
  await placement.start();
  relay.start();
  await domains.start(placement);
  const apps = createEdges(edge, ROUTES);
  const servers = options.serve ? serveEdges(edge, apps, { websocket: WEBSOCKETS }) : [];
  ready = true;
  log.info("node started", { transport: infra.transport.kind, store: store.kind, brands: catalog.active().length, placement: placement.status().mode });

  return {
    config,
    edge,
    apps,
    servers,
    parts,
    async hostBrand(brand) {
      if (!everyBrand) throw new Error("hostBrand is for explicit placement; brands are placed by leases here");
      await everyBrand.hostBrand(brand);
      if (explicit && !hostedBrands.includes(brand)) {
        hostedBrands.push(brand);
        centralOutbox.setBrands(hostedBrands);
        // rows the brand has already (its creation's audit event) need not wait for the fallback round
        relay.notify(POSTGRES_OUTBOX);
      }
    },
    setReady: (value) => void (ready = value),
    async stop() {
      ready = false;
      await Promise.all(servers.map((e) => e.stop({ graceMs: 5000 })));
      await projection.stop();
      await domains.stop();
      await placement.stop();
      await system.drain();
      await relay.stop();
      stopShardRelay();
      storeProbe.stop();
      await catalog.stop();
      await infra.close();
      shards.close();
      if (!options.store) await store.close();
      log.info("node stopped");
    },
  };
}
