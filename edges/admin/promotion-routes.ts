import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { couponIdSchema, couponInput, promotionProtocol as p, promotionDaySchema, promotionKindSchema, redemptionIdSchema } from "../../actors/promotion/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { externalIdSchema, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, requireHealthy, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const couponParam = brandParam.extend({ couponId: couponIdSchema });
const redemptionParam = brandParam.extend({ redemptionId: redemptionIdSchema });
const settlementParam = brandParam.extend({
  settlementId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7E]+$/, "a settlement id"),
});
const playerParam = brandParam.extend({ playerId: externalIdSchema });
const couponsQuery = pageQuerySchema.extend({ status: z.enum(["active", "paused"]).optional() });
const redemptionsQuery = pageQuerySchema.extend({ player: externalIdSchema.optional(), couponId: couponIdSchema.optional(), status: p.redemptions.body.shape.status });
const settlementsQuery = pageQuerySchema.extend({ kind: promotionKindSchema.optional(), status: p.settlements.body.shape.status });
const periodBody = z.object({ kind: promotionKindSchema, day: promotionDaySchema.describe("a day of the period; the period must have ended") });
const previewQuery = periodBody.extend({ limit: z.coerce.number().int().min(0).max(200).default(50).describe("lines shown, largest first") });
const statusBody = z.object({ status: z.enum(["active", "paused"]) });

const describeRoute = describeWith({
  tags: ["promotions"],
  errors: [
    "validation_failed",
    "unauthorized",
    "invalid_token",
    "token_expired",
    "forbidden",
    "password_change_required",
    "brand_mismatch",
    "brand_not_found",
    "brand_disabled",
    "degraded",
  ],
});

/**
 * `/api/v1/brands/:brand/coupons/*`, `/redemptions/*`, `/promotion-settlements/*`: coupons
 * (create, pause and resume), players' redemptions, and rebate and lossback settlements
 * (preview, run of an ended period, history, per-player lines, a retry of stalled lines,
 * late rollbacks) through `promotion@brand`, which audits every change in its commit.
 */
