import type { EdgeContext } from "../../shared/edge-context.ts";
import { legacyDialect } from "../../shared/legacy/index.ts";
import { agentApiRoutes } from "../agent-api-routes.ts";
import { createAgentEdge } from "../index.ts";
import { AGENT_LEGACY_ROUTES } from "./legacy-table.ts";

/** The legacy agent dialect's root paths, replayed against the agent edge's own `/api/v1`. */
export function agentLegacyRoutes(ctx: EdgeContext) {
  return legacyDialect(createAgentEdge(ctx, [{ prefix: "/api/v1", routes: agentApiRoutes }]), AGENT_LEGACY_ROUTES, { name: "agent" });
}
