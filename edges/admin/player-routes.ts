import { Hono } from "hono";
import { z } from "zod";
import { topInfoProtocol } from "../../actors/admin/index.ts";
import { playerRealm, temporaryPassword } from "../../actors/credentials/index.ts";
import { actingAs } from "../../actors/identity/index.ts";
import { playerFields as f, playerProtocol as p } from "../../actors/player/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { freeText, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const playerParam = brandParam.extend({ playerId: f.playerIdSchema });
const inquiryParam = brandParam.extend({ inquiryId: f.recordIdSchema });
const listQuery = pageQuerySchema.extend({ status: p.listPlayers.body.shape.status, search: f.searchSchema.optional() });
const inquiryQuery = pageQuerySchema.extend({ status: p.listInquiries.body.shape.status, playerId: f.playerIdSchema.optional() });
const reasonBody = z.object({ reason: f.reasonSchema });
const noteBody = z.object({ body: freeText(2000, { multiline: true }) });
const messageBody = z.object({ title: f.titleSchema, body: f.textBodySchema });
const replyBody = z.object({ body: f.textBodySchema });

const notesReply = topInfoProtocol.playerNotes.reply;
const playerDetail = p.profile.reply.extend({ notes: notesReply.shape.items });
const passwordReset = z.object({ temporaryPassword: z.string().describe("shown once: pass it on to the player"), passwordVersion: z.number().int() });

