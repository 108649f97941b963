import type { MiddlewareHandler } from "hono";
import { decode } from "hono/jwt";
import type { AgentAccessIssuer, AgentAuth, AgentView } from "../../actors/agent/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, signAccessToken } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

export { valueOf } from "../shared/outcome.ts";

/** Routes behind `requireAgent` know which agent asks, and with which session. */
export type AgentEnv = { Variables: BrandedEnv["Variables"] & { agent: AgentView & { jti: string } } };

/** An agent's access token lives a working day; its session (the jti) ends earlier on logout, suspension or a password change. */
export const AGENT_ACCESS_TTL_SECONDS = 8 * 60 * 60;

/** What the agent domain's sign-in flows need of this edge: the brand's actor and the node's credentials. */
export function agentAuth(ctx: EdgeContext, brand: string): AgentAuth {
  return { agents: ctx.clients.agent(brand), credentials: ctx.credentials, brand };
}

/** The edge's signer as the agent domain's issuer: an agent token of this brand, its jti and when it ends. */
export function agentIssuer(ctx: EdgeContext, brand: string): AgentAccessIssuer {
  return async (agentId) => {
    const token = await signAccessToken(ctx, { sub: agentId, brand, role: "agent", kind: "agent" }, AGENT_ACCESS_TTL_SECONDS);
    const { jti, exp } = decode(token).payload as { jti: string; exp: number };
    return { token, jti, expiresAt: exp * 1000 };
  };
}

/** Whether the brand's allow-list (this node's catalog copy, which follows every change) lets the agent act here. */
export const allowedIn = (ctx: EdgeContext, brand: string) => (agentId: string) => ctx.brands.agentBrands(agentId).includes(brand);

/**
 * A signed-in agent of this brand, checked on every request against what is true now, not
 * what the token says: its session is live and the agent active (one read in `agent@brand`),
 * and the brand's allow-list still names it (a brand taken off the list refuses the next
 * request). Player and staff tokens never get here: brand resolution refuses them.
 */
export function requireAgent(ctx: EdgeContext): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const claims = c.var.claims;
    if (!claims) throw new PlatformError("unauthorized", "log in first: send Authorization: Bearer <access token>");
    const brand = c.var.brand.id;
    if (claims.kind !== "agent" || claims.brand !== brand) throw new PlatformError("forbidden", "this token is not an agent token of this site");
    if (!allowedIn(ctx, brand)(claims.sub)) throw new PlatformError("forbidden", `this agent may not act in brand ${brand}`);
    const agent = valueOf(await ctx.clients.agent(brand).sessionCheck({ agentId: claims.sub, jti: claims.jti }));
    c.set("agent", { ...agent, jti: claims.jti });
    await next();
  };
}
