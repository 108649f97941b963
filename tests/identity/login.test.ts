import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HashingSlots } from "../../actors/credentials/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { type IdentityFixture, identityFixture } from "./identity-fixture.ts";

let f: IdentityFixture;
// slowing off here: these tests count failures; tests/credentials covers the waits between them
beforeAll(async () => void (f = await identityFixture({ lockout: { maxFailures: 5, slowAfter: 5, lockMs: 5 * 60_000 } })), 30_000);
afterAll(() => f.close());

const reader = { staffId: "x", username: "x", role: "owner" as const, brands: null, sessionId: "x", mustChangePassword: false, ip: null };
const auditOf = async (staffId: string) => expectOk(await f.staff.readAudit(reader, { target: `staff:${staffId}`, limit: 100 })).items.reverse();
const codes = (outcomes: { ok: boolean; error?: { code: string } }[]) => outcomes.map((o) => (o.ok ? "ok" : o.error!.code));

describe("staff login", () => {
  test("a right password opens a session that names the role and brand scope", async () => {
    const { username, password, staffId } = await f.member("finance", ["acme", "beta"]);
    const login = await f.staff.login({ username: username.toUpperCase(), password, ip: "10.0.0.1" });
    expect(login.ok).toBe(true);
    if (!login.ok) return;
    expect(login.value.session.expiresAt).toBe(f.clock.at + f.options.sessionTtlMs);
    expect(login.value.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const principal = await f.staff.authenticate(login.value.session.id);
    expect(principal).toMatchObject({ staffId, role: "finance", brands: ["acme", "beta"] });
    const audit = await auditOf(staffId);
    expect(audit.map((a) => a.action)).toEqual(["staff.create", "staff.login", "staff.login"]);
    expect(audit.at(-1)).toMatchObject({ ip: "10.0.0.1" });
  });

  test("an unknown username is answered exactly like a wrong password, attempts left and lock included", async () => {
    const { username } = await f.member("support", null);
    const unknown = [];
    const wrong = [];
    for (let i = 0; i < 6; i++) {
      unknown.push(await f.staff.login({ username: `nobody-${username}`, password: "whatever-long" }));
      wrong.push(await f.staff.login({ username, password: "not the password" }));
    }
    expect(wrong).toEqual(unknown);
    expect(codes(wrong)).toEqual([...Array(4).fill("invalid_credentials"), "account_locked", "account_locked"]);
    expect(wrong[0]).toEqual({ ok: false, error: { code: "invalid_credentials", message: "wrong username or password", details: { attemptsLeft: 4 } } });
  });

  test("five wrong passwords lock strangers out until the lock expires; every refusal is audited", async () => {
    const { username, password, staffId } = await f.member("support", null);
    for (let i = 0; i < 4; i++) expect(await f.staff.login({ username, password: "wrong password!" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    const fifth = await f.staff.login({ username, password: "wrong password!" });
    expect(fifth).toMatchObject({ ok: false, error: { code: "account_locked", details: { lockedUntil: f.clock.at + f.credentials.lockout.lockMs } } });
    // the right password from a client the account does not know does not open it
    expect(await f.staff.login({ username, password })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    f.clock.advance(f.credentials.lockout.lockMs + 1);
    expect((await f.staff.login({ username, password })).ok).toBe(true);
    const actions = (await auditOf(staffId)).map((a) => a.action);
    expect(actions).toEqual(["staff.create", "staff.login", ...Array(4).fill("staff.login_failed"), "staff.locked", "staff.login_refused", "staff.login"]);
  });

  test("a stranger's wrong passwords do not lock the member out of a device or address it signed in from", async () => {
    const { username, password } = await f.member("support", null);
    const home = await f.staff.login({ username, password, ip: "10.1.1.1" });
    if (!home.ok) throw new Error(home.error.message);
    for (let i = 0; i < 5; i++) await f.staff.login({ username, password: "a stranger's guess", ip: "203.0.113.9" });
    expect(await f.staff.login({ username, password, ip: "203.0.113.9" })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    expect((await f.staff.login({ username, password, ip: "10.1.1.1" })).ok).toBe(true);
    expect((await f.staff.login({ username, password, ip: "198.51.100.7", deviceToken: home.value.deviceToken })).ok).toBe(true);
  });

  test("concurrent wrong passwords are all counted, and no more than the limit are checked", async () => {
    const { username } = await f.member("support", null);
    const attempts = await Promise.all(Array.from({ length: 7 }, () => f.staff.login({ username, password: "wrong password!" })));
    expect(codes(attempts).sort()).toEqual(["account_locked", ...Array(4).fill("invalid_credentials"), "rate_limited", "rate_limited"]);
  });

  test("staff sign-ins wait in the node's hashing line like players' (and are refused when it is full)", async () => {
    const slots = new HashingSlots(1, 0);
    const g = await identityFixture({ slots });
    try {
      const { username, password } = await g.member("support", null);
      let release = () => {};
      const busy = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
      expect(await g.staff.login({ username, password })).toMatchObject({ ok: false, error: { code: "overloaded" } });
      release();
      await busy;
      expect((await g.staff.login({ username, password })).ok).toBe(true);
    } finally {
      await g.close();
    }
  });

  test("an admin unlocks a locked account", async () => {
    const admin = await f.member("admin", null);
    const { username, password, staffId } = await f.member("support", null);
    for (let i = 0; i < 5; i++) await f.staff.login({ username, password: "wrong password!" });
    expect(await f.staff.login({ username, password })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    // pages through every account (a database kept over many runs holds more than a page)
    const listed = async () => {
      for (let cursor: string | undefined; ; ) {
        const page = expectOk(await f.staff.list(admin.principal, { cursor, limit: 200 }));
        const found = page.items.find((s) => s.id === staffId);
        if (found || !page.nextCursor) return found;
        cursor = page.nextCursor;
      }
    };
    expect((await listed())?.lockedUntil).toBeGreaterThan(f.clock.at);
    expect(await f.staff.updateStaff(admin.principal, staffId, { unlock: true })).toMatchObject({ ok: true, value: { lockedUntil: null } });
    expect((await f.staff.login({ username, password })).ok).toBe(true);
    const [update] = expectOk(await f.staff.readAudit(reader, { target: `staff:${staffId}`, action: "staff.update" })).items;
    expect(update).toMatchObject({ username: admin.username, after: { unlocked: true } });
  });

  test("logout revokes the session; expiry ends it too", async () => {
    const m = await f.member("read_only", null);
    expect(await f.staff.logout(m.principal)).toEqual({ ok: true, value: { revoked: true } });
    expect(await f.staff.authenticate(m.principal.sessionId)).toBeUndefined();
    const again = await f.staff.login({ username: m.username, password: m.password });
    if (!again.ok) throw new Error(again.error.message);
    expect(await f.staff.authenticate(again.value.session.id)).toBeDefined();
    f.clock.advance(f.options.sessionTtlMs);
    expect(await f.staff.authenticate(again.value.session.id)).toBeUndefined();
  });

  test("the stale-session cleanup deletes expired and revoked sessions", async () => {
    const m = await f.member("read_only", null);
    await f.staff.logout(m.principal);
    const count = async () => (await f.node.store.query<{ n: bigint }>("select count(*) as n from staff_sessions where staff_id = $1", [m.staffId]))[0]!.n;
    expect(await count()).toBe(1n);
    await f.node.system.fireTimer("identity", "session-cleanup", Date.now());
    await waitFor(async () => (await count()) === 0n, { what: "sessions cleaned up" });
  });
});
