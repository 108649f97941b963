import { type Context, Hono } from "hono";
import { z } from "zod";
import { playerRealm } from "../../actors/credentials/index.ts";
import { playerFields as f, playerProtocol as p } from "../../actors/player/index.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

const idParam = z.object({ id: f.playerIdSchema });
const recordParam = z.object({ id: f.recordIdSchema });
const listQuery = pageQuerySchema.extend({ status: p.listPlayers.body.shape.status, search: f.searchSchema.optional() });
const inquiryQuery = pageQuerySchema.extend({ status: p.listInquiries.body.shape.status });
const said = (description: string) => f.staffIdSchema.optional().describe(description);
const staffBody = z.object({ by: said("who acts, when no staff token is forwarded") });
const messageBody = z.object({ title: f.titleSchema, body: f.textBodySchema, senderId: said("who writes, when no staff token is forwarded") });
const replyBody = z.object({ body: f.textBodySchema, staffId: said("who answers, when no staff token is forwarded") });
const suspendBody = staffBody.extend({ reason: f.reasonSchema });
const resetBody = staffBody.extend({ password: f.passwordSchema });

const describeRoute = describeWith({ tags: ["players"], errors: ["unauthorized", "brand_not_found", "brand_mismatch"] });
const describeChange = describeWith({ tags: ["players"], errors: ["unauthorized", "brand_not_found", "brand_mismatch", "validation_failed", "invalid_token"] });

/**
 * `/internal/players/*` (service token, brand by X-Brand-Id): the back office and migration
 * tooling read players, suspend and reinstate them, reset passwords, write to their inbox
 * and answer their inquiries. `player@brand` audits each change in its commit, naming the
 * staff member whose token the caller forwarded, else who the caller says acted.
 */
export function playersRoutes(ctx: EdgeContext) {
  const player = (c: Context<BrandedEnv>) => ctx.clients.player(c.var.brand.id);
  const by = (c: Context<BrandedEnv>, name?: string) => actingStaffOf(ctx, c, "players.write", name);
  return new Hono<BrandedEnv>()
    .use("*", requireBrand())
    .get(
      "/",
      describeRoute({
        summary: "Find players",
        description: "Newest first; `search` matches part of a username or nickname.",
        responses: { 200: p.listPlayers.reply },
        errors: ["validation_failed"],
      }),
      validated(listQuery, "query"),
      async (c) => c.json(valueOf(await player(c).listPlayers(c.req.valid("query")))),
    )
    .get(
      "/inquiries",
      describeRoute({ summary: "Players' inquiries", description: "Newest first.", responses: { 200: p.listInquiries.reply }, errors: ["validation_failed"] }),
      validated(inquiryQuery, "query"),
      async (c) => c.json(valueOf(await player(c).listInquiries(c.req.valid("query")))),
    )
    .get(
      "/inquiries/:id",
      describeRoute({ summary: "One inquiry with its replies", responses: { 200: p.getInquiry.reply }, errors: ["validation_failed", "inquiry_not_found"] }),
      validated(recordParam, "param"),
      async (c) => c.json(valueOf(await player(c).getInquiry({ inquiryId: c.req.valid("param").id }))),
    )
    .post(
      "/inquiries/:id/replies",
      describeChange({ summary: "Answer an inquiry", responses: { 201: p.replyInquiry.reply }, errors: ["inquiry_not_found"] }),
      validated(recordParam, "param"),
      validated(replyBody, "json"),
      async (c) => {
        const { body, staffId } = c.req.valid("json");
        return c.json(valueOf(await player(c).replyInquiry({ inquiryId: c.req.valid("param").id, body, by: await by(c, staffId) })), 201);
      },
    )
    .post(
      "/messages/broadcast",
      describeChange({ summary: "Write to every player's inbox", responses: { 201: p.sendMessage.reply } }),
      validated(messageBody, "json"),
      async (c) => {
        const { senderId, ...message } = c.req.valid("json");
        return c.json(valueOf(await player(c).sendMessage({ playerId: null, ...message, by: await by(c, senderId) })), 201);
      },
    )
    .get(
      "/:id",
      describeRoute({ summary: "One player", responses: { 200: p.profile.reply }, errors: ["validation_failed", "player_not_found"] }),
      validated(idParam, "param"),
      async (c) => c.json(valueOf(await player(c).profile({ playerId: c.req.valid("param").id }))),
    )
    .post(
      "/:id/messages",
      describeChange({ summary: "Write to a player's inbox", responses: { 201: p.sendMessage.reply }, errors: ["player_not_found"] }),
      validated(idParam, "param"),
      validated(messageBody, "json"),
      async (c) => {
        const { senderId, ...message } = c.req.valid("json");
        return c.json(valueOf(await player(c).sendMessage({ playerId: c.req.valid("param").id, ...message, by: await by(c, senderId) })), 201);
      },
    )
    .post(
      "/:id/suspend",
      describeChange({
        summary: "Suspend a player",
        description: "Ends every session; the wallet and the game domain follow the player's suspension.",
        responses: { 200: z.object({ player: p.suspend.reply }) },
        errors: ["player_not_found"],
      }),
      validated(idParam, "param"),
      validated(suspendBody, "json"),
      async (c) => {
        const { reason, by: name } = c.req.valid("json");
        return c.json({ player: valueOf(await player(c).suspend({ playerId: c.req.valid("param").id, reason, by: await by(c, name) })) });
      },
    )
    .post(
      "/:id/reinstate",
      describeChange({ summary: "Reinstate a suspended player", responses: { 200: z.object({ player: p.reinstate.reply }) }, errors: ["player_not_found"] }),
      validated(idParam, "param"),
      validated(staffBody, "json"),
      async (c) => c.json({ player: valueOf(await player(c).reinstate({ playerId: c.req.valid("param").id, by: await by(c, c.req.valid("json").by) })) }),
    )
    .post(
      "/:id/reset-password",
      describeChange({
        summary: "Set a player's password",
        description: "Every session of the player ends.",
        responses: { 200: p.resetPassword.reply },
        errors: ["player_not_found"],
      }),
      validated(idParam, "param"),
      validated(resetBody, "json"),
      async (c) => {
        const { password, by: name } = c.req.valid("json");
        const playerId = c.req.valid("param").id;
        const done = valueOf(await player(c).resetPassword({ playerId, passwordHash: valueOf(await ctx.credentials.hash(password)), by: await by(c, name) }));
        // a reset also lifts a sign-in lock on the account
        await ctx.credentials.throttle.unlock({ realm: playerRealm(c.var.brand.id), username: valueOf(await player(c).profile({ playerId })).username });
        return c.json(done);
      },
    );
}
