import type { MiddlewareHandler } from "hono";
import { decode } from "hono/jwt";
import type { AccessIssuer, PlayerAuth } from "../../actors/player/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, signAccessToken } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

export { valueOf } from "../shared/outcome.ts";

/** Routes behind `requirePlayer` know who is asking. */
export type PlayerEnv = {
  Variables: BrandedEnv["Variables"] & { player: { id: string; jti: string; sessionId: string } };
};

/** Access tokens live briefly; the refresh token (rotated, revocable) keeps a player logged in. */
export const ACCESS_TTL_SECONDS = 15 * 60;

/** What the player domain's sign-in flows need of this edge: the brand's actor and the node's credentials. */
export function playerAuth(ctx: EdgeContext, brand: string): PlayerAuth {
  return { players: ctx.clients.player(brand), credentials: ctx.credentials, brand };
}

/** The edge's signer as the player domain's issuer: a player token of this brand, and its jti. */
export function accessIssuer(ctx: EdgeContext, brand: string): AccessIssuer {
  return async (playerId) => {
    const token = await signAccessToken(ctx, { sub: playerId, brand, role: "player", kind: "player" }, ACCESS_TTL_SECONDS);
    return { token, jti: String(decode(token).payload.jti) };
  };
}

/**
 * A logged-in player of this brand: a verified player token (checked by brand resolution,
 * whose brand must match the Host) whose session is still live and whose account is active.
 * The session check is one read in `player@brand`, so logout, suspension and a detected
 * refresh-token theft take effect on the next request, not when the token expires.
 */
export function requirePlayer(ctx: EdgeContext): MiddlewareHandler<PlayerEnv> {
  return async (c, next) => {
    const claims = c.var.claims;
    if (!claims) throw new PlatformError("unauthorized", "log in first: send Authorization: Bearer <access token>");
    if (claims.kind !== "player" || claims.brand !== c.var.brand.id) throw new PlatformError("forbidden", "this token is not a player token of this site");
    const { sessionId } = valueOf(await ctx.clients.player(c.var.brand.id).sessionCheck({ playerId: claims.sub, jti: claims.jti }));
    c.set("player", { id: claims.sub, jti: claims.jti, sessionId });
    await next();
  };
}
