import type { BrandCatalog } from "../catalog/index.ts";
import type { ActorKind } from "../runtime/actor.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import type { EventBus } from "../runtime/event-bus.ts";
import type { ActorSystem } from "../runtime/system.ts";
import { catalogKind } from "./catalog-actor.ts";
import { topInfoKind } from "./actor.ts";
import { adminOptions, type AdminOptions } from "./options.ts";
import { startTopInfoFeed } from "./top-info-events.ts";
import { closeTopInfoHub, topInfoHub } from "./top-info-hub.ts";

type Needs = { store: CentralStore; catalog: BrandCatalog; events: EventBus; system: ActorSystem; config: { REDIS_URL?: string } };

/** The admin domain's actor kinds: the global `catalog` and `admin@<brand>`. */
export function adminKinds(ctx: Needs, options: AdminOptions = adminOptions()): ActorKind[] {
  return [catalogKind(ctx.store, ctx.catalog), topInfoKind({ store: ctx.store, catalog: ctx.catalog, hub: topInfoHub(ctx), options })];
}

/** The admin domain's node service: the event feed of the top-info counters (and the hub's connections). */
export async function startAdminDomain(ctx: Needs): Promise<{ stop(): Promise<void> }> {
  const feed = await startTopInfoFeed(ctx);
  return {
    async stop() {
      await feed.stop();
      await closeTopInfoHub(ctx);
    },
  };
}
