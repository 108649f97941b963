import type { z } from "zod";
import { type ClientRef, type Credentials, STAFF_REALM, temporaryPassword } from "../credentials/index.ts";
import { type Client, protocolClient } from "../runtime/client.ts";
import { fail, type Outcome, ok, PlatformError } from "../runtime/errors.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { type AuditFilter, type AuditRow, type IdentityProtocol, identityProtocol, passwordSchema, type StaffAccount, type StaffView, usernameSchema } from "./messages.ts";
import { actingAs, type StaffPrincipal } from "./principal.ts";
import { type BrandScope, can, outranksOrEquals, type Role, scopeWithin } from "./roles.ts";

type Reply<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["reply"]>;
type LoginInput = { username: string; password: string; ip?: string | null; userAgent?: string | null; deviceToken?: string | null };

/** Signs a staff access token; its `jti` becomes the session id the server checks on every request. */
export type StaffTokenIssuer = (grant: { staffId: string; role: Role; brands: BrandScope; ttlSeconds: number }) => Promise<{ token: string; jti: string }>;
export type SignedInStaff = Reply<"openSession"> & { accessToken: string | null; deviceToken: string | null };
export type NewStaff = { username: string; password: string; role: Role; brands: BrandScope };
export type StaffPatch = { role?: Role; brands?: BrandScope; status?: "active" | "disabled"; unlock?: boolean };
export type Page<T> = { items: T[]; nextCursor: string | null };
/** identity's per-request session check (`staffSessions`): the one read that stays off the actor */
export type SessionLookup = (sessionId: string, seen: { staffId?: string; ip?: string | null }) => Promise<StaffPrincipal | undefined>;

export type StaffServiceParts = { messenger: Messenger; credentials: Credentials; sessions: SessionLookup; sessionTtlMs: number };

const account = (username: string) => ({ realm: STAFF_REALM, username });

/**
 * What edges call for staff identity. Passwords are hashed and checked here, in the node's
 * hashing line and through the sign-in throttle (the credentials module, shared with
 * players), before any message is sent, so the identity actor's turns stay short. Reads are
 * the actor's queries, changes its commands; the actor writes each change's audit row in the
 * same commit, with `by` (the ip included) from the signed-in principal.
 */
export class StaffService {
  private identity: Client<IdentityProtocol>;

  constructor(private parts: StaffServiceParts) {
    this.identity = protocolClient(parts.messenger, identityProtocol, "identity", null);
  }

  /** A hash at the node's cost (for tests and tools that create staff directly). */
  async hash(password: string): Promise<string> {
    const hashed = await this.parts.credentials.hash(password);
    if (!hashed.ok) throw PlatformError.from(hashed.error);
    return hashed.value;
  }

  /**
   * Check the password (throttled, outside any turn), then let the identity actor open the
   * session (status, password version). With an issuer, the token is signed before the
   * session is recorded under its jti, and handed out only if the actor opens it. A refusal
   * is the same for a name no member has; identity audits it either way.
   */
  async login(input: LoginInput, issue?: StaffTokenIssuer): Promise<Outcome<SignedInStaff>> {
    const parsed = usernameSchema.safeParse(input.username);
    const username = parsed.success ? parsed.data : input.username.trim().toLowerCase().slice(0, 100);
    const client: ClientRef = { address: input.ip ?? null, deviceToken: input.deviceToken ?? null };
    const attempt = { account: account(username), client, password: input.password, purpose: "sign-in" } as const;
    const failed = (refusal: Outcome<never> & { ok: false }, result: "failed" | "locked" | "refused") => this.recordFailure(username, input, refusal, result);
    const admitted = await this.parts.credentials.throttle.admit(attempt.account, client);
    if (!admitted.ok) return failed(admitted, "refused");
    const stored = parsed.success ? await this.identity.loginChallenge({ username }) : ok(null);
    if (!stored.ok) {
      await this.parts.credentials.throttle.abandon(admitted.value);
      return stored;
    }
    const checked = await this.parts.credentials.verify(admitted.value, attempt, stored.value);
    if (!checked.ok) return checked.error.code === "overloaded" ? checked : failed(checked, checked.error.code === "account_locked" ? "locked" : "failed");
    const { staffId, passwordVersion, role, brands } = checked.value.stored;
    const token = issue ? await issue({ staffId, role, brands, ttlSeconds: Math.floor(this.parts.sessionTtlMs / 1000) }) : undefined;
    const opened = await this.identity.openSession({ staffId, passwordVersion, sessionId: token?.jti ?? null, ip: client.address, userAgent: input.userAgent ?? null });
    return opened.ok ? ok({ ...opened.value, accessToken: token?.token ?? null, deviceToken: checked.value.deviceToken }) : opened;
  }

