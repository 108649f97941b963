import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { identityProtocol as protocol } from "./messages.ts";

export { IDENTITY_ADDRESS, identityKind, SESSION_CLEANUP_TIMER } from "./actor.ts";
export { AUDIT_RECORDED, type AuditRecorded, auditEvent, startAuditFeed } from "./audit-events.ts";
export type { EnsureOwnerResult } from "./bootstrap.ts";
export {
  type ActingStaff,
  type AuditEntry,
  type AuditFilter,
  type AuditRow,
  actingStaffSchema,
  auditFilterSchema,
  auditRowSchema,
  brandScopeSchema,
  identityProtocol,
  passwordSchema,
  type StaffAccount,
  type StaffView,
  staffAccountSchema,
  staffIdSchema,
  staffViewSchema,
  usernameSchema,
} from "./messages.ts";
export { DEFAULT_IDENTITY_OPTIONS, type IdentityOptions, identityOptions } from "./options.ts";
export { actingAs, type StaffPrincipal, staffSessions } from "./principal.ts";
export { type BrandScope, can, inScope, type Permission, ROLES, type Role, roleSchema, scopeWithin } from "./roles.ts";
export * as identityTables from "./schema.ts";
export { type NewStaff, type Page, type SessionLookup, type SignedInStaff, type StaffPatch, StaffService, type StaffServiceParts, type StaffTokenIssuer } from "./staff-service.ts";

/** Typed asks to the global `identity` actor. */
export const identityClient = (messenger: Messenger): IdentityClient => protocolClient(messenger, protocol, "identity", null);
export type IdentityClient = Client<typeof protocol>;
