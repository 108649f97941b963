import { Hono, type Context } from "hono";
import { z } from "zod";
import { hashPassword, playerFields as f } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { valueOf } from "../shared/outcome.ts";
import { requireBrand, validated, type BrandedEnv } from "../shared/index.ts";

const idParam = z.object({ id: f.playerIdSchema });
const recordParam = z.object({ id: f.recordIdSchema });
const listQuery = f.pageSchema.extend({ status: z.enum(["active", "suspended"]).optional(), search: z.string().trim().max(40).optional() });
const inquiryQuery = f.pageSchema.extend({ status: z.enum(["open", "answered"]).optional() });
const staffBody = z.object({ by: f.staffIdSchema.optional() });
const messageBody = z.object({ title: f.titleSchema, body: f.textBodySchema, senderId: f.staffIdSchema.optional() });

/** Who acts: the staff member whose token the caller forwarded, else what the caller says. */
const actor = (c: Context<BrandedEnv>, said?: string) => c.var.claims?.sub ?? said ?? "service";

/**
 * `/internal/players/*` (service token, brand by X-Brand-Id): the back office and migration
 * tooling read players, suspend and reinstate them, reset passwords, write to their inbox
 * and answer their inquiries.
 */
export function playersRoutes(ctx: EdgeContext) {
  const player = (c: Context<BrandedEnv>) => ctx.clients.player(c.var.brand.id);
  // the wallet keeps its own list of suspended players for provider bets
  const tellWallet = async (brand: string, player: string, suspended: boolean) => valueOf(await ctx.clients.wallet(brand).setPlayerStatus({ player, suspended }));
  const app = new Hono<BrandedEnv>()
    .use("*", requireBrand())
    .get("/", validated(listQuery, "query"), async (c) => c.json(valueOf(await player(c).listPlayers(c.req.valid("query")))))
    .get("/inquiries", validated(inquiryQuery, "query"), async (c) => c.json(valueOf(await player(c).listInquiries(c.req.valid("query")))))
    .get("/inquiries/:id", validated(recordParam, "param"), async (c) => c.json(valueOf(await player(c).getInquiry({ inquiryId: c.req.valid("param").id }))))
    .post("/inquiries/:id/replies", validated(recordParam, "param"), validated(z.object({ body: f.textBodySchema, staffId: f.staffIdSchema.optional() }), "json"), async (c) => {
      const { body, staffId } = c.req.valid("json");
      return c.json(valueOf(await player(c).replyInquiry({ inquiryId: c.req.valid("param").id, staffId: actor(c, staffId), body })), 201);
    })
    .post("/messages/broadcast", validated(messageBody, "json"), async (c) => {
      const { senderId, ...message } = c.req.valid("json");
      return c.json(valueOf(await player(c).sendMessage({ playerId: null, ...message, senderId: actor(c, senderId) })), 201);
    })
    .get("/:id", validated(idParam, "param"), async (c) => c.json(valueOf(await player(c).profile({ playerId: c.req.valid("param").id }))))
    .post("/:id/messages", validated(idParam, "param"), validated(messageBody, "json"), async (c) => {
      const { senderId, ...message } = c.req.valid("json");
      return c.json(valueOf(await player(c).sendMessage({ playerId: c.req.valid("param").id, ...message, senderId: actor(c, senderId) })), 201);
    })
    .post("/:id/suspend", validated(idParam, "param"), validated(staffBody.extend({ reason: z.string().trim().min(1).max(500) }), "json"), async (c) => {
      const { reason, by } = c.req.valid("json");
      const profile = valueOf(await player(c).suspend({ playerId: c.req.valid("param").id, reason, by: actor(c, by) }));
      await tellWallet(c.var.brand.id, c.req.valid("param").id, true);
      return c.json({ player: profile });
    })
    .post("/:id/reinstate", validated(idParam, "param"), validated(staffBody, "json"), async (c) => {
      const profile = valueOf(await player(c).reinstate({ playerId: c.req.valid("param").id, by: actor(c, c.req.valid("json").by) }));
      await tellWallet(c.var.brand.id, c.req.valid("param").id, false);
      return c.json({ player: profile });
    })
    .post("/:id/reset-password", validated(idParam, "param"), validated(staffBody.extend({ password: f.passwordSchema }), "json"), async (c) => {
      const { password, by } = c.req.valid("json");
      return c.json(valueOf(await player(c).resetPassword({ playerId: c.req.valid("param").id, passwordHash: await hashPassword(password), by: actor(c, by) })));
    });
  return app;
}
