import { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { requireHealthy } from "../shared/index.ts";
import type { AgentEnv } from "./agent-access.ts";
import { agentAuthRoutes } from "./auth-routes.ts";
import { downlineRoutes } from "./downline-routes.ts";
import { moneyRoutes } from "./money-routes.ts";

/** Every agent route family, mounted at `/api/v1` of the agent edge (and replayed by the legacy dialect). */
export function agentApiRoutes(ctx: EdgeContext) {
  return new Hono<AgentEnv>().use("*", requireHealthy(ctx, "agent")).route("/", agentAuthRoutes(ctx)).route("/", downlineRoutes(ctx)).route("/", moneyRoutes(ctx));
}
