import { Hono } from "hono";
import { z } from "zod";
import { DEVICE_TOKEN } from "../../actors/credentials/index.ts";
import { logIn, playerFields, refreshSession, refreshTokenPlayer, registerPlayer, type SignedIn } from "../../actors/player/index.ts";
import { clientAddress } from "../shared/client-address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { ACCESS_TTL_SECONDS, accessIssuer, type PlayerEnv, playerAuth, requirePlayer, valueOf } from "./player-access.ts";

const f = playerFields;

export const registerBody = z.object({
  username: f.usernameSchema,
  password: f.passwordSchema,
  nickname: f.nicknameSchema,
  phone: f.phoneSchema,
  bank: f.bankSchema,
  code: f.signupCodeSchema.optional(),
});
const deviceTokenSchema = z.string().regex(DEVICE_TOKEN, "the deviceToken an earlier log-in answered").describe("the deviceToken of an earlier log-in on this device");
export const loginBody = z.object({ username: f.usernameSchema, password: f.passwordSchema, deviceToken: deviceTokenSchema.optional() });
export const refreshBody = z.object({ refreshToken: z.string().min(1).max(200) });

const playerSummary = z.object({ id: z.string(), username: z.string(), nickname: z.string() });
const tokensReply = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().describe("seconds the access token lives"),
  player: playerSummary,
  deviceToken: z.string().optional().describe("after a log-in: send it with the next log-in from this device, which then passes a lock strangers caused"),
});

export function tokenReply(s: SignedIn): z.output<typeof tokensReply> {
  const reply = { accessToken: s.accessToken, refreshToken: s.refreshToken, tokenType: "Bearer" as const, expiresIn: ACCESS_TTL_SECONDS, player: s.player };
  return s.deviceToken ? { ...reply, deviceToken: s.deviceToken } : reply;
}

const describeAuth = describeWith({ tags: ["auth"], errors: ["validation_failed", "bad_request", "rate_limited"] });

/** `/api/v1/auth/*`: sign up, log in, refresh, log out; each limited per address and per account. */
export function authRoutes(ctx: EdgeContext) {
  return new Hono<PlayerEnv>()
    .post(
      "/auth/register",
      describeAuth({ summary: "Sign up", responses: { 201: z.object({ player: playerSummary }) }, errors: ["username_taken", "nickname_taken", "overloaded"] }),
      validated(registerBody, "json"),
      async (c) => {
        const input = c.req.valid("json");
        await ctx.rateLimits.take("playerRegister", { address: clientAddress(c), account: `${c.var.brand.id}:${input.username}` });
        const player = valueOf(await registerPlayer(playerAuth(ctx, c.var.brand.id), input));
        return c.json({ player }, 201);
      },
    )
    .post(
      "/auth/login",
      describeAuth({
        summary: "Log in",
        description:
          "An access token for `Authorization: Bearer`, a refresh token, and a device token for the next log-in. Wrong passwords slow and then lock further attempts from devices the account does not know; an unknown username is answered exactly like a wrong password.",
        responses: { 200: tokensReply },
        errors: ["invalid_credentials", "account_suspended", "account_locked", "overloaded"],
      }),
      validated(loginBody, "json"),
      async (c) => {
        const brand = c.var.brand.id;
        const { username, password, deviceToken } = c.req.valid("json");
        const address = clientAddress(c);
        await ctx.rateLimits.take("playerLogin", { address, account: `${brand}:${username}` });
        const signedIn = await logIn(playerAuth(ctx, brand), { username, password, client: { address, deviceToken } }, accessIssuer(ctx, brand));
        return c.json(tokenReply(valueOf(signedIn)));
      },
    )
    .post(
      "/auth/refresh",
      describeAuth({
        summary: "Refresh the tokens",
        description: "Rotates the refresh token; presenting one that was already used ends its session.",
        responses: { 200: tokensReply },
        errors: ["invalid_token", "token_expired", "account_suspended"],
      }),
      validated(refreshBody, "json"),
      async (c) => {
        const brand = c.var.brand.id;
        const { refreshToken } = c.req.valid("json");
        const player = refreshTokenPlayer(refreshToken);
        await ctx.rateLimits.take("playerRefresh", { address: clientAddress(c), account: player && `${brand}:${player}` });
        return c.json(tokenReply(valueOf(await refreshSession(ctx.clients.player(brand), refreshToken, accessIssuer(ctx, brand)))));
      },
    )
    .post(
      "/auth/logout",
      describeAuth({
        summary: "Log out",
        description: "Ends the session of this access token.",
        responses: { 200: z.object({ loggedOut: z.boolean() }) },
        errors: ["unauthorized", "invalid_token"],
      }),
      requirePlayer(ctx),
      async (c) => {
        const player = c.var.player;
        return c.json(valueOf(await ctx.clients.player(c.var.brand.id).logout({ playerId: player.id, jti: player.jti })));
      },
    );
}
