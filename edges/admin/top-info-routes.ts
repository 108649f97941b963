import { Hono } from "hono";
import { z } from "zod";
import { topInfoProtocol } from "../../actors/admin/index.ts";
import { actingAs } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";
import { brandCountersSchema, topInfoSnapshot } from "./ws-top-info.ts";

const brandParam = z.object({ brand: brandIdSchema });
const STAFF_ERRORS = ["unauthorized", "invalid_token", "token_expired", "password_change_required", "forbidden"] as const;
const describeTopInfo = describeWith({ tags: ["top-info"], errors: STAFF_ERRORS });
const describeBrandTopInfo = describeWith({ tags: ["top-info"], errors: [...STAFF_ERRORS, "validation_failed", "brand_not_found", "brand_disabled", "brand_mismatch"] });

/** `/api/v1/top-info` (every brand in scope) and a brand's counters; `/ws` pushes the same. */
export function topInfoRoutes(ctx: EdgeContext) {
  return new Hono<StaffBrandEnv>()
    .get(
      "/top-info",
      describeTopInfo({
        summary: "The counters of every active brand in the member's scope (a brand that does not answer in time is left out)",
        responses: { 200: z.object({ brands: z.record(z.string(), brandCountersSchema) }) },
      }),
      staffGuard(ctx, "read"),
      async (c) => c.json({ brands: await topInfoSnapshot(ctx, c.var.staff) }),
    )
    .get(
      "/brands/:brand/top-info",
      describeBrandTopInfo({ summary: "One brand's counters", responses: { 200: topInfoProtocol.topInfo.reply } }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await ctx.clients.admin(c.var.brand.id).topInfo({}))),
    )
    .post(
      "/brands/:brand/top-info/alarms/acknowledge",
      describeBrandTopInfo({ summary: "Clear the brand's reconciliation alarms (audited when any is cleared)", responses: { 200: topInfoProtocol.acknowledgeAlarms.reply } }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await ctx.clients.admin(c.var.brand.id).acknowledgeAlarms({ by: actingAs(c.var.staff) }))),
    );
}
