import { Hono } from "hono";
import { z } from "zod";
import { couponCodeSchema, promotionProtocol as p, redemptionIdSchema } from "../../actors/promotion/index.ts";
import { rollingProtocol } from "../../actors/rolling/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import { clientAddress } from "../shared/client-address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, requireHealthy, validated } from "../shared/index.ts";
import { type PlayerEnv, requirePlayer, valueOf } from "./player-access.ts";

const redeemBody = z.object({ code: couponCodeSchema });
const bonusParam = z.object({ redemptionId: redemptionIdSchema });
const describeRoute = describeWith({
  tags: ["promotions"],
  errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "brand_mismatch", "account_suspended", "validation_failed", "degraded"],
});

/**
 * `/api/v1/coupons`, `/api/v1/bonuses/*`, `/api/v1/rewards`: a player redeems a coupon code,
 * (at most 10 a minute per player: a code is a secret one could otherwise guess at), sees the coupons they redeemed with each bonus's wagering, gives a bonus up (what is left of
 * it is forfeited; their own deposits and winnings stay), and sees the rebate and lossback
 * they received, through `promotion@brand` (and `rolling@brand` for giving up).
 */
export function promotionRoutes(ctx: EdgeContext) {
  const promotions = (brand: string) => ctx.clients.promotion(brand);
  const guard = [requireHealthy(ctx, "promotion"), requirePlayer(ctx)] as const;
  return new Hono<PlayerEnv>()
    .use("/coupons", ...guard)
    .use("/coupons/*", ...guard)
    .use("/bonuses", ...guard)
    .use("/bonuses/*", ...guard)
    .use("/rewards", ...guard)
    .get(
      "/coupons",
      describeRoute({ summary: "The coupons you redeemed, newest first, with each bonus and its wagering", responses: { 200: p.redemptions.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c.var.brand.id).redemptions({ ...c.req.valid("query"), player: c.var.player.id }))),
    )
    .post(
      "/coupons/redeem",
      describeRoute({
        summary: "Redeem a coupon code",
        description:
          "A fixed bonus is granted at once (`requested`, then `granted`); a deposit coupon waits (`armed`) for your next deposit of at least its minimum. Each coupon once per player.",
        responses: { 201: p.redeem.reply },
        errors: ["coupon_not_found", "coupon_inactive", "coupon_not_started", "coupon_expired", "coupon_exhausted", "already_redeemed", "rate_limited"],
      }),
      validated(redeemBody, "json"),
      async (c) => {
        await ctx.rateLimits.take("couponRedeem", { address: clientAddress(c), account: `${c.var.brand.id}:${c.var.player.id}` });
        return c.json(valueOf(await promotions(c.var.brand.id).redeem({ player: c.var.player.id, code: c.req.valid("json").code })), 201);
      },
    )
    .get(
      "/bonuses",
      describeRoute({ summary: "Your coupon bonuses the wallet granted, newest first, each with its wagering", responses: { 200: p.redemptions.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c.var.brand.id).redemptions({ ...c.req.valid("query"), player: c.var.player.id, status: "granted" }))),
    )
    .post(
      "/bonuses/:redemptionId/cancel",
      describeRoute({
        summary: "Give up a bonus",
        description: "Its wagering requirement ends and what is left of the bonus is forfeited; your own deposits and what they won stay yours.",
        responses: { 200: rollingProtocol.playerCancel.reply },
        errors: ["not_found", "invalid_state"],
      }),
      validated(bonusParam, "param"),
      async (c) => {
        const player = c.var.player.id;
        const redemption = valueOf(await promotions(c.var.brand.id).redemption({ redemptionId: c.req.valid("param").redemptionId, player }));
        if (redemption.rolling?.status !== "open") throw new PlatformError("invalid_state", "this bonus has no open wagering requirement");
        return c.json(valueOf(await ctx.clients.rolling(c.var.brand.id).playerCancel({ rollingId: redemption.rolling.id, player })));
      },
    )
    .get(
      "/rewards",
      describeRoute({ summary: "The rebate and lossback you received, newest first", responses: { 200: p.settlementLines.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await promotions(c.var.brand.id).settlementLines({ ...c.req.valid("query"), player: c.var.player.id }))),
    );
}
