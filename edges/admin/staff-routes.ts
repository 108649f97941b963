import { Hono } from "hono";
import { z } from "zod";
import { brandScopeSchema, roleSchema, usernameSchema } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { staffGuard, valueOf, type StaffEnv } from "./staff-access.ts";

const newStaffBody = z.object({ username: usernameSchema, password: z.string().min(1).max(200), role: roleSchema, brands: brandScopeSchema });
const staffPatchBody = z
  .object({ role: roleSchema.optional(), brands: brandScopeSchema.optional(), status: z.enum(["active", "disabled"]).optional(), unlock: z.literal(true).optional() })
  .refine((p) => Object.keys(p).length > 0, "name at least one of role, brands, status, unlock");
const staffIdParam = z.object({ id: z.string().uuid("a staff id") });
const auditQuery = z.object({
  brand: brandIdSchema.optional(),
  staffId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  before: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * `/api/v1/staff/*` and `/api/v1/audit`: staff accounts (owners and admins, within their
 * own brand scope; an admin never grants owner) and the audit log of staff actions.
 */
export function staffRoutes(ctx: EdgeContext) {
  const staff = () => ctx.staff;
  return new Hono<StaffEnv>()
    .get("/staff", staffGuard(ctx, "staff.manage"), async (c) => c.json({ items: await ctx.staff.list(c.var.staff) }))
    .post("/staff", staffGuard(ctx, "staff.manage"), validated(newStaffBody, "json"), async (c) =>
      c.json(valueOf(await staff().createStaff(c.var.staff, c.req.valid("json"))), 201),
    )
    .patch("/staff/:id", staffGuard(ctx, "staff.manage"), validated(staffIdParam, "param"), validated(staffPatchBody, "json"), async (c) =>
      c.json(valueOf(await staff().updateStaff(c.var.staff, c.req.valid("param").id, c.req.valid("json")))),
    )
    .post("/staff/:id/reset-password", staffGuard(ctx, "staff.manage"), validated(staffIdParam, "param"), async (c) =>
      c.json(valueOf(await staff().resetPassword(c.var.staff, c.req.valid("param").id))),
    )
    .get("/audit", staffGuard(ctx, "staff.manage"), validated(auditQuery, "query"), async (c) => {
      const q = c.req.valid("query");
      const items = await ctx.staff.readAudit(c.var.staff, { brand: q.brand, staffId: q.staffId, action: q.action, target: q.target, beforeSeq: q.before, limit: q.limit });
      return c.json({ items, nextBefore: items.length === q.limit ? items.at(-1)!.seq : null });
    });
}
