import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import {
  createEdgeApp,
  describe,
  type EdgeEnv,
  metricsEndpoint,
  mountOpenApiDocument,
  mountRoutes,
  type RouteMount,
  requireServiceToken,
  resolveBrand,
  TOKEN_KINDS,
} from "../shared/index.ts";

const describeMetrics = describe({
  summary: "Prometheus metrics: mailboxes, turns, restarts, degradation, HTTP latency, wallet",
  tags: ["operations"],
  responses: { 200: { description: "the Prometheus text format", mediaType: "text/plain" } },
  errors: ["unauthorized"],
});

/**
 * Other services, migration tooling and operators: `/internal/{players,common,wallet,rolling,meta}/*`,
 * `/internal/ops/*` and Prometheus `/metrics`. Everything but the probes needs
 * `Authorization: Bearer <SERVICE_TOKEN>`; only then is `X-Brand-Id` trusted. A caller acting
 * for a user may forward the user's token in `X-Access-Token`; its brand must agree.
 */
export function createInternalEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "internal", { publicDocument: false });
  app.use("*", requireServiceToken(ctx));
  // route shapes are no secret, but everything here but the probes takes the service token
  mountOpenApiDocument(app, "internal");
  app.use("*", resolveBrand(ctx, { header: true, token: { header: "x-access-token", kinds: TOKEN_KINDS }, required: false }));
  app.get("/metrics", describeMetrics, metricsEndpoint(ctx));
  return mountRoutes(app, ctx, mounts);
}
