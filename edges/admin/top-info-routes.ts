import { Hono } from "hono";
import { topInfoSnapshot } from "./ws-top-info.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { audit, staffGuard, valueOf, type StaffBrandEnv } from "./staff-access.ts";

/** `/api/v1/top-info` (every brand in scope) and a brand's counters; `/ws` pushes the same. */
export function topInfoRoutes(ctx: EdgeContext) {
  return new Hono<StaffBrandEnv>()
    .get("/top-info", staffGuard(ctx, "read"), async (c) => c.json({ brands: await topInfoSnapshot(ctx, c.var.staff) }))
    .get("/brands/:brand/top-info", staffGuard(ctx, "read", "brand"), async (c) => {
      return c.json(valueOf(await ctx.clients.admin(c.var.brand.id).topInfo({})));
    })
    .post("/brands/:brand/top-info/alarms/acknowledge", staffGuard(ctx, "finance.write", "brand"), async (c) => {
      const done = valueOf(await ctx.clients.admin(c.var.brand.id).acknowledgeAlarms({ by: c.var.staff.staffId }));
      if (done.cleared > 0) await audit(ctx, c, { action: "top_info.acknowledge_alarms", brand: c.var.brand.id, target: `brand:${c.var.brand.id}`, after: done });
      return c.json(done);
    });
}
