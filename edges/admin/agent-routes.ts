import { Hono } from "hono";
import { z } from "zod";
import { activityReport, agentView, downlinePlayer, agentFields as f } from "../../actors/agent/index.ts";
import { agentRealm, temporaryPassword } from "../../actors/credentials/index.ts";
import { actingAs } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const agentParam = brandParam.extend({ agentId: f.agentIdSchema });
const treeQuery = pageQuerySchema.extend({
  parentId: f.agentIdSchema.optional().describe("whose direct sub-agents; the top agents when absent"),
  search: f.searchSchema.optional().describe("part of a login name or name, anywhere in the tree"),
});
export const newAgentBody = z.object({
  parentId: f.agentIdSchema.nullable().default(null).describe("the parent agent; a top agent (head office) when null"),
  loginName: f.loginNameSchema,
  name: f.agentNameSchema,
  password: f.agentPasswordSchema,
  code: f.agentCodeSchema.optional(),
  rates: f.ratesSchema.optional(),
});
const editBody = z
  .object({ name: f.agentNameSchema.optional(), code: f.agentCodeSchema.optional(), rates: f.ratesSchema.optional() })
  .refine((b) => b.name !== undefined || b.code !== undefined || b.rates !== undefined, "send a name, a code or rates to change");
const moveBody = z.object({ parentId: f.agentIdSchema.nullable().describe("the new parent; null makes it a top agent") });
const reasonBody = z.object({ reason: f.reasonSchema });
const playersQuery = pageQuerySchema.extend({ search: f.searchSchema.optional() });
const activityQuery = z.object({ from: f.daySchema, to: f.daySchema }).refine(f.daysInOrder, f.DAYS_IN_ORDER);
const agentDetail = z.object({ agent: agentView, balance: walletProtocol.balance.reply });
const passwordReset = z.object({ temporaryPassword: z.string().describe("shown once: pass it on to the agent"), passwordVersion: z.number().int() });

