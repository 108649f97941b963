import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { createEdgeApp, type EdgeEnv, mountRoutes, type RouteMount } from "../shared/index.ts";

/**
 * Game providers: `/callbacks/{provider}/...` and `/integration/*`. No Host or header names the
 * brand here: each route checks the provider's signature and takes the brand from the signed
 * game-session token, then applies `activeBrand` and `requireHealthy` itself.
 */
export function createCallbackEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  return mountRoutes(createEdgeApp(ctx, "callback"), ctx, mounts);
}
