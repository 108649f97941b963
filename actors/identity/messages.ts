import { z } from "zod";
import { brandIdSchema } from "../runtime/address.ts";
import { bigintCursorSchema, freeText, pageLimitSchema, pageOf } from "../runtime/fields.ts";
import { roleSchema } from "./roles.ts";

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, "3-40 letters, digits, dots, dashes or underscores");

export const passwordSchema = z.string().min(10, "at least 10 characters").max(200, "at most 200 characters");

export const staffIdSchema = z.string().uuid("a staff id");

/** null is every brand; an empty list would lock a staff member out of everything, so refuse it. */
export const brandScopeSchema = z.array(brandIdSchema).min(1, "name at least one brand, or null for every brand").nullable();

/** An address as the socket saw it (IPv4 or IPv6). */
export const addressSchema = z
  .string()
  .max(64)
  .regex(/^[0-9A-Fa-f:.]+$/, "an IP address");

/** Who did it, as the audit log records it. */
export const actingStaffSchema = z.object({
  staffId: z.string().min(1).max(100).nullable(),
  username: freeText(100),
  ip: addressSchema.nullable().optional(),
});
export type ActingStaff = z.infer<typeof actingStaffSchema>;

// C0 and C1 controls and the BOM: an audit entry keeps its record with each replaced, rather than being refused
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001F\u007F-\u009F\uFEFF]/g;
/** Text an audit entry records: bounded, control characters and lone surrogates replaced (PostgreSQL refuses a NUL). */
const recordedText = (max: number) => z.string().transform((v) => v.replace(CONTROL, "\uFFFD").slice(0, max).toWellFormed());

export const staffViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    brands: z.array(z.string()).nullable(),
    status: z.enum(["active", "disabled"]),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.number().nullable(),
    createdAt: z.number(),
  })
  .meta({ id: "StaffMember" });
export type StaffView = z.infer<typeof staffViewSchema>;

/** A member as managers see it: with the lock the sign-in throttle holds on it (the credentials module). */
export const staffAccountSchema = staffViewSchema
  .extend({ lockedUntil: z.number().nullable().describe("until when sign-ins from unknown devices are refused (epoch ms)") })
  .meta({ id: "StaffAccount" });
export type StaffAccount = z.infer<typeof staffAccountSchema>;

const sessionSchema = z.object({ id: z.string(), staffId: z.string(), expiresAt: z.number() });

