import { Hono } from "hono";
import { z } from "zod";
import { agentView, changeAgentPassword, agentFields as f, logInAgent } from "../../actors/agent/index.ts";
import { DEVICE_TOKEN } from "../../actors/credentials/index.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import { clientAddress } from "../shared/client-address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { AGENT_ACCESS_TTL_SECONDS, type AgentEnv, agentAuth, agentIssuer, allowedIn, requireAgent, valueOf } from "./agent-access.ts";

const deviceTokenSchema = z.string().regex(DEVICE_TOKEN, "the deviceToken an earlier log-in answered").describe("the deviceToken of an earlier log-in on this device");
export const agentLoginBody = z.object({ loginName: f.loginNameSchema, password: f.agentPasswordSchema, deviceToken: deviceTokenSchema.optional() });
const passwordChangeBody = z.object({ currentPassword: f.agentPasswordSchema, newPassword: f.agentPasswordSchema });

const loginReply = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().describe("seconds the access token lives"),
  agent: agentView,
  deviceToken: z.string().optional().describe("send it with the next log-in from this device, which then passes a lock strangers caused"),
});
export const meReply = z.object({ agent: agentView, balance: walletProtocol.balance.reply.describe("the agent's cash, and what its pending withdrawals hold") });

const describeAuth = describeWith({ tags: ["auth"], errors: ["validation_failed", "bad_request", "rate_limited"] });
const describeMe = describeWith({ tags: ["profile"], errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "account_suspended", "brand_mismatch"] });

/** `/api/v1/auth/*` and `/api/v1/me`: an agent's sign-in, sign-out, profile with balance, and password. */
export function agentAuthRoutes(ctx: EdgeContext) {
  return new Hono<AgentEnv>()
    .post(
      "/auth/login",
      describeAuth({
        summary: "Log in",
        description:
          "An agent token for `Authorization: Bearer` and a device token for the next log-in. Wrong passwords slow and then lock further attempts from devices the account does not know; an unknown login name is answered exactly like a wrong password. An agent the brand's allow-list does not name is refused.",
        responses: { 200: loginReply },
        errors: ["invalid_credentials", "account_suspended", "account_locked", "forbidden", "overloaded"],
      }),
      validated(agentLoginBody, "json"),
      async (c) => {
        const brand = c.var.brand.id;
        const { loginName, password, deviceToken } = c.req.valid("json");
        const address = clientAddress(c);
        await ctx.rateLimits.take("agentLogin", { address, account: `${brand}:${loginName}` });
        const signedIn = valueOf(
          await logInAgent(agentAuth(ctx, brand), { loginName, password, client: { address, deviceToken }, allowed: allowedIn(ctx, brand) }, agentIssuer(ctx, brand)),
        );
        const reply = { accessToken: signedIn.accessToken, tokenType: "Bearer" as const, expiresIn: AGENT_ACCESS_TTL_SECONDS, agent: signedIn.agent };
        return c.json(signedIn.deviceToken ? { ...reply, deviceToken: signedIn.deviceToken } : reply);
      },
    )
    .post(
      "/auth/logout",
      describeMe({ summary: "Log out", description: "Ends the session of this access token.", tags: ["auth"], responses: { 200: z.object({ loggedOut: z.boolean() }) } }),
      requireAgent(ctx),
      async (c) => c.json(valueOf(await ctx.clients.agent(c.var.brand.id).logout({ agentId: c.var.agent.id, jti: c.var.agent.jti }))),
    )
    .get("/me", describeMe({ summary: "My profile, rates and balance", responses: { 200: meReply } }), requireAgent(ctx), async (c) => {
      const { jti: _jti, ...agent } = c.var.agent;
      const balance = valueOf(await ctx.clients.wallet(c.var.brand.id).balance({ owner: { kind: "agent", id: agent.id } }));
      return c.json({ agent, balance });
    })
    .put(
      "/me/password",
      describeMe({
        summary: "Change my password",
        description: "Needs the current password; a wrong one counts toward the log-in lockout. Other sessions end.",
        responses: { 200: z.object({ passwordVersion: z.number() }) },
        errors: ["validation_failed", "bad_request", "invalid_credentials", "account_locked", "rate_limited", "overloaded"],
      }),
      requireAgent(ctx),
      validated(passwordChangeBody, "json"),
      async (c) => {
        const address = clientAddress(c);
        const agent = c.var.agent;
        await ctx.rateLimits.take("agentPassword", { address, account: `${c.var.brand.id}:${agent.loginName}` });
        return c.json(valueOf(await changeAgentPassword(agentAuth(ctx, c.var.brand.id), { id: agent.id, jti: agent.jti }, c.req.valid("json"), { address })));
      },
    );
}