const describeRoute = describeWith({
  tags: ["players"],
  errors: ["validation_failed", "unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "brand_mismatch", "brand_not_found", "brand_disabled"],
});

/**
 * `/api/v1/brands/:brand/{players,messages,inquiries}`: players (search, detail, suspend,
 * reinstate, password reset, notes, messages) and their inquiries, through `player@brand`,
 * which audits each change in the commit that makes it.
 */
export function playerRoutes(ctx: EdgeContext) {
  const player = (c: SignedInAtBrand) => ctx.clients.player(c.var.brand.id);
  const by = (c: SignedInAtBrand) => actingAs(c.var.staff);
  const profile = async (c: SignedInAtBrand, playerId: string) => valueOf(await player(c).profile({ playerId }));
  const notes = async (c: SignedInAtBrand, playerId: string) => valueOf(await ctx.clients.admin(c.var.brand.id).playerNotes({ playerId })).items;
  const read = staffGuard(ctx, "read", "brand");
  const write = staffGuard(ctx, "players.write", "brand");

  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/players",
      describeRoute({ summary: "Find players", description: "Newest first; `search` matches part of a username or nickname.", responses: { 200: p.listPlayers.reply } }),
      read,
      validated(brandParam, "param"),
      validated(listQuery, "query"),
      async (c) => c.json(valueOf(await player(c).listPlayers(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/players/:playerId",
      describeRoute({ summary: "One player, with staff notes", responses: { 200: playerDetail }, errors: ["player_not_found"] }),
      read,
      validated(playerParam, "param"),
      async (c) => {
        const { playerId } = c.req.valid("param");
        return c.json({ ...(await profile(c, playerId)), notes: await notes(c, playerId) });
      },
    )
    .post(
      "/brands/:brand/players/:playerId/suspend",
      describeRoute({
        summary: "Suspend a player",
        description: "Ends every session; the wallet refuses the player's bets and games refuse launches. Suspending a suspended player changes nothing.",
        responses: { 200: p.suspend.reply },
        errors: ["player_not_found"],
      }),
      write,
      validated(playerParam, "param"),
      validated(reasonBody, "json"),
      async (c) => c.json(valueOf(await player(c).suspend({ playerId: c.req.valid("param").playerId, reason: c.req.valid("json").reason, by: by(c) }))),
    )
    .post(
      "/brands/:brand/players/:playerId/reinstate",
      describeRoute({ summary: "Reinstate a suspended player", description: "Also lifts a login lock.", responses: { 200: p.reinstate.reply }, errors: ["player_not_found"] }),
      write,
      validated(playerParam, "param"),
      async (c) => c.json(valueOf(await player(c).reinstate({ playerId: c.req.valid("param").playerId, by: by(c) }))),
    )
    .post(
      "/brands/:brand/players/:playerId/reset-password",
      describeRoute({
        summary: "Reset a player's password",
        description: "A temporary password, shown once; every session of the player ends.",
        responses: { 200: passwordReset },
        errors: ["player_not_found"],
      }),
      write,
      validated(playerParam, "param"),
      async (c) => {
        const { playerId } = c.req.valid("param");
        // hashed here, in the node's hashing line, outside the player actor's turn
        const password = temporaryPassword();
        const done = valueOf(await player(c).resetPassword({ playerId, passwordHash: valueOf(await ctx.credentials.hash(password)), by: by(c) }));
        // a reset also lifts a sign-in lock on the account
        await ctx.credentials.throttle.unlock({ realm: playerRealm(c.var.brand.id), username: valueOf(await player(c).profile({ playerId })).username });
        return c.json({ temporaryPassword: password, passwordVersion: done.passwordVersion });
      },
    )
    .get(
      "/brands/:brand/players/:playerId/notes",
      describeRoute({ summary: "Staff notes on a player", responses: { 200: notesReply } }),
      read,
      validated(playerParam, "param"),
      async (c) => c.json({ items: await notes(c, c.req.valid("param").playerId) }),
    )
    .post(
      "/brands/:brand/players/:playerId/notes",
      describeRoute({ summary: "Add a staff note on a player", responses: { 201: topInfoProtocol.addPlayerNote.reply }, errors: ["player_not_found"] }),
      write,
      validated(playerParam, "param"),
      validated(noteBody, "json"),
      async (c) => {
        const { playerId } = c.req.valid("param");
        await profile(c, playerId);
        // admin@brand audits the note in the commit that writes it
        const written = valueOf(await ctx.clients.admin(c.var.brand.id).addPlayerNote({ playerId, body: c.req.valid("json").body, by: by(c) }));
        return c.json(written, 201);
      },
    )
    .post(
      "/brands/:brand/players/:playerId/messages",
      describeRoute({ summary: "Write to a player's inbox", responses: { 201: p.sendMessage.reply }, errors: ["player_not_found"] }),
      write,
      validated(playerParam, "param"),
      validated(messageBody, "json"),
      async (c) => c.json(valueOf(await player(c).sendMessage({ playerId: c.req.valid("param").playerId, ...c.req.valid("json"), by: by(c) })), 201),
    )
    .post(
      "/brands/:brand/messages",
      describeRoute({ summary: "Write to every player's inbox", description: "Players who sign up later do not see it.", responses: { 201: p.sendMessage.reply } }),
      write,
      validated(brandParam, "param"),
      validated(messageBody, "json"),
      async (c) => c.json(valueOf(await player(c).sendMessage({ playerId: null, ...c.req.valid("json"), by: by(c) })), 201),
    )
    .get(
      "/brands/:brand/inquiries",
      describeRoute({ summary: "Players' inquiries", description: "Newest first.", responses: { 200: p.listInquiries.reply } }),
      read,
      validated(brandParam, "param"),
      validated(inquiryQuery, "query"),
      async (c) => c.json(valueOf(await player(c).listInquiries(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/inquiries/:inquiryId",
      describeRoute({ summary: "One inquiry with its replies", responses: { 200: p.getInquiry.reply }, errors: ["inquiry_not_found"] }),
      read,
      validated(inquiryParam, "param"),
      async (c) => c.json(valueOf(await player(c).getInquiry({ inquiryId: c.req.valid("param").inquiryId }))),
    )
    .post(
      "/brands/:brand/inquiries/:inquiryId/reply",
      describeRoute({ summary: "Answer an inquiry", responses: { 201: p.replyInquiry.reply }, errors: ["inquiry_not_found"] }),
      write,
      validated(inquiryParam, "param"),
      validated(replyBody, "json"),
      async (c) => c.json(valueOf(await player(c).replyInquiry({ inquiryId: c.req.valid("param").inquiryId, body: c.req.valid("json").body, by: by(c) })), 201),
    );
}