export const auditEntrySchema = z.object({
  action: recordedText(100).pipe(z.string().min(1)),
  brand: brandIdSchema.nullable(),
  target: recordedText(200).nullable().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEntry = z.input<typeof auditEntrySchema>;

export const auditRowSchema = z
  .object({
    seq: z.string(),
    at: z.number(),
    staffId: z.string().nullable(),
    username: z.string(),
    action: z.string(),
    brand: z.string().nullable(),
    target: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
  })
  .meta({ id: "AuditRow" });
export type AuditRow = z.infer<typeof auditRowSchema>;

/** Which rows a reader sees: the reader's own brand scope (null: every brand). */
const readerScope = z.object({ within: brandScopeSchema });

export const auditFilterSchema = z.object({
  brand: brandIdSchema.optional(),
  staffId: z
    .string()
    .max(100)
    .regex(/^[\x21-\x7E]+$/, "printable ASCII without spaces")
    .optional(),
  action: z
    .string()
    .regex(/^[a-z0-9_.-]{1,100}$/, "an action such as staff.create")
    .optional(),
  target: freeText(200).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/**
 * The identity actor's protocol. Password hashes are made and checked by the caller
 * (actors/identity/staff-service.ts, with the credentials module) before any message is
 * sent, so no turn waits on argon2. The queries at the end are answered without a journal.
 */
export const identityProtocol = {
  createStaff: {
    body: z.object({
      username: usernameSchema,
      passwordHash: z.string().min(20).max(300),
      role: roleSchema,
      brands: brandScopeSchema,
      mustChangePassword: z.boolean().default(false),
      by: actingStaffSchema,
    }),
    reply: staffViewSchema,
  },
  updateStaff: {
    body: z.object({
      staffId: staffIdSchema,
      role: roleSchema.optional(),
      brands: brandScopeSchema.optional(),
      status: z.enum(["active", "disabled"]).optional(),
      /** recorded with the change; the lock itself is the sign-in throttle's, which the caller lifts */
      unlock: z.boolean().optional(),
      by: actingStaffSchema,
    }),
    reply: staffViewSchema,
  },
  setStaffPassword: {
    body: z.object({
      staffId: staffIdSchema,
      passwordHash: z.string().min(20).max(300),
      /** the version the caller verified against: a concurrent change wins, this one is refused */
      expectedVersion: z.number().int(),
      reason: z.enum(["change", "reset"]),
      /** on a change the session that made it stays; every other one is revoked */
      keepSession: z.string().max(100).nullable().default(null),
      by: actingStaffSchema,
    }),
    reply: z.object({ passwordVersion: z.number() }),
  },
  /** a sign-in whose password checked out against `passwordVersion`: the session opens unless the member is disabled */
  openSession: {
    body: z.object({
      staffId: staffIdSchema,
      passwordVersion: z.number().int(),
      /** the id of the session to open (the access token's jti), when the caller issued one */
      sessionId: z.string().min(1).max(100).nullable().default(null),
      ip: addressSchema.nullable().default(null),
      userAgent: recordedText(300).nullable().default(null),
    }),
    reply: z.object({ session: sessionSchema, staff: staffViewSchema }),
  },
  /** a refused sign-in, for the audit log: a wrong password (`failed`, or `locked` when it locked the account) or a throttled one (`refused`) */
  recordFailedLogin: {
    body: z.object({
      username: recordedText(100),
      result: z.enum(["failed", "locked", "refused"]),
      attemptsLeft: z.number().int().nullable().default(null),
      until: z.number().int().nullable().default(null),
      ip: addressSchema.nullable().default(null),
      userAgent: recordedText(300).nullable().default(null),
    }),
    reply: z.object({ recorded: z.boolean() }),
  },
  revokeSession: {
    body: z.object({ sessionId: z.string().min(1).max(100), reason: z.string().max(100), by: actingStaffSchema }),
    reply: z.object({ revoked: z.boolean() }),
  },
  /** the first owner, when no active owner exists (see bootstrap.ts) */
  ensureOwner: {
    body: z.object({ username: usernameSchema, passwordHash: z.string().min(20).max(300) }),
    reply: z.object({ created: z.boolean(), username: z.string() }),
  },
  /** an audit entry: an owning actor's `audit.recorded` event (see audit-events.ts), its id the message id */
  recordAudit: {
    body: auditEntrySchema.extend({
      by: z.object({ staffId: recordedText(100).nullable(), username: recordedText(100), ip: recordedText(64).nullable().optional() }),
      at: z.number().int().optional(),
    }),
    reply: z.object({ seq: z.string() }),
  },
  // queries
  /** the stored hash of `username`, null when no member has it (the caller verifies against a decoy then) */
  loginChallenge: {
    body: z.object({ username: usernameSchema }),
    reply: z.object({ staffId: z.string(), passwordHash: z.string(), passwordVersion: z.number(), role: roleSchema, brands: z.array(z.string()).nullable() }).nullable(),
  },
  /** the stored hash of a member, for a change that needs the current password */
  credentials: {
    body: z.object({ staffId: staffIdSchema }),
    reply: z.object({ username: z.string(), passwordHash: z.string(), passwordVersion: z.number() }),
  },
  member: { body: z.object({ staffId: staffIdSchema }), reply: staffViewSchema.extend({ passwordVersion: z.number() }) },
  /** staff whose whole brand scope lies within `within`, by username */
  listStaff: {
    body: readerScope.extend({ cursor: usernameSchema.optional(), limit: pageLimitSchema }),
    reply: pageOf(staffViewSchema),
  },
  /** the audit log newest first; a reader scoped to brands sees rows of those brands only */
  readAudit: {
    body: readerScope.extend(auditFilterSchema.shape).extend({ cursor: bigintCursorSchema.optional(), limit: pageLimitSchema }),
    reply: pageOf(auditRowSchema),
  },
} as const;

export type IdentityProtocol = typeof identityProtocol;

/** Reads that change nothing: answered outside the journal, which would otherwise keep copies of password hashes. */
export const IDENTITY_QUERIES: ReadonlySet<string> = new Set<keyof IdentityProtocol>(["loginChallenge", "credentials", "member", "listStaff", "readAudit"]);
