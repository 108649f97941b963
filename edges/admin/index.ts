import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { createEdgeApp, type EdgeEnv, mountRoutes, notFoundEnvelope, type RouteMount, resolveBrand } from "../shared/index.ts";

/**
 * Staff: back-office `/api/v1/*` and the `/ws` top-info websocket. Global staff carry no brand, so the brand is optional here; brand-scoped
 * routes add `requireBrand()`. The retired `/api/admin/*` family answers 404 whatever mounts later.
 */
export function createAdminEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "admin");
  app.all("/api/admin", notFoundEnvelope);
  app.all("/api/admin/*", notFoundEnvelope);
  app.use("*", resolveBrand(ctx, { host: "admin", token: { header: "authorization", kinds: ["staff"] }, required: false }));
  return mountRoutes(app, ctx, mounts);
}
