import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f } from "../../actors/player/index.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { validated } from "../shared/index.ts";
import { playerAddress, requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";

export const idParam = z.object({ id: f.recordIdSchema });
export const inquiryBody = z.object({ title: f.titleSchema, body: f.textBodySchema });

/**
 * `/api/v1/messages/*` (the inbox from staff) and `/api/v1/inquiries/*` (questions to staff).
 * The player id always comes from the token, never from the request, so a player can only
 * ever name their own messages; someone else's is answered as not found.
 */
export function messageRoutes(ctx: NodeContext) {
  const ask = async (brand: string, type: string, body: unknown) => valueOf(await ctx.system.askOutcome(playerAddress(brand), type, body));
  return new Hono<PlayerEnv>()
    .use("/messages", requirePlayer(ctx))
    .use("/messages/*", requirePlayer(ctx))
    .use("/inquiries", requirePlayer(ctx))
    .use("/inquiries/*", requirePlayer(ctx))
    .get("/messages", validated(f.pageSchema, "query"), async (c) => c.json(await ask(c.var.brand.id, "list_messages", { playerId: c.var.player.id, ...c.req.valid("query") })))
    .get("/messages/unread", async (c) => c.json(await ask(c.var.brand.id, "unread_counts", { playerId: c.var.player.id })))
    .get("/messages/:id", validated(idParam, "param"), async (c) => c.json(await ask(c.var.brand.id, "get_message", { playerId: c.var.player.id, messageId: c.req.valid("param").id })))
    .post("/messages/:id/read", validated(idParam, "param"), async (c) =>
      c.json(await ask(c.var.brand.id, "read_message", { playerId: c.var.player.id, messageId: c.req.valid("param").id })),
    )
    .get("/inquiries", validated(f.pageSchema, "query"), async (c) => c.json(await ask(c.var.brand.id, "list_inquiries", { playerId: c.var.player.id, ...c.req.valid("query") })))
    .post("/inquiries", validated(inquiryBody, "json"), async (c) =>
      c.json(await ask(c.var.brand.id, "create_inquiry", { playerId: c.var.player.id, ...c.req.valid("json") }), 201),
    )
    .get("/inquiries/:id", validated(idParam, "param"), async (c) => c.json(await ask(c.var.brand.id, "get_inquiry", { playerId: c.var.player.id, inquiryId: c.req.valid("param").id })));
}
