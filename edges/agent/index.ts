import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { createEdgeApp, mountRoutes, resolveBrand, type EdgeEnv, type RouteMount } from "../shared/index.ts";

/**
 * Agents: the portal's `/api/v1/*` and legacy aliases. The brand comes from the Host (an
 * agent domain of the catalog) and the agent's token; the allow-list check is the agent
 * domain's, per request.
 */
export function createAgentEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "agent");
  app.use("*", resolveBrand(ctx, { host: "agent", token: { header: "authorization", kinds: ["agent"] }, required: true }));
  return mountRoutes(app, ctx, mounts);
}
