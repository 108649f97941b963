import { Hono } from "hono";
import { z } from "zod";
import { auditFilterSchema, auditRowSchema, brandScopeSchema, roleSchema, staffAccountSchema, staffIdSchema, usernameSchema } from "../../actors/identity/index.ts";
import { bigintCursorSchema, pageLimitSchema, pageOf } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type StaffEnv, staffGuard, valueOf } from "./staff-access.ts";

const newStaffBody = z.object({ username: usernameSchema, password: z.string().min(1).max(200), role: roleSchema, brands: brandScopeSchema });
const staffPatchBody = z
  .object({ role: roleSchema.optional(), brands: brandScopeSchema.optional(), status: z.enum(["active", "disabled"]).optional(), unlock: z.literal(true).optional() })
  .refine((p) => Object.keys(p).length > 0, "name at least one of role, brands, status, unlock");
const staffIdParam = z.object({ id: staffIdSchema });
const staffPage = z.object({ cursor: usernameSchema.optional().describe("the nextCursor of the previous page"), limit: pageLimitSchema });
const auditQuery = auditFilterSchema.extend({ cursor: bigintCursorSchema.optional(), limit: pageLimitSchema });

const describeStaff = describeWith({ tags: ["staff"], errors: ["unauthorized", "invalid_token", "forbidden", "password_change_required"] });

/**
 * `/api/v1/staff/*` and `/api/v1/audit`: staff accounts (owners and admins, within their
 * own brand scope; an admin never grants owner) and the audit log of staff actions. Identity
 * writes each change's audit row in the change's own commit.
 */
export function staffRoutes(ctx: EdgeContext) {
  const staff = () => ctx.staff;
  return new Hono<StaffEnv>()
    .get(
      "/staff",
      describeStaff({
        summary: "Staff accounts",
        description: "Members whose whole brand scope lies within the caller's, by username.",
        responses: { 200: pageOf(staffAccountSchema) },
        errors: ["validation_failed"],
      }),
      staffGuard(ctx, "staff.manage"),
      validated(staffPage, "query"),
      async (c) => c.json(valueOf(await staff().list(c.var.staff, c.req.valid("query")))),
    )
    .post(
      "/staff",
      describeStaff({
        summary: "Create a staff account",
        description: "With a password the member must change at the first sign-in; a role below the caller's, brands within the caller's.",
        responses: { 201: staffAccountSchema },
        errors: ["validation_failed", "bad_request", "conflict", "overloaded"],
      }),
      staffGuard(ctx, "staff.manage"),
      validated(newStaffBody, "json"),
      async (c) => c.json(valueOf(await staff().createStaff(c.var.staff, c.req.valid("json"))), 201),
    )
    .patch(
      "/staff/:id",
      describeStaff({
        summary: "Change a staff account",
        description: "Role, brands, status (disabling ends every session), or `unlock` to lift a sign-in lock.",
        responses: { 200: staffAccountSchema },
        errors: ["validation_failed", "bad_request", "not_found", "conflict"],
      }),
      staffGuard(ctx, "staff.manage"),
      validated(staffIdParam, "param"),
      validated(staffPatchBody, "json"),
      async (c) => c.json(valueOf(await staff().updateStaff(c.var.staff, c.req.valid("param").id, c.req.valid("json")))),
    )
    .post(
      "/staff/:id/reset-password",
      describeStaff({
        summary: "Reset a password",
        description: "A temporary password, shown once; every session of the member ends and the member must change it at the next sign-in.",
        responses: { 200: z.object({ temporaryPassword: z.string() }) },
        errors: ["validation_failed", "not_found", "conflict", "overloaded"],
      }),
      staffGuard(ctx, "staff.manage"),
      validated(staffIdParam, "param"),
      async (c) => c.json(valueOf(await staff().resetPassword(c.var.staff, c.req.valid("param").id))),
    )
    .get(
      "/audit",
      describeStaff({
        summary: "The audit log",
        description: "Staff actions, newest first; a caller scoped to brands sees rows of those brands only.",
        responses: { 200: pageOf(auditRowSchema) },
        errors: ["validation_failed"],
      }),
      staffGuard(ctx, "staff.manage"),
      validated(auditQuery, "query"),
      async (c) => c.json(valueOf(await staff().readAudit(c.var.staff, c.req.valid("query")))),
    );
}
