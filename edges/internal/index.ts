import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import {
  TOKEN_KINDS,
  createEdgeApp,
  metricsEndpoint,
  mountRoutes,
  requireServiceToken,
  resolveBrand,
  type EdgeEnv,
  type RouteMount,
} from "../shared/index.ts";

/**
 * Other services, migration tooling and operators: `/internal/{players,common,wallet,meta}/*`,
 * `/internal/ops/*` and Prometheus `/metrics`. Everything but the probes needs
 * `Authorization: Bearer <SERVICE_TOKEN>`; only then is `X-Brand-Id` trusted. A caller acting
 * for a user may forward the user's token in `X-Access-Token`; its brand must agree.
 */
export function createInternalEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "internal");
  app.use("*", requireServiceToken(ctx));
  app.use("*", resolveBrand(ctx, { header: true, token: { header: "x-access-token", kinds: TOKEN_KINDS }, required: false }));
  app.get("/metrics", metricsEndpoint(ctx));
  return mountRoutes(app, ctx, mounts);
}
