import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol as p } from "../../actors/player/index.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type PlayerEnv, requirePlayer, valueOf } from "./player-access.ts";

export const idParam = z.object({ id: f.recordIdSchema });
export const inquiryBody = z.object({ title: f.titleSchema, body: f.textBodySchema });

const describeRoute = describeWith({ tags: ["inbox"], errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "account_suspended"] });

/**
 * `/api/v1/messages/*` (the inbox from staff) and `/api/v1/inquiries/*` (questions to staff).
 * The player id always comes from the token, never from the request, so a player can only
 * ever name their own messages; someone else's is answered as not found.
 */
export function messageRoutes(ctx: EdgeContext) {
  const players = ctx.clients.player;
  return new Hono<PlayerEnv>()
    .use("/messages", requirePlayer(ctx))
    .use("/messages/*", requirePlayer(ctx))
    .use("/inquiries", requirePlayer(ctx))
    .use("/inquiries/*", requirePlayer(ctx))
    .get(
      "/messages",
      describeRoute({ summary: "My inbox", description: "Newest first, with how many are unread.", responses: { 200: p.listMessages.reply }, errors: ["validation_failed"] }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).listMessages({ playerId: c.var.player.id, ...c.req.valid("query") }))),
    )
    .get("/messages/unread", describeRoute({ summary: "How many messages I have not read, and my open inquiries", responses: { 200: p.unreadCounts.reply } }), async (c) =>
      c.json(valueOf(await players(c.var.brand.id).unreadCounts({ playerId: c.var.player.id }))),
    )
    .get(
      "/messages/:id",
      describeRoute({ summary: "One message of my inbox", responses: { 200: p.getMessage.reply }, errors: ["validation_failed", "message_not_found"] }),
      validated(idParam, "param"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).getMessage({ playerId: c.var.player.id, messageId: c.req.valid("param").id }))),
    )
    .post(
      "/messages/:id/read",
      describeRoute({ summary: "Mark a message read", responses: { 200: p.readMessage.reply }, errors: ["validation_failed", "message_not_found"] }),
      validated(idParam, "param"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).readMessage({ playerId: c.var.player.id, messageId: c.req.valid("param").id }))),
    )
    .get(
      "/inquiries",
      describeRoute({ summary: "My inquiries", description: "Newest first, with staff replies.", responses: { 200: p.listInquiries.reply }, errors: ["validation_failed"] }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).listInquiries({ playerId: c.var.player.id, ...c.req.valid("query") }))),
    )
    .post(
      "/inquiries",
      describeRoute({ summary: "Ask staff a question", responses: { 201: p.createInquiry.reply }, errors: ["validation_failed"] }),
      validated(inquiryBody, "json"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).createInquiry({ playerId: c.var.player.id, ...c.req.valid("json") })), 201),
    )
    .get(
      "/inquiries/:id",
      describeRoute({ summary: "One of my inquiries with its replies", responses: { 200: p.getInquiry.reply }, errors: ["validation_failed", "inquiry_not_found"] }),
      validated(idParam, "param"),
      async (c) => c.json(valueOf(await players(c.var.brand.id).getInquiry({ playerId: c.var.player.id, inquiryId: c.req.valid("param").id }))),
    );
}
