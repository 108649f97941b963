import type { Config } from "../config/index.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";
import type { CentralStore } from "../actors/runtime/central-store.ts";
import type { Logger } from "../actors/runtime/log.ts";
import type { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import type { ShardPool } from "../shards/index.ts";
import type { BrandCatalog } from "../actors/catalog/index.ts";
import type { EventBus } from "../actors/runtime/event-bus.ts";
import type { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import type { Readiness } from "./readiness.ts";

/**
 * Everything a node hands to domains and edges, built once by `startNode`.
 * Domains get it when their ActorKind is made; edges when their Hono app is made.
 */
export type NodeContext = {
  config: Config;
  log: Logger;
  store: CentralStore;
  shards: ShardPool;
  system: ActorSystem;
  events: EventBus;
  /** relays outboxes to `events`; writers call `relay.notify(source)` after a commit */
  relay: OutboxRelay;
  catalog: BrandCatalog;
  metrics: RuntimeMetrics;
  /** false while the node boots or drains */
  isReady(): boolean;
  /** what /readyz answers: not ready while booting or draining, a store is unreachable, or an actor is degraded or waiting */
  readiness(): Readiness;
};
