import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { hashPassword, playerFields as f } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { audit, staffGuard, valueOf, type SignedInAtBrand, type StaffBrandEnv } from "./staff-access.ts";

const playerParam = z.object({ brand: z.string(), playerId: f.playerIdSchema });
const inquiryParam = z.object({ brand: z.string(), inquiryId: f.recordIdSchema });
const listQuery = f.pageSchema.extend({ status: z.enum(["active", "suspended"]).optional(), search: z.string().trim().max(40).optional() });
const inquiryQuery = f.pageSchema.extend({ status: z.enum(["open", "answered"]).optional(), playerId: f.playerIdSchema.optional() });
const reasonBody = z.object({ reason: z.string().trim().min(1).max(500) });
const noteBody = z.object({ body: z.string().trim().min(1).max(2000) });
const messageBody = z.object({ title: f.titleSchema, body: f.textBodySchema });
const replyBody = z.object({ body: f.textBodySchema });

/**
 * `/api/v1/brands/:brand/{players,messages,inquiries}`: players (search, detail, suspend,
 * reinstate, password reset, notes, messages) and their inquiries, through `player@brand`.
 */
export function playerRoutes(ctx: EdgeContext) {
  const player = (c: SignedInAtBrand) => ctx.clients.player(c.var.brand.id);
  const profile = async (c: SignedInAtBrand, playerId: string) => valueOf(await player(c).profile({ playerId }));
  const notes = async (c: SignedInAtBrand, playerId: string) => valueOf(await ctx.clients.admin(c.var.brand.id).playerNotes({ playerId })).items;
  // the wallet keeps its own list of suspended players, for provider bets
  const tellWallet = async (brand: string, player: string, suspended: boolean) => valueOf(await ctx.clients.wallet(brand).setPlayerStatus({ player, suspended }));

  return new Hono<StaffBrandEnv>()
    .get("/brands/:brand/players", staffGuard(ctx, "read", "brand"), validated(listQuery, "query"), async (c) => c.json(valueOf(await player(c).listPlayers(c.req.valid("query")))))
    .get("/brands/:brand/players/:playerId", staffGuard(ctx, "read", "brand"), validated(playerParam, "param"), async (c) => {
      const { playerId } = c.req.valid("param");
      return c.json({ ...(await profile(c, playerId)), notes: await notes(c, playerId) });
    })
    .post("/brands/:brand/players/:playerId/suspend", staffGuard(ctx, "players.write", "brand"), validated(playerParam, "param"), validated(reasonBody, "json"), async (c) => {
      const { playerId } = c.req.valid("param");
      const before = await profile(c, playerId);
      const after = valueOf(await player(c).suspend({ playerId, reason: c.req.valid("json").reason, by: c.var.staff.staffId }));
      await tellWallet(c.var.brand.id, playerId, true);
      await audit(ctx, c, { action: "player.suspend", brand: c.var.brand.id, target: `player:${playerId}`, before: { status: before.status }, after: { status: after.status, reason: c.req.valid("json").reason } });
      return c.json(after);
    })
    .post("/brands/:brand/players/:playerId/reinstate", staffGuard(ctx, "players.write", "brand"), validated(playerParam, "param"), async (c) => {
      const { playerId } = c.req.valid("param");
      const before = await profile(c, playerId);
      const after = valueOf(await player(c).reinstate({ playerId, by: c.var.staff.staffId }));
      await tellWallet(c.var.brand.id, playerId, false);
      await audit(ctx, c, { action: "player.reinstate", brand: c.var.brand.id, target: `player:${playerId}`, before: { status: before.status }, after: { status: after.status } });
      return c.json(after);
    })
    .post("/brands/:brand/players/:playerId/reset-password", staffGuard(ctx, "players.write", "brand"), validated(playerParam, "param"), async (c) => {
      const { playerId } = c.req.valid("param");
      // shown once to the staff member, who passes it on; hashed here, outside the player actor's turn
      const temporaryPassword = Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString("base64url");
      const done = valueOf(await player(c).resetPassword({ playerId, passwordHash: await hashPassword(temporaryPassword), by: c.var.staff.staffId }));
      await audit(ctx, c, { action: "player.reset_password", brand: c.var.brand.id, target: `player:${playerId}`, after: { passwordVersion: done.passwordVersion } });
      return c.json({ temporaryPassword, passwordVersion: done.passwordVersion });
    })
    .get("/brands/:brand/players/:playerId/notes", staffGuard(ctx, "read", "brand"), validated(playerParam, "param"), async (c) =>
      c.json({ items: await notes(c, c.req.valid("param").playerId) }),
    )
    .post("/brands/:brand/players/:playerId/notes", staffGuard(ctx, "players.write", "brand"), validated(playerParam, "param"), validated(noteBody, "json"), async (c) => {
      const { playerId } = c.req.valid("param");
      await profile(c, playerId);
      // admin@brand audits the note in the commit that writes it
      const written = valueOf(await ctx.clients.admin(c.var.brand.id).addPlayerNote({ playerId, body: c.req.valid("json").body, by: actingAs(c.var.staff) }));
      return c.json(written, 201);
    })
    .post("/brands/:brand/players/:playerId/messages", staffGuard(ctx, "players.write", "brand"), validated(playerParam, "param"), validated(messageBody, "json"), async (c) => {
      const { playerId } = c.req.valid("param");
      const sent = valueOf(await player(c).sendMessage({ playerId, ...c.req.valid("json"), senderId: c.var.staff.staffId }));
      await audit(ctx, c, { action: "player.message", brand: c.var.brand.id, target: `player:${playerId}`, after: { ...sent, title: c.req.valid("json").title } });
      return c.json(sent, 201);
    })
    .post("/brands/:brand/messages", staffGuard(ctx, "players.write", "brand"), validated(messageBody, "json"), async (c) => {
      const sent = valueOf(await player(c).sendMessage({ playerId: null, ...c.req.valid("json"), senderId: c.var.staff.staffId }));
      await audit(ctx, c, { action: "player.broadcast", brand: c.var.brand.id, target: `message:${sent.messageId}`, after: { ...sent, title: c.req.valid("json").title } });
      return c.json(sent, 201);
    })
    .get("/brands/:brand/inquiries", staffGuard(ctx, "read", "brand"), validated(inquiryQuery, "query"), async (c) => c.json(valueOf(await player(c).listInquiries(c.req.valid("query")))))
    .get("/brands/:brand/inquiries/:inquiryId", staffGuard(ctx, "read", "brand"), validated(inquiryParam, "param"), async (c) =>
      c.json(valueOf(await player(c).getInquiry({ inquiryId: c.req.valid("param").inquiryId }))),
    )
    .post("/brands/:brand/inquiries/:inquiryId/reply", staffGuard(ctx, "players.write", "brand"), validated(inquiryParam, "param"), validated(replyBody, "json"), async (c) => {
      const { inquiryId } = c.req.valid("param");
      const after = valueOf(await player(c).replyInquiry({ inquiryId, staffId: c.var.staff.staffId, body: c.req.valid("json").body }));
      await audit(ctx, c, { action: "inquiry.reply", brand: c.var.brand.id, target: `inquiry:${inquiryId}`, after: { status: after.status, body: c.req.valid("json").body } });
      return c.json(after, 201);
    });
}
