import type { MiddlewareHandler } from "hono";
import { decode } from "hono/jwt";
import type { AccessIssuer } from "../../actors/player/index.ts";
import { formatAddress } from "../../actors/runtime/address.ts";
import { PlatformError, type ErrorBody, type Outcome } from "../../actors/runtime/errors.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { signAccessToken, type BrandedEnv } from "../shared/index.ts";

/** Routes behind `requirePlayer` know who is asking. */
export type PlayerEnv = {
  Variables: BrandedEnv["Variables"] & { player: { id: string; jti: string; sessionId: string } };
};

/** Access tokens live briefly; the refresh token (rotated, revocable) keeps a player logged in. */
export const ACCESS_TTL_SECONDS = 15 * 60;


export function refusal(error: ErrorBody): PlatformError {
  return new PlatformError(error.code, error.message, { details: error.details });
}

/** The reply value, or the refusal thrown for the edge's error envelope. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw refusal(outcome.error);
  return outcome.value;
}

export const playerAddress = (brand: string) => formatAddress("player", brand);

/** The edge's signer as the player domain's issuer: a player token of this brand, and its jti. */
export function accessIssuer(ctx: NodeContext, brand: string): AccessIssuer {
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
export function requirePlayer(ctx: NodeContext): MiddlewareHandler<PlayerEnv> {
  return async (c, next) => {
    const claims = c.var.claims;
    if (!claims) throw new PlatformError("unauthorized", "log in first: send Authorization: Bearer <access token>");
    if (claims.kind !== "player" || claims.brand !== c.var.brand.id) throw new PlatformError("forbidden", "this token is not a player token of this site");
    const check = await ctx.system.askOutcome(playerAddress(c.var.brand.id), "session_check", { playerId: claims.sub, jti: claims.jti });
    const { sessionId } = valueOf(check as Outcome<{ sessionId: string }>);
    c.set("player", { id: claims.sub, jti: claims.jti, sessionId });
    await next();
  };
}

/** 503 when no actor kind of `domain` runs on this node (a domain not deployed yet). */
export function requireDomain(ctx: NodeContext, domain: string): void {
  if (!ctx.system.kinds().some((k) => k.domain === domain)) {
    throw new PlatformError("unavailable", `the ${domain} service is not running on this node; retry later`);
  }
}
