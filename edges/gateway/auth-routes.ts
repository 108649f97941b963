import { Hono } from "hono";
import { z } from "zod";
import { logIn, playerFields, refreshSession, registerPlayer, type SignedIn } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, validated } from "../shared/index.ts";
import { ACCESS_TTL_SECONDS, accessIssuer, requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";

const f = playerFields;

export const registerBody = z.object({
  username: f.usernameSchema,
  password: f.passwordSchema,
  nickname: f.nicknameSchema,
  phone: f.phoneSchema,
  bank: f.bankSchema,
  code: f.signupCodeSchema.optional(),
});
export const loginBody = z.object({ username: f.usernameSchema, password: f.passwordSchema });
export const refreshBody = z.object({ refreshToken: z.string().min(1).max(200) });

const tokensReply = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().describe("seconds the access token lives"),
  player: z.object({ id: z.string(), username: z.string(), nickname: z.string() }),
});

export function tokenReply(s: SignedIn): z.output<typeof tokensReply> {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, tokenType: "Bearer", expiresIn: ACCESS_TTL_SECONDS, player: s.player };
}

/** `/api/v1/auth/*`: sign up, log in, refresh, log out. */
export function authRoutes(ctx: EdgeContext) {
  return new Hono<PlayerEnv>()
    .post("/auth/register", validated(registerBody, "json"), async (c) => {
      const player = valueOf(await registerPlayer(ctx.clients.player(c.var.brand.id), c.req.valid("json")));
      return c.json({ player }, 201);
    })
    .post(
      "/auth/login",
      describe({
        summary: "Log in",
        description: "An access token for `Authorization: Bearer` and a refresh token. Wrong passwords count toward a lockout.",
        tags: ["auth"],
        responses: { 200: tokensReply },
        errors: ["validation_failed", "bad_request", "invalid_credentials", "account_suspended", "account_locked"],
      }),
      validated(loginBody, "json"),
      async (c) => {
        const brand = c.var.brand.id;
        return c.json(tokenReply(valueOf(await logIn(ctx.clients.player(brand), c.req.valid("json"), accessIssuer(ctx, brand)))));
      },
    )
    .post("/auth/refresh", validated(refreshBody, "json"), async (c) => {
      const brand = c.var.brand.id;
      return c.json(tokenReply(valueOf(await refreshSession(ctx.clients.player(brand), c.req.valid("json").refreshToken, accessIssuer(ctx, brand)))));
    })
    .post("/auth/logout", requirePlayer(ctx), async (c) => {
      const player = c.var.player;
      return c.json(valueOf(await ctx.clients.player(c.var.brand.id).logout({ playerId: player.id, jti: player.jti })));
    });
}
