import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";

export const idParam = z.object({ id: f.recordIdSchema });
export const inquiryBody = z.object({ title: f.titleSchema, body: f.textBodySchema });

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
    .get("/messages", validated(f.pageSchema, "query"), async (c) => c.json(valueOf(await players(c.var.brand.id).listMessages({ playerId: c.var.player.id, ...c.req.valid("query") }))))
    .get("/messages/unread", async (c) => c.json(valueOf(await players(c.var.brand.id).unreadCounts({ playerId: c.var.player.id }))))
    .get("/messages/:id", validated(idParam, "param"), async (c) => c.json(valueOf(await players(c.var.brand.id).getMessage({ playerId: c.var.player.id, messageId: c.req.valid("param").id }))))
    .post("/messages/:id/read", validated(idParam, "param"), async (c) =>
      c.json(valueOf(await players(c.var.brand.id).readMessage({ playerId: c.var.player.id, messageId: c.req.valid("param").id }))),
    )
    .get("/inquiries", validated(f.pageSchema, "query"), async (c) => c.json(valueOf(await players(c.var.brand.id).listInquiries({ playerId: c.var.player.id, ...c.req.valid("query") }))))
    .post("/inquiries", validated(inquiryBody, "json"), async (c) =>
      c.json(valueOf(await players(c.var.brand.id).createInquiry({ playerId: c.var.player.id, ...c.req.valid("json") })), 201),
    )
    .get("/inquiries/:id", validated(idParam, "param"), async (c) => c.json(valueOf(await players(c.var.brand.id).getInquiry({ playerId: c.var.player.id, inquiryId: c.req.valid("param").id }))));
}
