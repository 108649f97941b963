import { type Context, Hono } from "hono";
import { z } from "zod";
import { couponCodeSchema, couponIdSchema, promotionProtocol as p, promotionDaySchema, promotionKindSchema } from "../../actors/promotion/index.ts";
import { externalIdSchema, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, requireHealthy, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

const playerParam = z.object({ playerId: externalIdSchema });
const settlementParam = z.object({
  settlementId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7E]+$/, "a settlement id"),
});
const couponsQuery = pageQuerySchema.extend({ status: z.enum(["active", "paused"]).optional() });
const redemptionsQuery = pageQuerySchema.extend({ player: externalIdSchema.optional(), couponId: couponIdSchema.optional(), status: p.redemptions.body.shape.status });
const settlementsQuery = pageQuerySchema.extend({ kind: promotionKindSchema.optional(), status: p.settlements.body.shape.status });
const redeemBody = z.object({ player: externalIdSchema, code: couponCodeSchema });
const periodQuery = z.object({ kind: promotionKindSchema, day: promotionDaySchema, limit: z.coerce.number().int().min(0).max(200).default(50) });
const runBody = z.object({ kind: promotionKindSchema, day: promotionDaySchema, by: externalIdSchema.optional().describe("who runs it, when no staff token is forwarded") });

const describeRoute = describeWith({ tags: ["promotions"], errors: ["unauthorized", "brand_not_found", "brand_mismatch", "validation_failed", "degraded"] });

/**
 * `/internal/promotions/*` (service token, brand by X-Brand-Id): coupons and redemptions for
 * other services (a CRM redeeming a code for a player, reports), rebate and lossback
 * settlements with their lines and previews, and a run of an ended period, audited by
 * `promotion@brand` in the name of the staff member whose token the caller forwards, else
 * the calling service.
 */
export function promotionRoutes(ctx: EdgeContext) {
  const promotions = (c: Context<BrandedEnv>) => ctx.clients.promotion(c.var.brand.id);
  return new Hono<BrandedEnv>()
    .use("*", requireBrand(), requireHealthy(ctx, "promotion"))
    .get("/coupons", describeRoute({ summary: "Coupons, newest first", responses: { 200: p.coupons.reply } }), validated(couponsQuery, "query"), async (c) =>
      c.json(valueOf(await promotions(c).coupons(c.req.valid("query")))),
    )
    .get("/redemptions", describeRoute({ summary: "Redemptions, newest first", responses: { 200: p.redemptions.reply } }), validated(redemptionsQuery, "query"), async (c) =>
      c.json(valueOf(await promotions(c).redemptions(c.req.valid("query")))),
    )
    .post(
      "/redemptions",
      describeRoute({
        summary: "Redeem a code for a player",
        responses: { 201: p.redeem.reply },
        errors: ["coupon_not_found", "coupon_inactive", "coupon_not_started", "coupon_expired", "coupon_exhausted", "already_redeemed"],
      }),
      validated(redeemBody, "json"),
      async (c) => c.json(valueOf(await promotions(c).redeem(c.req.valid("json"))), 201),
    )
    .get(
      "/settlements",
      describeRoute({ summary: "Rebate and lossback settlements, newest first", responses: { 200: p.settlements.reply } }),
      validated(settlementsQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlements(c.req.valid("query")))),
    )
    .get(
      "/settlements/preview",
      describeRoute({ summary: "Who would get what for an ended period", responses: { 200: p.preview.reply }, errors: ["period_open"] }),
      validated(periodQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).preview(c.req.valid("query")))),
    )
    .post(
      "/settlements",
      describeRoute({
        summary: "Settle an ended period now (a settled one answers as it is)",
        description: "Refused `period_not_closed` (with `details.notBefore`) until the period's ten minutes' grace for late events passed.",
        responses: { 200: p.runSettlement.reply },
        errors: ["period_open", "period_not_closed", "invalid_token"],
      }),
      validated(runBody, "json"),
      async (c) => {
        const { kind, day, by } = c.req.valid("json");
        return c.json(valueOf(await promotions(c).runSettlement({ kind, day, by: await actingStaffOf(ctx, c, "finance.write", by) })));
      },
    )
    .get(
      "/settlements/:settlementId/lines",
      describeRoute({ summary: "A settlement's lines", responses: { 200: p.settlementLines.reply } }),
      validated(settlementParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlementLines({ ...c.req.valid("query"), settlementId: c.req.valid("param").settlementId }))),
    )
    .get(
      "/players/:playerId/lines",
      describeRoute({ summary: "A player's rebate and lossback lines", responses: { 200: p.settlementLines.reply } }),
      validated(playerParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlementLines({ ...c.req.valid("query"), player: c.req.valid("param").playerId }))),
    );
}
