import { sign, verify } from "hono/jwt";
import { z } from "zod";
import { brandIdSchema } from "../runtime/address.ts";

/**
 * The player token a provider carries from game launch to every callback: an HS256 JWT
 * (hono/jwt over Web Crypto) signed with the session secret. It names everything the hot path
 * needs, so a callback is checked without any lookup. Expiry is checked here, after the
 * signature, so a genuine expired token (still good for wins and rollbacks) is told apart
 * from a forged one.
 */
export type SessionClaims = {
  brand: string;
  player: string;
  provider: string;
  game: string;
  session: string;
  /** epoch milliseconds, whole seconds */
  expiresAt: number;
};

export type TokenCheck = { genuine: true; claims: SessionClaims; expired: boolean } | { genuine: false; reason: string };

const ISSUER = "casino:game-session";
/** genuine tokens remembered, so a session's later callbacks skip the JWT work */
const REMEMBERED = 10_000;

const payloadSchema = z.object({
  iss: z.literal(ISSUER),
  sub: z.string().min(1).max(200),
  brand: brandIdSchema,
  prv: z.string().min(1).max(63),
  game: z.string().min(1).max(200),
  sid: z.string().min(1).max(100),
  iat: z.number().int(),
  exp: z.number().int(),
});

export class SessionTokens {
  private readonly key: Promise<CryptoKey>;
  private readonly genuine = new Map<string, SessionClaims>();

  constructor(secret: string) {
    this.key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  async issue(claims: SessionClaims, now = Date.now()): Promise<string> {
    const payload = {
      iss: ISSUER,
      sub: claims.player,
      brand: claims.brand,
      prv: claims.provider,
      game: claims.game,
      sid: claims.session,
      iat: Math.floor(now / 1000),
      exp: Math.floor(claims.expiresAt / 1000),
    };
    return sign(payloadSchema.parse(payload), await this.key, "HS256");
  }

  async check(token: string, now = Date.now()): Promise<TokenCheck> {
    const known = this.genuine.get(token);
    if (known) return { genuine: true, claims: known, expired: known.expiresAt <= now };
    const verified = await this.verify(token);
    if (!verified.genuine) return verified;
    if (this.genuine.size >= REMEMBERED) this.genuine.clear();
    this.genuine.set(token, verified.claims);
    return { ...verified, expired: verified.claims.expiresAt <= now };
  }

  private async verify(token: string): Promise<{ genuine: true; claims: SessionClaims } | { genuine: false; reason: string }> {
    let payload: unknown;
    try {
      payload = await verify(token, await this.key, { alg: "HS256", exp: false, iat: false, nbf: false, iss: ISSUER });
    } catch {
      return { genuine: false, reason: "the token is not one this platform signed" };
    }
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) return { genuine: false, reason: "the token lacks required claims" };
    const p = parsed.data;
    return { genuine: true, claims: { brand: p.brand, player: p.sub, provider: p.prv, game: p.game, session: p.sid, expiresAt: p.exp * 1000 } };
  }
}
