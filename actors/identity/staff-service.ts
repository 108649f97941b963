import type { z } from "zod";
import type { CentralStore } from "../runtime/central-store.ts";
import { fail, ok, type Outcome } from "../runtime/errors.ts";
import type { ActorSystem } from "../runtime/system.ts";
import { IDENTITY_ADDRESS } from "./actor.ts";
import { identityProtocol, passwordSchema, usernameSchema, type AuditEntry, type IdentityProtocol, type StaffView } from "./messages.ts";
import type { IdentityOptions } from "./options.ts";
import { actingAs, authenticateSession, type StaffPrincipal } from "./principal.ts";
import { can, outranksOrEquals, scopeWithin, type BrandScope, type Role } from "./roles.ts";
import { staffById, staffByUsername, staffView } from "./staff-rows.ts";
import { listStaff, readAudit, type AuditFilter, type AuditRow } from "./staff-queries.ts";

type Reply<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["reply"]>;
type LoginInput = { username: string; password: string; ip?: string | null; userAgent?: string | null };

/** Signs a staff access token; its `jti` becomes the session id the server checks on every request. */
export type StaffTokenIssuer = (grant: { staffId: string; role: Role; brands: BrandScope; ttlSeconds: number }) => Promise<{ token: string; jti: string }>;
export type SignedInStaff = Reply<"recordLogin"> & { accessToken: string | null };
export type NewStaff = { username: string; password: string; role: Role; brands: BrandScope };
export type StaffPatch = { role?: Role; brands?: BrandScope; status?: "active" | "disabled"; unlock?: boolean };

/**
 * What edges call for staff identity. Argon2 runs here, before a message is sent, so the
 * identity actor's turns stay short; reads go straight to the store; every change is a
 * message to the identity actor, which also writes its audit row.
 */
