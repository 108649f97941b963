import type { BrandCatalog } from "../actors/catalog/index.ts";
import type { CentralStore } from "../actors/runtime/central-store.ts";
import type { EventBus } from "../actors/runtime/event-bus.ts";
import type { Logger } from "../actors/runtime/log.ts";
import type { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import type { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";
import type { Config } from "../config/index.ts";
import type { ShardPool } from "../shards/index.ts";

/**
 * The pieces one node is composed of. Only the supervisor (and tests of it) holds them all:
 * each domain takes the few it needs, and edges get an EdgeContext, never these.
 */
export type NodeParts = {
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
};
