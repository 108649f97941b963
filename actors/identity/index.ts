import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { identityProtocol as protocol } from "./messages.ts";

export { identityKind, IDENTITY_ADDRESS, SESSION_CLEANUP_TIMER } from "./actor.ts";
export { auditEvent, startAuditFeed, AUDIT_RECORDED, type AuditRecorded } from "./audit-events.ts";
export {
  identityProtocol,
  usernameSchema,
  passwordSchema,
  staffIdSchema,
  brandScopeSchema,
  actingStaffSchema,
  staffViewSchema,
  staffAccountSchema,
  auditRowSchema,
  auditFilterSchema,
  type StaffView,
  type StaffAccount,
  type AuditEntry,
  type AuditFilter,
  type AuditRow,
  type ActingStaff,
} from "./messages.ts";
export { identityOptions, DEFAULT_IDENTITY_OPTIONS, type IdentityOptions } from "./options.ts";
export { StaffService, type NewStaff, type StaffPatch, type StaffTokenIssuer, type SignedInStaff, type SessionLookup, type StaffServiceParts, type Page } from "./staff-service.ts";
export { actingAs, staffSessions, type StaffPrincipal } from "./principal.ts";
export type { EnsureOwnerResult } from "./bootstrap.ts";
export { ROLES, roleSchema, can, inScope, scopeWithin, type Role, type Permission, type BrandScope } from "./roles.ts";
export * as identityTables from "./schema.ts";

/** Typed asks to the global `identity` actor. */
export const identityClient = (messenger: Messenger): IdentityClient => protocolClient(messenger, protocol, "identity", null);
export type IdentityClient = Client<typeof protocol>;