export class StaffService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private system: ActorSystem,
    private store: CentralStore,
    private options: IdentityOptions,
  ) {}

  hash(password: string): Promise<string> {
    return Bun.password.hash(password, { algorithm: "argon2id", ...this.options.hashCost });
  }

  /**
   * Check the password outside any actor turn, then let the identity actor decide (lockout,
   * status) and open the session. With an issuer, the token is signed before the session is
   * recorded under its jti, and handed out only if the actor accepts the login.
   */
  async login(input: LoginInput, issue?: StaffTokenIssuer): Promise<Outcome<SignedInStaff>> {
    const username = usernameSchema.safeParse(input.username);
    const row = username.success ? await staffByUsername(this.store, username.data) : undefined;
    const locked = row?.locked_until && new Date(row.locked_until).getTime() > this.options.now();
    let check: "verified" | "wrong_password" | "not_checked" = "not_checked";
    if (!locked) {
      // an unknown name costs the same as a wrong password, so timing reveals no usernames
      const good = await Bun.password.verify(input.password, row?.password_hash ?? (await this.fakeHash()));
      check = good && row ? "verified" : "wrong_password";
    }
    const ttlSeconds = Math.floor(this.options.sessionTtlMs / 1000);
    const token = check === "verified" && row && issue ? await issue({ staffId: row.id, role: row.role, brands: row.brands, ttlSeconds }) : undefined;
    const recorded = await this.send("recordLogin", {
      username: username.success ? username.data : input.username.slice(0, 60),
      staffId: row?.id ?? null,
      check,
      passwordVersion: row?.password_version ?? null,
      sessionId: token?.jti ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    return recorded.ok ? ok({ ...recorded.value, accessToken: token?.token ?? null }) : recorded;
  }

  /** The live session `sessionId` (of `staffId`, when given) as a principal; undefined once it ended. */
  authenticate(sessionId: string, seen: { staffId?: string; ip?: string | null } = {}): Promise<StaffPrincipal | undefined> {
    return authenticateSession(this.store, sessionId, this.options.now(), seen);
  }

  logout(p: StaffPrincipal): Promise<Outcome<Reply<"revokeSession">>> {
    return this.send("revokeSession", { sessionId: p.sessionId, reason: "logout", by: actingAs(p) });
  }

  async changePassword(p: StaffPrincipal, current: string, next: string): Promise<Outcome<Reply<"setStaffPassword">>> {
    const valid = passwordSchema.safeParse(next);
    if (!valid.success) return fail("validation_failed", `newPassword: ${valid.error.issues[0]!.message}`);
    if (next.toLowerCase().includes(p.username)) return fail("validation_failed", "newPassword: must not contain the username");
    const row = await staffById(this.store, p.staffId);
    if (!row || !(await Bun.password.verify(current, row.password_hash))) return fail("invalid_credentials", "the current password is wrong");
    if (current === next) return fail("validation_failed", "newPassword: must differ from the current one");
    return this.send("setStaffPassword", {
      staffId: p.staffId,
      passwordHash: await this.hash(next),
      expectedVersion: row.password_version,
      reason: "change",
      keepSession: p.sessionId,
      by: actingAs(p),
    });
  }

  async createStaff(by: StaffPrincipal, input: NewStaff): Promise<Outcome<StaffView>> {
    const refused = this.mayGrant(by, input.role, input.brands);
    if (refused) return refused;
    const valid = passwordSchema.safeParse(input.password);
    if (!valid.success) return fail("validation_failed", `password: ${valid.error.issues[0]!.message}`);
    return this.send("createStaff", {
      username: input.username,
      passwordHash: await this.hash(input.password),
      role: input.role,
      brands: input.brands,
      mustChangePassword: true,
      by: actingAs(by),
    });
  }

  async updateStaff(by: StaffPrincipal, staffId: string, patch: StaffPatch): Promise<Outcome<StaffView>> {
    const target = await this.manageable(by, staffId);
    if (!target.ok) return target;
    const refused = this.mayGrant(by, patch.role ?? target.value.role, patch.brands === undefined ? target.value.brands : patch.brands);
    if (refused) return refused;
    if (staffId === by.staffId && (patch.role || patch.status === "disabled")) return fail("forbidden", "you cannot change your own role or disable yourself");
    return this.send("updateStaff", { staffId, ...patch, by: actingAs(by) });
  }

  /** A temporary password, shown once; the member must change it at the next sign-in. */
  async resetPassword(by: StaffPrincipal, staffId: string): Promise<Outcome<{ temporaryPassword: string }>> {
    const target = await this.manageable(by, staffId);
    if (!target.ok) return target;
    const temporaryPassword = Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");
    const row = (await staffById(this.store, staffId))!;
    const done = await this.send("setStaffPassword", {
      staffId,
      passwordHash: await this.hash(temporaryPassword),
      expectedVersion: row.password_version,
      reason: "reset",
      keepSession: null,
      by: actingAs(by),
    });
    return done.ok ? ok({ temporaryPassword }) : done;
  }

  /** The first owner, unless an active owner exists (then nothing changes). */
  async ensureOwner(username: string, password: string): Promise<Outcome<Reply<"ensureOwner">>> {
    const name = usernameSchema.safeParse(username);
    if (!name.success) return fail("validation_failed", `username: ${name.error.issues[0]!.message}`);
    const valid = passwordSchema.safeParse(password);
    if (!valid.success) return fail("validation_failed", `password: ${valid.error.issues[0]!.message}`);
    return this.send("ensureOwner", { username: name.data, passwordHash: await this.hash(password) });
  }

  /** The staff accounts `by` may see (within their brand scope). */
  list(by: StaffPrincipal): Promise<StaffView[]> {
    return listStaff(this.store, by);
  }

  /** The audit log as far as `by` may read it, newest first. */
  readAudit(by: StaffPrincipal, filter: AuditFilter): Promise<AuditRow[]> {
    return readAudit(this.store, by, filter);
  }

  /** Audit an action another domain carried out for this staff member. */
  recordAudit(by: StaffPrincipal, entry: AuditEntry, entryId: string): Promise<Outcome<Reply<"recordAudit">>> {
    return this.send("recordAudit", { ...entry, by: actingAs(by) }, entryId);
  }

  /** Whether `by` may hand out this role over these brands. */
  private mayGrant(by: StaffPrincipal, role: Role, brands: BrandScope): Outcome<never> | undefined {
    if (!can(by.role, "staff.manage")) return fail("forbidden", `role ${by.role} cannot manage staff`);
    if (!outranksOrEquals(by.role, role)) return fail("forbidden", `role ${by.role} cannot grant role ${role}`);
    if (!scopeWithin(brands, by.brands)) return fail("forbidden", "you can only grant brands within your own scope");
    return undefined;
  }

  private async manageable(by: StaffPrincipal, staffId: string): Promise<Outcome<StaffView>> {
    const row = await staffById(this.store, staffId);
    // a member outside the manager's reach is as invisible as a missing one
    if (!row || !scopeWithin(row.brands, by.brands)) return fail("not_found", `no staff member ${staffId}`);
    if (!can(by.role, "staff.manage") || !outranksOrEquals(by.role, row.role)) return fail("forbidden", `role ${by.role} cannot manage a ${row.role}`);
    return ok(staffView(row));
  }

  private fakeHash(): Promise<string> {
    this.dummyHash ??= this.hash(crypto.randomUUID());
    return this.dummyHash;
  }

  private send<K extends keyof IdentityProtocol>(type: K, body: z.input<IdentityProtocol[K]["body"]>, id?: string): Promise<Outcome<Reply<K>>> {
    identityProtocol[type].body.parse(body);
    return this.system.askOutcome(IDENTITY_ADDRESS, type, body, { id }) as Promise<Outcome<Reply<K>>>;
  }
}
