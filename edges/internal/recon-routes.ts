import { type Context, Hono } from "hono";
import { z } from "zod";
import { messageIdSchema, reconProtocol as p, sourceIdSchema } from "../../actors/recon/index.ts";
import { externalIdSchema, freeText, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

const messageParam = z.object({ messageId: messageIdSchema });
const messagesQuery = pageQuerySchema.extend({ state: p.messages.body.shape.state, kind: p.messages.body.shape.kind, sourceId: sourceIdSchema.optional() });
const said = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,100}$/)
  .optional()
  .describe("who acts, when no staff token is forwarded");
const matchBody = z.object({ requestId: externalIdSchema, rememberAlias: z.boolean().default(false), by: said });
const reasonBody = z.object({ reason: freeText(500, { multiline: true }), by: said });

const describeRead = describeWith({ tags: ["recon"], errors: ["unauthorized", "brand_not_found", "brand_mismatch", "validation_failed"] });

/**
 * `/internal/recon/*` (service token, brand by X-Brand-Id): what the back office reads and
 * decides of recon, for services behind it. Changes are audited by `recon@brand` in its commit,
 * naming the staff member whose token was forwarded, else who the caller says acted.
 */
export function reconInternalRoutes(ctx: EdgeContext) {
  const recon = (c: Context<BrandedEnv>) => ctx.clients.recon(c.var.brand.id);
  return new Hono<BrandedEnv>()
    .use("*", requireBrand())
    .get(
      "/messages",
      describeRead({ summary: "Bank notices, newest first, with their parse and match", responses: { 200: p.messages.reply } }),
      validated(messagesQuery, "query"),
      async (c) => c.json(valueOf(await recon(c).messages(c.req.valid("query")))),
    )
    .get(
      "/messages/:messageId",
      describeRead({ summary: "One notice", responses: { 200: p.message.reply }, errors: ["recon_message_not_found"] }),
      validated(messageParam, "param"),
      async (c) => c.json(valueOf(await recon(c).message(c.req.valid("param")))),
    )
    .get(
      "/review",
      describeRead({ summary: "The review queue, oldest first, with candidates", responses: { 200: p.reviewQueue.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await recon(c).reviewQueue(c.req.valid("query")))),
    )
    .get("/sources", describeRead({ summary: "Intake sources and their loops' health", responses: { 200: p.sources.reply } }), async (c) =>
      c.json(valueOf(await recon(c).sources({}))),
    )
    .post(
      "/messages/:messageId/match",
      describeRead({
        summary: "Match a notice under review to a pending deposit request",
        responses: { 200: p.matchManually.reply },
        errors: ["recon_message_not_found", "recon_request_not_pending", "recon_amount_mismatch", "invalid_state", "invalid_token"],
      }),
      validated(messageParam, "param"),
      validated(matchBody, "json"),
      async (c) => {
        const { by, ...body } = c.req.valid("json");
        return c.json(valueOf(await recon(c).matchManually({ ...c.req.valid("param"), ...body, by: await actingStaffOf(ctx, c, "finance.write", by) })));
      },
    )
    .post(
      "/messages/:messageId/unmatch",
      describeRead({
        summary: "Undo a match the wallet did not approve",
        responses: { 200: p.unmatch.reply },
        errors: ["recon_message_not_found", "invalid_state", "invalid_token"],
      }),
      validated(messageParam, "param"),
      validated(reasonBody, "json"),
      async (c) =>
        c.json(
          valueOf(
            await recon(c).unmatch({ ...c.req.valid("param"), reason: c.req.valid("json").reason, by: await actingStaffOf(ctx, c, "finance.write", c.req.valid("json").by) }),
          ),
        ),
    )
    .post(
      "/messages/:messageId/dismiss",
      describeRead({
        summary: "Take a notice that is no player's deposit out of the review queue",
        responses: { 200: p.dismiss.reply },
        errors: ["recon_message_not_found", "invalid_state", "invalid_token"],
      }),
      validated(messageParam, "param"),
      validated(reasonBody, "json"),
      async (c) =>
        c.json(
          valueOf(
            await recon(c).dismiss({ ...c.req.valid("param"), reason: c.req.valid("json").reason, by: await actingStaffOf(ctx, c, "finance.write", c.req.valid("json").by) }),
          ),
        ),
    );
}