const describeAgents = describeWith({
  tags: ["agents"],
  errors: ["validation_failed", "unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "brand_mismatch", "brand_not_found", "brand_disabled"],
});

/**
 * `/api/v1/brands/:brand/agent-tree/*`: the brand's agents as staff manage them, through
 * `agent@brand`, which audits each change in the commit that makes it. (Which agents may act
 * in the brand at all is the allow-list, `/brands/:brand/agents`: a new agent joins it by itself.)
 */
export function agentRoutes(ctx: EdgeContext) {
  const agents = (c: SignedInAtBrand) => ctx.clients.agent(c.var.brand.id);
  const by = (c: SignedInAtBrand) => actingAs(c.var.staff);
  const read = staffGuard(ctx, "read", "brand");
  const write = staffGuard(ctx, "brands.write", "brand");
  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/agent-tree",
      describeAgents({ summary: "Agents: the top ones, one agent's sub-agents, or a search", responses: { 200: pageOf(agentView) } }),
      read,
      validated(brandParam, "param"),
      validated(treeQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).listAgents(c.req.valid("query")))),
    )
    .post(
      "/brands/:brand/agent-tree",
      describeAgents({
        summary: "Create an agent",
        description: "A head office (no parent) or an agent below one, its rates no higher than its parent's. It joins the brand's allow-list by itself, moments later.",
        responses: { 201: agentView },
        errors: ["agent_not_found", "rate_above_parent", "depth_exceeded", "login_name_taken", "code_taken", "overloaded"],
      }),
      write,
      validated(brandParam, "param"),
      validated(newAgentBody, "json"),
      async (c) => {
        const { password, rates, ...input } = c.req.valid("json");
        const passwordHash = valueOf(await ctx.credentials.hash(password));
        return c.json(valueOf(await agents(c).createAgent({ ...input, rates, passwordHash, by: by(c) })), 201);
      },
    )
    .get(
      "/brands/:brand/agent-tree/:agentId",
      describeAgents({ summary: "One agent and its balances", responses: { 200: agentDetail }, errors: ["agent_not_found"] }),
      read,
      validated(agentParam, "param"),
      async (c) => {
        const { agentId } = c.req.valid("param");
        const agent = valueOf(await agents(c).agent({ agentId }));
        return c.json({ agent, balance: valueOf(await ctx.clients.wallet(c.var.brand.id).balance({ owner: { kind: "agent", id: agentId } })) });
      },
    )
    .patch(
      "/brands/:brand/agent-tree/:agentId",
      describeAgents({
        summary: "Change an agent's name, code or rates",
        description: "Rates stay between the parent's and every sub-agent's.",
        responses: { 200: agentView },
        errors: ["agent_not_found", "rate_above_parent", "rate_below_child", "code_taken"],
      }),
      write,
      validated(agentParam, "param"),
      validated(editBody, "json"),
      async (c) => c.json(valueOf(await agents(c).updateAgent({ agentId: c.req.valid("param").agentId, ...c.req.valid("json"), by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-tree/:agentId/move",
      describeAgents({
        summary: "Move an agent and its subtree under another parent",
        responses: { 200: agentView },
        errors: ["agent_not_found", "rate_above_parent", "depth_exceeded", "invalid_state"],
      }),
      write,
      validated(agentParam, "param"),
      validated(moveBody, "json"),
      async (c) => c.json(valueOf(await agents(c).moveAgent({ agentId: c.req.valid("param").agentId, parentId: c.req.valid("json").parentId, by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-tree/:agentId/suspend",
      describeAgents({ summary: "Suspend an agent: its sessions end, it cannot sign in", responses: { 200: agentView }, errors: ["agent_not_found"] }),
      write,
      validated(agentParam, "param"),
      validated(reasonBody, "json"),
      async (c) => c.json(valueOf(await agents(c).suspendAgent({ agentId: c.req.valid("param").agentId, reason: c.req.valid("json").reason, by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-tree/:agentId/reinstate",
      describeAgents({ summary: "Reinstate a suspended agent", responses: { 200: agentView }, errors: ["agent_not_found"] }),
      write,
      validated(agentParam, "param"),
      async (c) => c.json(valueOf(await agents(c).reinstateAgent({ agentId: c.req.valid("param").agentId, by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-tree/:agentId/reset-password",
      describeAgents({
        summary: "Give an agent a temporary password",
        description: "Its sessions end and a sign-in lock strangers caused lifts.",
        responses: { 200: passwordReset },
        errors: ["agent_not_found", "overloaded"],
      }),
      write,
      validated(agentParam, "param"),
      async (c) => {
        const password = temporaryPassword();
        const passwordHash = valueOf(await ctx.credentials.hash(password));
        const done = valueOf(await agents(c).resetAgentPassword({ agentId: c.req.valid("param").agentId, passwordHash, by: by(c) }));
        await ctx.credentials.throttle.unlock({ realm: agentRealm(c.var.brand.id), username: done.loginName });
        return c.json({ temporaryPassword: password, passwordVersion: done.passwordVersion });
      },
    )
    .get(
      "/brands/:brand/agent-tree/:agentId/players",
      describeAgents({ summary: "The players of an agent's subtree, with their cash", responses: { 200: pageOf(downlinePlayer) }, errors: ["agent_not_found"] }),
      read,
      validated(agentParam, "param"),
      validated(playersQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).downlinePlayers({ ...c.req.valid("query"), within: c.req.valid("param").agentId }))),
    )
    .get(
      "/brands/:brand/agent-tree/:agentId/activity",
      describeAgents({ summary: "An agent's subtree's activity over local days", responses: { 200: activityReport }, errors: ["agent_not_found"] }),
      read,
      validated(agentParam, "param"),
      validated(activityQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).activity({ ...c.req.valid("query"), within: c.req.valid("param").agentId }))),
    );
}
