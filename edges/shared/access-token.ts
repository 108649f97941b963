import { sign, verify } from "hono/jwt";
import { z } from "zod";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { Config } from "../../config/index.ts";

export const TOKEN_KINDS = ["player", "agent", "staff"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** What an access token says. `brand` is null only for global staff. */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  brand: brandIdSchema.nullable(),
  role: z.string().min(1).max(50),
  kind: z.enum(TOKEN_KINDS),
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string().min(1).max(100),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
export type AccessGrant = Pick<AccessClaims, "sub" | "brand" | "role" | "kind">;

type Signer = { config: Pick<Config, "secrets"> };

/** An HS256 access token for `grant`, valid for `ttlSeconds`. Every surface signs with this. */
export async function signAccessToken(ctx: Signer, grant: AccessGrant, ttlSeconds: number): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`token ttl must be a positive whole number of seconds, got ${ttlSeconds}`);
  const iat = Math.floor(Date.now() / 1000);
  const claims = accessClaimsSchema.parse({ ...grant, iat, exp: iat + ttlSeconds, jti: crypto.randomUUID() });
  return sign(claims, ctx.config.secrets.jwt, "HS256");
}

/** The claims of a genuine, unexpired token; otherwise 401 token_expired or invalid_token. */
export async function verifyAccessToken(ctx: Signer, token: string): Promise<AccessClaims> {
  let payload: unknown;
  try {
    payload = await verify(token, ctx.config.secrets.jwt, "HS256");
  } catch (error) {
    if (error instanceof Error && error.name === "JwtTokenExpired") {
      throw new PlatformError("token_expired", "the access token has expired; refresh it or log in again");
    }
    throw new PlatformError("invalid_token", "the access token is not valid");
  }
  const claims = accessClaimsSchema.safeParse(payload);
  if (!claims.success) throw new PlatformError("invalid_token", "the access token lacks required claims");
  return claims.data;
}

/** The token of an `Authorization: Bearer <token>` style header value, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
