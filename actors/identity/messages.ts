import { z } from "zod";
import { brandIdSchema } from "../runtime/address.ts";
import { roleSchema } from "./roles.ts";

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, "3-40 letters, digits, dots, dashes or underscores");

export const passwordSchema = z.string().min(10, "at least 10 characters").max(200, "at most 200 characters");

/** null is every brand; an empty list would lock a staff member out of everything, so refuse it. */
export const brandScopeSchema = z.array(brandIdSchema).min(1, "name at least one brand, or null for every brand").nullable();

/** Who did it, as the audit log records it. */
export const actingStaffSchema = z.object({
  staffId: z.string().nullable(),
  username: z.string(),
  ip: z.string().nullable().optional(),
});
export type ActingStaff = z.infer<typeof actingStaffSchema>;

export const staffViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  brands: z.array(z.string()).nullable(),
  status: z.enum(["active", "disabled"]),
  mustChangePassword: z.boolean(),
  lockedUntil: z.number().nullable(),
  lastLoginAt: z.number().nullable(),
  createdAt: z.number(),
});
export type StaffView = z.infer<typeof staffViewSchema>;

const sessionSchema = z.object({ id: z.string(), staffId: z.string(), expiresAt: z.number() });

export const auditEntrySchema = z.object({
  action: z.string().min(1).max(100),
  brand: brandIdSchema.nullable(),
  target: z.string().max(200).nullable().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * The identity actor's protocol. Password hashes are made and checked by the caller
 * (actors/identity/staff-service.ts) before the message is sent, so no turn waits on argon2.
 */
export const identityProtocol = {
  createStaff: {
    body: z.object({
      username: usernameSchema,
      passwordHash: z.string().min(20),
      role: roleSchema,
      brands: brandScopeSchema,
      mustChangePassword: z.boolean().default(false),
      by: actingStaffSchema,
    }),
    reply: staffViewSchema,
  },
  updateStaff: {
    body: z.object({
      staffId: z.string(),
      role: roleSchema.optional(),
      brands: brandScopeSchema.optional(),
      status: z.enum(["active", "disabled"]).optional(),
      unlock: z.boolean().optional(),
      by: actingStaffSchema,
    }),
    reply: staffViewSchema,
  },
  setStaffPassword: {
    body: z.object({
      staffId: z.string(),
      passwordHash: z.string().min(20),
      /** the version the caller verified against: a concurrent change wins, this one is refused */
      expectedVersion: z.number().int(),
      reason: z.enum(["change", "reset"]),
      /** on a change the session that made it stays; every other one is revoked */
      keepSession: z.string().nullable().default(null),
      by: actingStaffSchema,
    }),
    reply: z.object({ passwordVersion: z.number() }),
  },
  recordLogin: {
    body: z.object({
      username: z.string(),
      staffId: z.string().nullable(),
      check: z.enum(["verified", "wrong_password", "not_checked"]),
      passwordVersion: z.number().int().nullable(),
      /** the id of the session to open (the access token's jti), when the caller issued one */
      sessionId: z.string().min(1).max(100).nullable().default(null),
      ip: z.string().nullable().default(null),
      userAgent: z.string().max(300).nullable().default(null),
    }),
    reply: z.object({ session: sessionSchema, staff: staffViewSchema }),
  },
  revokeSession: {
    body: z.object({ sessionId: z.string(), reason: z.string().max(100), by: actingStaffSchema }),
    reply: z.object({ revoked: z.boolean() }),
  },
  /** the first owner, when no active owner exists (see bootstrap.ts) */
  ensureOwner: {
    body: z.object({ username: usernameSchema, passwordHash: z.string().min(20) }),
    reply: z.object({ created: z.boolean(), username: z.string() }),
  },
  /** an audit entry: an owning actor's `audit.recorded` event (see audit-events.ts), its id the message id */
  recordAudit: {
    body: auditEntrySchema.extend({ by: actingStaffSchema, at: z.number().int().optional() }),
    reply: z.object({ seq: z.string() }),
  },
} as const;

export type IdentityProtocol = typeof identityProtocol;
