import { Hono } from "hono";
import { topInfoSnapshot } from "./ws-top-info.ts";
import { formatAddress } from "../../actors/runtime/address.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { audit, requireDomain, staffGuard, valueOf, type StaffBrandEnv } from "./staff-access.ts";

/** `/api/v1/top-info` (every brand in scope) and a brand's counters; `/ws` pushes the same. */
export function topInfoRoutes(ctx: NodeContext) {
  return new Hono<StaffBrandEnv>()
    .get("/top-info", staffGuard(ctx, "read"), async (c) => c.json({ brands: await topInfoSnapshot(ctx, c.var.staff) }))
    .get("/brands/:brand/top-info", staffGuard(ctx, "read", "brand"), async (c) => {
      requireDomain(ctx, "admin");
      return c.json(valueOf(await ctx.system.askOutcome(formatAddress("admin", c.var.brand.id), "topInfo.get", {})));
    })
    .post("/brands/:brand/top-info/alarms/acknowledge", staffGuard(ctx, "finance.write", "brand"), async (c) => {
      requireDomain(ctx, "admin");
      const done = valueOf(await ctx.system.askOutcome(formatAddress("admin", c.var.brand.id), "alarms.acknowledge", { by: c.var.staff.staffId })) as { cleared: number };
      if (done.cleared > 0) await audit(ctx, c, { action: "top_info.acknowledge_alarms", brand: c.var.brand.id, target: `brand:${c.var.brand.id}`, after: done });
      return c.json(done);
    });
}
