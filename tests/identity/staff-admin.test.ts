import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { type IdentityFixture, identityFixture } from "./identity-fixture.ts";

let f: IdentityFixture;
beforeAll(async () => void (f = await identityFixture()), 30_000);
afterAll(() => f.close());

describe("staff management", () => {
  test("an admin creates support staff for its own brands only, never an owner", async () => {
    const admin = await f.member("admin", ["acme"]);
    const name = `n-${crypto.randomUUID().slice(0, 8)}`;
    const created = await f.staff.createStaff(admin.principal, { username: name, password: "a long enough pw", role: "support", brands: ["acme"] });
    expect(created).toMatchObject({ ok: true, value: { username: name, role: "support", brands: ["acme"], mustChangePassword: true } });
    expect(await f.staff.createStaff(admin.principal, { username: `${name}x`, password: "a long enough pw", role: "owner", brands: ["acme"] })).toEqual({
      ok: false,
      error: { code: "forbidden", message: "role admin cannot grant role owner" },
    });
    expect(await f.staff.createStaff(admin.principal, { username: `${name}y`, password: "a long enough pw", role: "support", brands: ["acme", "beta"] })).toEqual({
      ok: false,
      error: { code: "forbidden", message: "you can only grant brands within your own scope" },
    });
    expect(await f.staff.createStaff(admin.principal, { username: `${name}z`, password: "a long enough pw", role: "support", brands: null })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  test("finance and support cannot manage staff", async () => {
    for (const role of ["finance", "support", "read_only"] as const) {
      const m = await f.member(role, null);
      expect(
        await f.staff.createStaff(m.principal, { username: `q-${crypto.randomUUID().slice(0, 8)}`, password: "a long enough pw", role: "read_only", brands: null }),
      ).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
  });

  test("a member outside the manager's brands is invisible to it", async () => {
    const admin = await f.member("admin", ["acme"]);
    const other = await f.member("support", ["beta"]);
    expect(await f.staff.updateStaff(admin.principal, other.staffId, { status: "disabled" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(expectOk(await f.staff.list(admin.principal, { limit: 200 })).items.some((s) => s.id === other.staffId)).toBe(false);
  });

  test("a role change applies on the next request; disabling revokes every session", async () => {
    const owner = await f.member("owner", null);
    const m = await f.member("support", null);
    const updated = await f.staff.updateStaff(owner.principal, m.staffId, { role: "finance" });
    expect(updated).toMatchObject({ ok: true, value: { role: "finance" } });
    expect((await f.staff.authenticate(m.principal.sessionId))?.role).toBe("finance");
    await f.staff.updateStaff(owner.principal, m.staffId, { status: "disabled" });
    expect(await f.staff.authenticate(m.principal.sessionId)).toBeUndefined();
    expect(await f.staff.login({ username: m.username, password: m.password })).toMatchObject({ ok: false, error: { code: "account_disabled" } });
    const audit = expectOk(await f.staff.readAudit(owner.principal, { target: `staff:${m.staffId}`, action: "staff.update" })).items;
    expect(audit.map((a) => [a.username, (a.before as { role: string }).role, (a.after as { role: string; status: string }).status])).toEqual([
      [owner.username, "finance", "disabled"],
      [owner.username, "support", "active"],
    ]);
  });

  test("nobody changes their own role or disables themselves", async () => {
    const owner = await f.member("owner", null);
    expect(await f.staff.updateStaff(owner.principal, owner.staffId, { role: "admin" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});

describe("passwords", () => {
  test("a change needs the current password, keeps this session and ends the others", async () => {
    const m = await f.member("support", null);
    const other = await f.staff.login({ username: m.username, password: m.password });
    if (!other.ok) throw new Error(other.error.message);
    expect(await f.staff.changePassword(m.principal, "not it at all", "brand new secret 1")).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(await f.staff.changePassword(m.principal, m.password, "short")).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await f.staff.changePassword(m.principal, m.password, "brand new secret 1")).toEqual({ ok: true, value: { passwordVersion: 2 } });
    expect(await f.staff.authenticate(m.principal.sessionId)).toBeDefined();
    expect(await f.staff.authenticate(other.value.session.id)).toBeUndefined();
    expect((await f.staff.login({ username: m.username, password: m.password })).ok).toBe(false);
    expect((await f.staff.login({ username: m.username, password: "brand new secret 1" })).ok).toBe(true);
    const [row] = expectOk(await f.staff.readAudit(m.principal, { target: `staff:${m.staffId}`, action: "staff.password_change" })).items;
    expect(row).toMatchObject({ staffId: m.staffId, before: { passwordVersion: 1 }, after: { passwordVersion: 2, sessionsRevoked: 1 } });
    expect(JSON.stringify(row)).not.toContain("argon2");
  });

  test("a reset hands out a temporary password the member must change", async () => {
    const admin = await f.member("admin", null);
    const m = await f.member("support", null);
    const reset = await f.staff.resetPassword(admin.principal, m.staffId);
    if (!reset.ok) throw new Error(reset.error.message);
    expect(await f.staff.authenticate(m.principal.sessionId)).toBeUndefined();
    const login = await f.staff.login({ username: m.username, password: reset.value.temporaryPassword });
    if (!login.ok) throw new Error(login.error.message);
    expect(login.value.staff.mustChangePassword).toBe(true);
    const principal = (await f.staff.authenticate(login.value.session.id))!;
    expect(principal.mustChangePassword).toBe(true);
    await f.staff.changePassword(principal, reset.value.temporaryPassword, "my own new secret");
    expect((await f.staff.authenticate(login.value.session.id))?.mustChangePassword).toBe(false);
  });
});
