import type { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { createEdgeApp, type EdgeEnv, edgeErrorHandler, mountRoutes, type RouteMount, resolveBrand } from "../shared/index.ts";
import { legacyAwareErrors } from "../shared/legacy/index.ts";
import { AGENT_LEGACY_ROUTES } from "./legacy/legacy-table.ts";

/**
 * Agents: the portal's `/api/v1/*` and the legacy agent dialect's root paths. The brand comes
 * from the Host (an agent domain of the catalog) and the agent's token; only agent tokens are
 * accepted. The allow-list and the session are checked per request (agent-access.ts).
 */
export function createAgentEdge(ctx: EdgeContext, mounts: readonly RouteMount[] = []): Hono<EdgeEnv> {
  const app = createEdgeApp(ctx, "agent");
  app.onError(legacyAwareErrors(edgeErrorHandler(ctx.log.child({ edge: "agent" })), AGENT_LEGACY_ROUTES));
  app.use("*", resolveBrand(ctx, { host: "agent", token: { header: "authorization", kinds: ["agent"] }, required: true }));
  return mountRoutes(app, ctx, mounts);
}
