import { Hono } from "hono";
import { z } from "zod";
import { confirmPassword, hashPassword, playerFields as f } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";
import { playerBalance } from "./wallet-routes.ts";

export const profileUpdateBody = z
  .object({ nickname: f.nicknameSchema.optional(), phone: f.phoneSchema.optional() })
  .refine((b) => b.nickname !== undefined || b.phone !== undefined, "send a nickname or a phone number to change");
export const bankChangeBody = z.object({ password: f.passwordSchema, bank: f.bankSchema });
export const passwordChangeBody = z.object({ currentPassword: f.passwordSchema, newPassword: f.passwordSchema });

/** `/api/v1/me`: the player's profile with balance, and what they may change. */
export function profileRoutes(ctx: EdgeContext) {
  const players = ctx.clients.player;
  return new Hono<PlayerEnv>()
    .use("/me", requirePlayer(ctx))
    .use("/me/*", requirePlayer(ctx))
    .get("/me", async (c) => {
      const brand = c.var.brand.id;
      const [profile, balance] = await Promise.all([players(brand).profile({ playerId: c.var.player.id }), playerBalance(ctx, brand, c.var.player.id)]);
      return c.json({ player: valueOf(profile), balance });
    })
    .patch("/me", validated(profileUpdateBody, "json"), async (c) => {
      const player = valueOf(await players(c.var.brand.id).updateProfile({ playerId: c.var.player.id, ...c.req.valid("json") }));
      return c.json({ player });
    })
    .put("/me/bank-account", validated(bankChangeBody, "json"), async (c) => {
      const brand = c.var.brand.id;
      const { password, bank } = c.req.valid("json");
      const { passwordVersion } = valueOf(await confirmPassword(players(brand), c.var.player.id, password));
      return c.json({ player: valueOf(await players(brand).changeBank({ playerId: c.var.player.id, passwordVersion, bank })) });
    })
    .put("/me/password", validated(passwordChangeBody, "json"), async (c) => {
      const brand = c.var.brand.id;
      const { currentPassword, newPassword } = c.req.valid("json");
      const { passwordVersion } = valueOf(await confirmPassword(players(brand), c.var.player.id, currentPassword));
      const body = { playerId: c.var.player.id, passwordVersion, passwordHash: await hashPassword(newPassword), keepJti: c.var.player.jti };
      return c.json(valueOf(await players(brand).changePassword(body)));
    });
}