export function promotionRoutes(ctx: EdgeContext) {
  const promotions = (c: SignedInAtBrand) => ctx.clients.promotion(c.var.brand.id);
  const by = (c: SignedInAtBrand) => actingAs(c.var.staff);
  const read = staffGuard(ctx, "read", "brand");
  const coupons = staffGuard(ctx, "promotions.write", "brand");
  const finance = staffGuard(ctx, "finance.write", "brand");
  const healthy = requireHealthy(ctx, "promotion");
  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/coupons",
      describeRoute({ summary: "Coupons, newest first", responses: { 200: p.coupons.reply } }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(couponsQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).coupons(c.req.valid("query")))),
    )
    .post(
      "/brands/:brand/coupons",
      describeRoute({
        summary: "Create a coupon: one code, or a batch of generated codes",
        description: "Audited as `promotion.coupon_create`. The answer lists every code.",
        responses: { 201: p.createCoupon.reply },
        errors: ["code_taken"],
      }),
      coupons,
      healthy,
      validated(brandParam, "param"),
      validated(couponInput, "json"),
      async (c) => c.json(valueOf(await promotions(c).createCoupon({ coupon: c.req.valid("json"), by: by(c) })), 201),
    )
    .get(
      "/brands/:brand/coupons/:couponId",
      describeRoute({ summary: "One coupon", responses: { 200: p.coupon.reply }, errors: ["not_found"] }),
      read,
      healthy,
      validated(couponParam, "param"),
      async (c) => c.json(valueOf(await promotions(c).coupon({ couponId: c.req.valid("param").couponId }))),
    )
    .get(
      "/brands/:brand/coupons/:couponId/codes",
      describeRoute({ summary: "A coupon's codes with their uses", responses: { 200: p.couponCodes.reply }, errors: ["not_found"] }),
      read,
      healthy,
      validated(couponParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).couponCodes({ ...c.req.valid("query"), couponId: c.req.valid("param").couponId }))),
    )
    .post(
      "/brands/:brand/coupons/:couponId/status",
      describeRoute({
        summary: "Pause or resume a coupon",
        description: "Audited as `promotion.coupon_pause` or `promotion.coupon_resume`.",
        responses: { 200: p.setCouponStatus.reply },
        errors: ["not_found"],
      }),
      coupons,
      healthy,
      validated(couponParam, "param"),
      validated(statusBody, "json"),
      async (c) => c.json(valueOf(await promotions(c).setCouponStatus({ couponId: c.req.valid("param").couponId, status: c.req.valid("json").status, by: by(c) }))),
    )
    .get(
      "/brands/:brand/redemptions",
      describeRoute({ summary: "Redemptions, newest first, with each bonus's wagering", responses: { 200: p.redemptions.reply } }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(redemptionsQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).redemptions(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/redemptions/:redemptionId",
      describeRoute({ summary: "One redemption", responses: { 200: p.redemption.reply }, errors: ["not_found"] }),
      read,
      healthy,
      validated(redemptionParam, "param"),
      async (c) => c.json(valueOf(await promotions(c).redemption({ redemptionId: c.req.valid("param").redemptionId }))),
    )
    .get(
      "/brands/:brand/promotion-settlements/preview",
      describeRoute({
        summary: "Who would get what for a period of rebate or lossback, and the totals",
        description: "A settled period answers with what it paid.",
        responses: { 200: p.preview.reply },
        errors: ["period_open"],
      }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(previewQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).preview(c.req.valid("query")))),
    )
    .post(
      "/brands/:brand/promotion-settlements",
      describeRoute({
        summary: "Settle an ended period of rebate or lossback now",
        description:
          "The period must have ended (`period_open`) and its ten minutes' grace for late events passed (`period_not_closed`, with `details.notBefore` and Retry-After). A period settled before answers as it is (nothing is paid twice). Audited as `promotion.settlement_run`.",
        responses: { 200: p.runSettlement.reply },
        errors: ["period_open", "period_not_closed"],
      }),
      finance,
      healthy,
      validated(brandParam, "param"),
      validated(periodBody, "json"),
      async (c) => c.json(valueOf(await promotions(c).runSettlement({ ...c.req.valid("json"), by: by(c) }))),
    )
    .get(
      "/brands/:brand/promotion-settlements",
      describeRoute({ summary: "Rebate and lossback settlements, newest first", responses: { 200: p.settlements.reply } }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(settlementsQuery, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlements(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/promotion-settlements/:settlementId/lines",
      describeRoute({ summary: "A settlement's lines: who gets what, how it was computed, whether it is paid", responses: { 200: p.settlementLines.reply } }),
      read,
      healthy,
      validated(settlementParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlementLines({ ...c.req.valid("query"), settlementId: c.req.valid("param").settlementId }))),
    )
    .post(
      "/brands/:brand/promotion-settlements/:settlementId/requeue",
      describeRoute({
        summary: "Ask the wallet again for a settlement's stalled lines",
        description: "Audited as `promotion.settlement_requeue`.",
        responses: { 200: p.requeueSettlement.reply },
        errors: ["not_found"],
      }),
      finance,
      healthy,
      validated(settlementParam, "param"),
      async (c) => c.json(valueOf(await promotions(c).requeueSettlement({ settlementId: c.req.valid("param").settlementId, by: by(c) }))),
    )
    .get(
      "/brands/:brand/players/:playerId/promotion-lines",
      describeRoute({ summary: "A player's rebate and lossback lines, newest first", responses: { 200: p.settlementLines.reply } }),
      read,
      healthy,
      validated(playerParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).settlementLines({ ...c.req.valid("query"), player: c.req.valid("param").playerId }))),
    )
    .get(
      "/brands/:brand/promotion-late-rollbacks",
      describeRoute({
        summary: "Rollbacks of bets whose day was already paid: what each settlement line overpaid (reported, never taken back)",
        responses: { 200: p.lateRollbacks.reply },
      }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c).lateRollbacks(c.req.valid("query")))),
    );
}
