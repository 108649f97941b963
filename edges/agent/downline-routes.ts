import { Hono } from "hono";
import { z } from "zod";
import { activityReport, agentView, downlinePlayer, agentFields as f, playerDay } from "../../actors/agent/index.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { settlementLinePage } from "../../actors/settlement/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type AgentEnv, requireAgent, valueOf } from "./agent-access.ts";

/**
 * `/api/v1/downline/*`, `/activity`, `/commissions`: what an agent sees of its own subtree
 * (sub-agents, their players, their activity) and its commission. Everything is bounded by the
 * signed-in agent's subtree in `agent@brand`: an agent or player elsewhere reads as unknown.
 */

const agentParam = z.object({ agentId: f.agentIdSchema });
const agentsQuery = pageQuerySchema.extend({
  parentId: f.agentIdSchema.optional().describe("whose direct sub-agents; mine by default"),
  search: f.searchSchema.optional().describe("part of a login name or name, anywhere in my subtree"),
});
const playersQuery = pageQuerySchema.extend({ agentId: f.agentIdSchema.optional().describe("only this sub-agent's own players"), search: f.searchSchema.optional() });
const days = { from: f.daySchema.describe("first local day of the brand"), to: f.daySchema.describe("last local day, included") };
const activityQuery = z.object(days).refine(f.daysInOrder, f.DAYS_IN_ORDER);
const playerDaysQuery = pageQuerySchema.extend({ ...days, username: f.playerUsernameSchema.optional() }).refine(f.daysInOrder, f.DAYS_IN_ORDER);
const commissionsQuery = pageQuerySchema.extend({ from: f.daySchema.optional(), to: f.daySchema.optional() });
export const subAgentBody = z.object({
  loginName: f.loginNameSchema,
  name: f.agentNameSchema,
  password: f.agentPasswordSchema,
  code: f.agentCodeSchema.optional(),
  rates: f.ratesSchema.optional(),
  parentId: f.agentIdSchema.optional().describe("an agent of my subtree; me by default"),
});

const describeDownline = describeWith({
  tags: ["downline"],
  errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "account_suspended", "brand_mismatch", "validation_failed"],
});

export function downlineRoutes(ctx: EdgeContext) {
  const agents = (c: { var: AgentEnv["Variables"] }) => ctx.clients.agent(c.var.brand.id);
  return new Hono<AgentEnv>()
    .use("/downline/*", requireAgent(ctx))
    .use("/activity", requireAgent(ctx))
    .use("/activity/*", requireAgent(ctx))
    .use("/commissions", requireAgent(ctx))
    .get(
      "/downline/agents",
      describeDownline({ summary: "My sub-agents", responses: { 200: pageOf(agentView) }, errors: ["agent_not_found"] }),
      validated(agentsQuery, "query"),
      async (c) => {
        const { parentId, search, ...page } = c.req.valid("query");
        const me = c.var.agent.id;
        const parent = parentId ?? (search === undefined ? me : undefined);
        return c.json(valueOf(await agents(c).listAgents({ ...page, parentId: parent, search, within: me })));
      },
    )
    .post(
      "/downline/agents",
      describeDownline({
        summary: "Create a sub-agent",
        description: "Below me or an agent of my subtree, with rates no higher than its parent's. It may sign in as soon as the brand's allow-list names it (moments later).",
        responses: { 201: agentView },
        errors: ["agent_not_found", "rate_above_parent", "depth_exceeded", "login_name_taken", "code_taken", "overloaded"],
      }),
      validated(subAgentBody, "json"),
      async (c) => {
        const { password, ...input } = c.req.valid("json");
        const passwordHash = valueOf(await ctx.credentials.hash(password));
        const created = valueOf(await agents(c).createSubAgent({ ...input, passwordHash, asAgent: c.var.agent.id }));
        return c.json(created, 201);
      },
    )
    .get(
      "/downline/agents/:agentId",
      describeDownline({ summary: "One agent of my subtree", responses: { 200: agentView }, errors: ["agent_not_found"] }),
      validated(agentParam, "param"),
      async (c) => c.json(valueOf(await agents(c).agent({ agentId: c.req.valid("param").agentId, within: c.var.agent.id }))),
    )
    .get(
      "/downline/players",
      describeDownline({
        summary: "Players of my subtree, with the cash balance the wallet last reported",
        responses: { 200: pageOf(downlinePlayer) },
        errors: ["agent_not_found"],
      }),
      validated(playersQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).downlinePlayers({ ...c.req.valid("query"), within: c.var.agent.id }))),
    )
    .get(
      "/activity",
      describeDownline({ summary: "My subtree's deposits, withdrawals, bets and wins over local days", responses: { 200: activityReport } }),
      validated(activityQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).activity({ ...c.req.valid("query"), within: c.var.agent.id }))),
    )
    .get(
      "/activity/players",
      describeDownline({ summary: "Per player and day, newest first", responses: { 200: pageOf(playerDay) } }),
      validated(playerDaysQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).activityByPlayer({ ...c.req.valid("query"), within: c.var.agent.id }))),
    )
    .get(
      "/commissions",
      describeDownline({
        summary: "My commission lines, newest first",
        description: "One line per settled period and kind (rolling, losing), with how it was computed and whether the wallet paid it.",
        responses: { 200: settlementLinePage },
      }),
      validated(commissionsQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).settlementLines({ ...c.req.valid("query"), agentId: c.var.agent.id }))),
    );
}
