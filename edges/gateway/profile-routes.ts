import { Hono } from "hono";
import { z } from "zod";
import { changeOwnPassword, confirmPassword, playerFields as f, playerProtocol } from "../../actors/player/index.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import { clientAddress } from "../shared/client-address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type PlayerEnv, playerAuth, requirePlayer, valueOf } from "./player-access.ts";
import { playerBalance } from "./wallet-routes.ts";

export const profileUpdateBody = z
  .object({ nickname: f.nicknameSchema.optional(), phone: f.phoneSchema.optional() })
  .refine((b) => b.nickname !== undefined || b.phone !== undefined, "send a nickname or a phone number to change");
export const bankChangeBody = z.object({ password: f.passwordSchema, bank: f.bankSchema });
export const passwordChangeBody = z.object({ currentPassword: f.passwordSchema, newPassword: f.passwordSchema });

const profileReply = z.object({ player: playerProtocol.profile.reply });
const describeMe = describeWith({ tags: ["profile"], errors: ["unauthorized", "invalid_token", "account_suspended", "brand_mismatch"] });
/** Refusals of a change that needs the current password: a wrong one counts toward the log-in lockout. */
const PASSWORD_CHECK_ERRORS = ["validation_failed", "bad_request", "invalid_credentials", "account_locked", "rate_limited", "overloaded"] as const;

/** `/api/v1/me`: the player's profile with balance, and what they may change. */
export function profileRoutes(ctx: EdgeContext) {
  const players = ctx.clients.player;
  const checkedPassword = async (c: { var: PlayerEnv["Variables"] }, address: string | null) => {
    await ctx.rateLimits.take("playerPassword", { address, account: `${c.var.brand.id}:${c.var.player.id}` });
    return { auth: playerAuth(ctx, c.var.brand.id), client: { address } };
  };
  return new Hono<PlayerEnv>()
    .use("/me", requirePlayer(ctx))
    .use("/me/*", requirePlayer(ctx))
    .get(
      "/me",
      describeMe({ summary: "My profile and balance", responses: { 200: z.object({ player: playerProtocol.profile.reply, balance: walletProtocol.balance.reply }) } }),
      async (c) => {
        const brand = c.var.brand.id;
        const [found, money] = await Promise.all([players(brand).profile({ playerId: c.var.player.id }), playerBalance(ctx, brand, c.var.player.id)]);
        return c.json({ player: valueOf(found), balance: money });
      },
    )
    .patch(
      "/me",
      describeMe({ summary: "Change my nickname or phone", responses: { 200: profileReply }, errors: ["validation_failed", "bad_request", "nickname_taken"] }),
      validated(profileUpdateBody, "json"),
      async (c) => {
        const player = valueOf(await players(c.var.brand.id).updateProfile({ playerId: c.var.player.id, ...c.req.valid("json") }));
        return c.json({ player });
      },
    )
    .put(
      "/me/bank-account",
      describeMe({ summary: "Change my bank account", description: "Needs the current password.", responses: { 200: profileReply }, errors: PASSWORD_CHECK_ERRORS }),
      validated(bankChangeBody, "json"),
      async (c) => {
        const { password, bank } = c.req.valid("json");
        const { auth, client } = await checkedPassword(c, clientAddress(c));
        const { passwordVersion } = valueOf(await confirmPassword(auth, c.var.player.id, password, client));
        return c.json({ player: valueOf(await auth.players.changeBank({ playerId: c.var.player.id, passwordVersion, bank })) });
      },
    )
    .put(
      "/me/password",
      describeMe({
        summary: "Change my password",
        description: "Needs the current password; every other session ends.",
        responses: { 200: playerProtocol.changePassword.reply },
        errors: PASSWORD_CHECK_ERRORS,
      }),
      validated(passwordChangeBody, "json"),
      async (c) => {
        const { auth, client } = await checkedPassword(c, clientAddress(c));
        return c.json(valueOf(await changeOwnPassword(auth, c.var.player, c.req.valid("json"), client)));
      },
    );
}
