import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { rollingProtocol as r, rollingIdSchema, rollingStatusSchema } from "../../actors/rolling/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { externalIdSchema, freeText, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, requireHealthy, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const rollingParam = brandParam.extend({ rollingId: rollingIdSchema });
const playerParam = brandParam.extend({ playerId: externalIdSchema });
const status = rollingStatusSchema.optional().describe("only records of this status");
const listQuery = pageQuerySchema.extend({ status, player: externalIdSchema.optional().describe("only this player's records") });
const playerQuery = pageQuerySchema.extend({ status });
const cancelBody = z.object({ reason: freeText(500, { multiline: true }) });

const describeRoute = describeWith({
  tags: ["rolling"],
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
 * `/api/v1/brands/:brand/rollings` and a player's history: the brand's wagering requirements
 * through `rolling@brand`, and cancelling one (a bonus record's bonus is then forfeited
 * through the wallet), which `rolling@brand` audits in the commit that makes it.
 */
export function rollingRoutes(ctx: EdgeContext) {
  const rolling = (c: SignedInAtBrand) => ctx.clients.rolling(c.var.brand.id);
  const read = staffGuard(ctx, "read", "brand");
  const healthy = requireHealthy(ctx, "rolling");
  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/rollings",
      describeRoute({ summary: "Wagering requirements", description: "Newest first.", responses: { 200: r.rollings.reply } }),
      read,
      healthy,
      validated(brandParam, "param"),
      validated(listQuery, "query"),
      async (c) => c.json(valueOf(await rolling(c).rollings(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/rollings/:rollingId",
      describeRoute({ summary: "One wagering requirement", responses: { 200: r.rolling.reply }, errors: ["not_found"] }),
      read,
      healthy,
      validated(rollingParam, "param"),
      async (c) => c.json(valueOf(await rolling(c).rolling({ rollingId: c.req.valid("param").rollingId }))),
    )
    .post(
      "/brands/:brand/rollings/:rollingId/cancel",
      describeRoute({
        summary: "Cancel an open wagering requirement",
        description: "The player's withdrawals no longer wait for it; a bonus's requirement forfeits what is left of that bonus. Audited as `rolling.cancel`.",
        responses: { 200: r.cancel.reply },
        errors: ["not_found", "invalid_state"],
      }),
      staffGuard(ctx, "finance.write", "brand"),
      healthy,
      validated(rollingParam, "param"),
      validated(cancelBody, "json"),
      async (c) => c.json(valueOf(await rolling(c).cancel({ rollingId: c.req.valid("param").rollingId, reason: c.req.valid("json").reason, by: actingAs(c.var.staff) }))),
    )
    .get(
      "/brands/:brand/players/:playerId/rollings",
      describeRoute({ summary: "A player's wagering requirements, newest first, with what the open ones still need", responses: { 200: r.playerRollings.reply } }),
      read,
      healthy,
      validated(playerParam, "param"),
      validated(playerQuery, "query"),
      async (c) => c.json(valueOf(await rolling(c).playerRollings({ player: c.req.valid("param").playerId, ...c.req.valid("query") }))),
    );
}