  /** The live session `sessionId` (of `staffId`, when given) as a principal; undefined once it ended. */
  authenticate(sessionId: string, seen: { staffId?: string; ip?: string | null } = {}): Promise<StaffPrincipal | undefined> {
    return this.parts.sessions(sessionId, seen);
  }

  logout(p: StaffPrincipal): Promise<Outcome<Reply<"revokeSession">>> {
    return this.identity.revokeSession({ sessionId: p.sessionId, reason: "logout", by: actingAs(p) });
  }

  /** A wrong current password counts toward the member's sign-in lockout. */
  async changePassword(p: StaffPrincipal, current: string, next: string): Promise<Outcome<Reply<"setStaffPassword">>> {
    const valid = passwordSchema.safeParse(next);
    if (!valid.success) return fail("validation_failed", `newPassword: ${valid.error.issues[0]!.message}`);
    if (next.toLowerCase().includes(p.username)) return fail("validation_failed", "newPassword: must not contain the username");
    const stored = await this.identity.credentials({ staffId: p.staffId });
    if (!stored.ok) return stored;
    const attempt = { account: account(p.username), client: { address: p.ip }, password: current, purpose: "confirm" } as const;
    const checked = await this.parts.credentials.check(attempt, async () => stored);
    if (!checked.ok) return checked;
    if (current === next) return fail("validation_failed", "newPassword: must differ from the current one");
    const hashed = await this.parts.credentials.hash(next);
    if (!hashed.ok) return hashed;
    const expectedVersion = stored.value.passwordVersion;
    return this.identity.setStaffPassword({ staffId: p.staffId, passwordHash: hashed.value, expectedVersion, reason: "change", keepSession: p.sessionId, by: actingAs(p) });
  }

  async createStaff(by: StaffPrincipal, input: NewStaff): Promise<Outcome<StaffAccount>> {
    const refused = this.mayGrant(by, input.role, input.brands);
    if (refused) return refused;
    const valid = passwordSchema.safeParse(input.password);
    if (!valid.success) return fail("validation_failed", `password: ${valid.error.issues[0]!.message}`);
    const hashed = await this.parts.credentials.hash(input.password);
    if (!hashed.ok) return hashed;
    const { username, role, brands } = input;
    const created = await this.identity.createStaff({ username, role, brands, passwordHash: hashed.value, mustChangePassword: true, by: actingAs(by) });
    return created.ok ? ok(await this.withLocks(created.value)) : created;
  }

  async updateStaff(by: StaffPrincipal, staffId: string, patch: StaffPatch): Promise<Outcome<StaffAccount>> {
    const target = await this.manageable(by, staffId);
    if (!target.ok) return target;
    const refused = this.mayGrant(by, patch.role ?? target.value.role, patch.brands === undefined ? target.value.brands : patch.brands);
    if (refused) return refused;
    if (staffId === by.staffId && (patch.role || patch.status === "disabled")) return fail("forbidden", "you cannot change your own role or disable yourself");
    const updated = await this.identity.updateStaff({ staffId, ...patch, by: actingAs(by) });
    if (!updated.ok) return updated;
    if (patch.unlock) await this.parts.credentials.throttle.unlock(account(updated.value.username));
    return ok(await this.withLocks(updated.value));
  }

