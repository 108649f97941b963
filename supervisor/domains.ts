import type { ActorKind } from "../actors/runtime/actor.ts";
import type { NodeContext } from "./context.ts";
import { playerKind } from "../actors/player/index.ts";
import { gameDomain, startGameDomain } from "../actors/game/index.ts";
import { identityKind, identityOptions } from "../actors/identity/index.ts";
import { adminKinds, startAdminDomain } from "../actors/admin/index.ts";
import { walletKind } from "../actors/wallet/index.ts";

/**
 * The composition root: every domain's actor kind, made from the node context.
 * A new domain adds its `xxxKind` here and its routes in supervisor/routes.ts.
 */
export function domainKinds(ctx: NodeContext): ActorKind[] {
  return [playerKind(ctx), ...gameDomain(ctx).kinds(), identityKind(ctx.store, identityOptions()), ...adminKinds(ctx), walletKind(ctx)];
}

/** Something a domain runs beside its actors on every node (event subscriptions, schedulers). */
export type NodeService = { stop(): Promise<void> };

/** Start each domain's node services (after actors are hosted); stopped in reverse order. */
export async function nodeServices(ctx: NodeContext): Promise<NodeService[]> {
  return [await startGameDomain(ctx), await startAdminDomain(ctx)];
}
