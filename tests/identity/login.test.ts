import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readAudit } from "../../actors/identity/index.ts";
import { waitFor } from "../support/services.ts";
import { identityFixture, type IdentityFixture } from "./identity-fixture.ts";

let f: IdentityFixture;
beforeAll(async () => void (f = await identityFixture()), 30_000);
afterAll(() => f.close());

const auditOf = async (staffId: string) => {
  const owner = { staffId: "x", username: "x", role: "owner" as const, brands: null, sessionId: "x", mustChangePassword: false, ip: null };
  return (await readAudit(f.node.store, owner, { target: `staff:${staffId}`, limit: 100 })).reverse();
};

describe("staff login", () => {
  test("a right password opens a session that names the role and brand scope", async () => {
    const { username, password, staffId } = await f.member("finance", ["acme", "beta"]);
    const login = await f.staff.login({ username: username.toUpperCase(), password, ip: "10.0.0.1" });
    expect(login.ok).toBe(true);
    if (!login.ok) return;
    expect(login.value.session.expiresAt).toBe(f.clock.at + f.options.sessionTtlMs);
    const principal = await f.staff.authenticate(login.value.session.id);
    expect(principal).toMatchObject({ staffId, role: "finance", brands: ["acme", "beta"] });
    expect((await auditOf(staffId)).map((a) => a.action)).toEqual(["staff.create", "staff.login", "staff.login"]);
  });

  test("an unknown username and a wrong password get the same refusal", async () => {
    const { username } = await f.member("support", null);
    const unknown = await f.staff.login({ username: "nobody-here", password: "whatever-long" });
    const wrong = await f.staff.login({ username, password: "not the password" });
    expect(unknown).toEqual({ ok: false, error: { code: "invalid_credentials", message: "wrong username or password" } });
    expect(wrong).toEqual(unknown);
  });

  test("five wrong passwords lock the account until the lock expires", async () => {
    const { username, password, staffId } = await f.member("support", null);
    for (let i = 0; i < 4; i++) expect(await f.staff.login({ username, password: "wrong password!" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    const fifth = await f.staff.login({ username, password: "wrong password!" });
    expect(fifth).toMatchObject({ ok: false, error: { code: "account_locked" } });
    // the right password does not open a locked account
    expect(await f.staff.login({ username, password })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    f.clock.advance(f.options.lockMs + 1);
    expect((await f.staff.login({ username, password })).ok).toBe(true);
    const actions = (await auditOf(staffId)).map((a) => a.action);
    expect(actions).toEqual([
      "staff.create",
      "staff.login",
      ...Array(4).fill("staff.login_failed"),
      "staff.locked",
      "staff.login_refused",
      "staff.login",
    ]);
  });

  test("concurrent wrong passwords are all counted", async () => {
    const { username } = await f.member("support", null);
    const attempts = await Promise.all(Array.from({ length: 5 }, () => f.staff.login({ username, password: "wrong password!" })));
    expect(attempts.filter((a) => !a.ok && a.error.code === "account_locked")).toHaveLength(1);
  });

  test("an admin unlocks a locked account", async () => {
    const admin = await f.member("admin", null);
    const { username, password, staffId } = await f.member("support", null);
    for (let i = 0; i < 5; i++) await f.staff.login({ username, password: "wrong password!" });
    expect(await f.staff.login({ username, password })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    expect(await f.staff.updateStaff(admin.principal, staffId, { unlock: true })).toMatchObject({ ok: true, value: { lockedUntil: null } });
    expect((await f.staff.login({ username, password })).ok).toBe(true);
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