  /** A temporary password, shown once; the member must change it at the next sign-in. The lock is lifted. */
  async resetPassword(by: StaffPrincipal, staffId: string): Promise<Outcome<{ temporaryPassword: string }>> {
    const target = await this.manageable(by, staffId);
    if (!target.ok) return target;
    const password = temporaryPassword();
    const hashed = await this.parts.credentials.hash(password);
    if (!hashed.ok) return hashed;
    const expectedVersion = target.value.passwordVersion;
    const done = await this.identity.setStaffPassword({ staffId, passwordHash: hashed.value, expectedVersion, reason: "reset", keepSession: null, by: actingAs(by) });
    if (!done.ok) return done;
    await this.parts.credentials.throttle.unlock(account(target.value.username));
    return ok({ temporaryPassword: password });
  }

  /** The first owner, unless an active owner exists (then nothing changes). */
  async ensureOwner(username: string, password: string): Promise<Outcome<Reply<"ensureOwner">>> {
    const name = usernameSchema.safeParse(username);
    if (!name.success) return fail("validation_failed", `username: ${name.error.issues[0]!.message}`);
    const valid = passwordSchema.safeParse(password);
    if (!valid.success) return fail("validation_failed", `password: ${valid.error.issues[0]!.message}`);
    const hashed = await this.parts.credentials.hash(password);
    if (!hashed.ok) return hashed;
    return this.identity.ensureOwner({ username: name.data, passwordHash: hashed.value });
  }

  /** The staff accounts `by` may see (within their brand scope), a page at a time. */
  async list(by: StaffPrincipal, page: { cursor?: string; limit?: number } = {}): Promise<Outcome<Page<StaffAccount>>> {
    const listed = await this.identity.listStaff({ within: by.brands, ...page });
    if (!listed.ok) return listed;
    const locks = await this.parts.credentials.throttle.lockedUntil(listed.value.items.map((s) => account(s.username)));
    return ok({ items: listed.value.items.map((s, i) => ({ ...s, lockedUntil: locks[i]! })), nextCursor: listed.value.nextCursor });
  }

  /** The audit log as far as `by` may read it, newest first. */
  readAudit(by: StaffPrincipal, filter: AuditFilter & { cursor?: string; limit?: number }): Promise<Outcome<Page<AuditRow>>> {
    return this.identity.readAudit({ within: by.brands, ...filter });
  }

  /** Whether `by` may hand out this role over these brands. */
  private mayGrant(by: StaffPrincipal, role: Role, brands: BrandScope): Outcome<never> | undefined {
    if (!can(by.role, "staff.manage")) return fail("forbidden", `role ${by.role} cannot manage staff`);
    if (!outranksOrEquals(by.role, role)) return fail("forbidden", `role ${by.role} cannot grant role ${role}`);
    if (!scopeWithin(brands, by.brands)) return fail("forbidden", "you can only grant brands within your own scope");
    return undefined;
  }

  private async manageable(by: StaffPrincipal, staffId: string): Promise<Outcome<Reply<"member">>> {
    const found = await this.identity.member({ staffId });
    if (!found.ok) return found;
    // a member outside the manager's reach is as invisible as a missing one
    if (!scopeWithin(found.value.brands, by.brands)) return fail("not_found", `no staff member ${staffId}`);
    if (!can(by.role, "staff.manage") || !outranksOrEquals(by.role, found.value.role)) return fail("forbidden", `role ${by.role} cannot manage a ${found.value.role}`);
    return found;
  }

  private async withLocks(view: StaffView): Promise<StaffAccount> {
    const [lockedUntil] = await this.parts.credentials.throttle.lockedUntil([account(view.username)]);
    return { ...view, lockedUntil: lockedUntil ?? null };
  }

  private async recordFailure(username: string, input: LoginInput, refusal: Outcome<never> & { ok: false }, result: "failed" | "locked" | "refused"): Promise<Outcome<never>> {
    const details = (refusal.error.details ?? {}) as { attemptsLeft?: number; lockedUntil?: number; retryAfterSeconds?: number };
    // the refusal stands whatever happens to its audit row
    await this.identity.recordFailedLogin({
      username,
      result,
      attemptsLeft: details.attemptsLeft ?? null,
      until: details.lockedUntil ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
    });
    return refusal;
  }
}
