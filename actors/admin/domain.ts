import type { BrandDirectory } from "../catalog/index.ts";
import type { ActorKind } from "../runtime/actor.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { topInfoKind } from "./actor.ts";
import { type AdminOptions, adminOptions } from "./options.ts";
import type { TopInfoHub } from "./top-info-hub.ts";

type Needs = { store: CentralStore; catalog: Pick<BrandDirectory, "get">; hub: TopInfoHub; relay?: { notify(source?: string): void } };

/** The admin domain's actor kind: `admin@<brand>` (top-info counters, player notes). */
export function adminKinds(ctx: Needs, options: AdminOptions = adminOptions()): ActorKind[] {
  return [topInfoKind({ store: ctx.store, catalog: ctx.catalog, hub: ctx.hub, relay: ctx.relay, options })];
}
