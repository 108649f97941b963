import { type Context, Hono } from "hono";
import { z } from "zod";
import { rollingProtocol as r, rollingIdSchema, rollingStatusSchema } from "../../actors/rolling/index.ts";
import { externalIdSchema, freeText, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, requireHealthy, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

const rollingParam = z.object({ rollingId: rollingIdSchema });
const playerParam = z.object({ playerId: externalIdSchema });
const status = rollingStatusSchema.optional().describe("only records of this status");
const listQuery = pageQuerySchema.extend({ status, player: externalIdSchema.optional().describe("only this player's records") });
const playerQuery = pageQuerySchema.extend({ status });
const cancelBody = z.object({
  reason: freeText(500, { multiline: true }),
  by: externalIdSchema.optional().describe("who cancels, when no staff token is forwarded"),
});

const describeRoute = describeWith({ tags: ["rolling"], errors: ["unauthorized", "brand_not_found", "brand_mismatch", "validation_failed", "degraded"] });

/**
 * `/internal/rolling/*` (service token, brand by X-Brand-Id): wagering requirements for other
 * services (agent commission, reports) and migration tooling: the list, one player's, one
 * record, and cancelling one, audited by `rolling@brand` in the name of the staff member
 * whose token the caller forwards, else who the caller says acts.
 */
export function rollingRoutes(ctx: EdgeContext) {
  const rolling = (c: Context<BrandedEnv>) => ctx.clients.rolling(c.var.brand.id);
  return new Hono<BrandedEnv>()
    .use("*", requireBrand(), requireHealthy(ctx, "rolling"))
    .get("/", describeRoute({ summary: "Wagering requirements", description: "Newest first.", responses: { 200: r.rollings.reply } }), validated(listQuery, "query"), async (c) =>
      c.json(valueOf(await rolling(c).rollings(c.req.valid("query")))),
    )
    .get(
      "/players/:playerId",
      describeRoute({ summary: "A player's wagering requirements, newest first, with what the open ones still need", responses: { 200: r.playerRollings.reply } }),
      validated(playerParam, "param"),
      validated(playerQuery, "query"),
      async (c) => c.json(valueOf(await rolling(c).playerRollings({ player: c.req.valid("param").playerId, ...c.req.valid("query") }))),
    )
    .get(
      "/:rollingId",
      describeRoute({ summary: "One wagering requirement", responses: { 200: r.rolling.reply }, errors: ["not_found"] }),
      validated(rollingParam, "param"),
      async (c) => c.json(valueOf(await rolling(c).rolling({ rollingId: c.req.valid("param").rollingId }))),
    )
    .post(
      "/:rollingId/cancel",
      describeRoute({ summary: "Cancel an open wagering requirement", responses: { 200: r.cancel.reply }, errors: ["not_found", "invalid_state", "invalid_token"] }),
      validated(rollingParam, "param"),
      validated(cancelBody, "json"),
      async (c) => {
        const { reason, by } = c.req.valid("json");
        return c.json(valueOf(await rolling(c).cancel({ rollingId: c.req.valid("param").rollingId, reason, by: await actingStaffOf(ctx, c, "finance.write", by) })));
      },
    );
}
