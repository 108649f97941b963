import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { createEdgeApp, type EdgeEnv, edgeErrorHandler, mountRoutes, type RouteMount, resolveBrand } from "../shared/index.ts";
import { legacyAwareErrors } from "../shared/legacy/index.ts";
import { LEGACY_ROUTES } from "./legacy/legacy-table.ts";

/**
 * Players: `/api/v1/*` and the legacy root paths. The brand comes from the Host (a gateway
 * domain of the catalog) and the player's token; X-Brand-Id from outside is not trusted.
 */
export function createGatewayEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "gateway");
  app.onError(legacyAwareErrors(edgeErrorHandler(ctx.log.child({ edge: "gateway" })), LEGACY_ROUTES));
  app.use("*", resolveBrand(ctx, { host: "gateway", token: { header: "authorization", kinds: ["player"] }, required: true }));
  return mountRoutes(app, ctx, mounts);
}
