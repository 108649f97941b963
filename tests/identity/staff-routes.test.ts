import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sign } from "hono/jwt";
import type { Role } from "../../actors/identity/index.ts";
import { signAccessToken } from "../../edges/shared/index.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { CHEAP_HASH } from "./identity-fixture.ts";

/**
 * The admin edge's `/api/v1/auth/*`, `/api/v1/staff/*` and `/api/v1/audit`, served and called
 * over HTTP from 127.0.0.1 (so audit rows carry the caller's address), or in process (no
 * address: a client the account does not know).
 */

let node: TestPlatformNode;
let owner: Member;
beforeAll(async () => {
  node = await testNode({
    label: "staff",
    domains: ["identity"],
    // never slowed, so tests reach the lock in a row; a small per-account sign-in limit
    domainOptions: {
      credentials: { cost: CHEAP_HASH, lockout: { backoffMs: 0 } },
      rateLimits: { staffLogin: { perAddress: { max: 10_000, windowMs: 60_000 }, perAccount: { max: 10, windowMs: 60_000 } } },
    },
    serve: true,
  });
  owner = await member("owner", null);
});
afterAll(() => node.stop());

type Member = { username: string; password: string; token: string; staffId: string; deviceToken: string };
type Reply = { status: number; retryAfter: string | null; body: any };
type Call = { token?: string; json?: unknown; inProcess?: boolean };

async function call(method: string, path: string, options: Call = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const init = { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) };
  const url = node.servers.find((s) => s.name === "admin")!.url;
  const res = options.inProcess ? await node.apps.admin.request(path, init) : await fetch(`${url}${path}`, init);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

const login = (username: string, password: string, extra: Omit<Call, "json"> & { deviceToken?: string } = {}) =>
  call("POST", "/api/v1/auth/login", { ...extra, json: { username, password, deviceToken: extra.deviceToken } });

/** A new member made by the test setup, signed in over HTTP. */
async function member(role: Role, brands: string[] | null, password = "a long enough password"): Promise<Member> {
  const username = `m-${crypto.randomUUID().slice(0, 10)}`;
  const created = await node.edge.clients
    .identity()
    .createStaff({ username, passwordHash: await node.edge.staff.hash(password), role, brands, by: { staffId: null, username: "test-setup" } });
  if (!created.ok) throw new Error(created.error.message);
  const signedIn = await login(username, password);
  if (signedIn.status !== 200) throw new Error(`login: ${JSON.stringify(signedIn.body)}`);
  return { username, password, token: signedIn.body.accessToken, staffId: created.value.id, deviceToken: signedIn.body.deviceToken };
}

type AuditRow = { action: string; username: string; ip: string | null; before: any; after: any };
const auditOf = (target: string) => node.parts.store.query<AuditRow>("select action, username, ip, before, after from audit_log where target = $1 order by seq", [target]);

describe("staff auth happy", () => {
  test("sign in, who am I, change the password, sign out: identity audits each with the caller's address", async () => {
    const m = await member("support", null);
    expect(await call("GET", "/api/v1/auth/me", { token: m.token })).toMatchObject({ status: 200, body: { staffId: m.staffId, role: "support", mustChangePassword: false } });
    expect(await call("POST", "/api/v1/auth/password", { token: m.token, json: { currentPassword: m.password, newPassword: "a brand new secret" } })).toEqual({
      status: 200,
      retryAfter: null,
      body: { passwordVersion: 2 },
    });
    expect(await call("POST", "/api/v1/auth/logout", { token: m.token })).toMatchObject({ status: 200, body: { revoked: true } });
    expect((await call("GET", "/api/v1/auth/me", { token: m.token })).status).toBe(401);
    const rows = await auditOf(`staff:${m.staffId}`);
    expect(rows.map((r) => [r.action, r.username, r.ip])).toEqual([
      ["staff.create", "test-setup", null],
      ["staff.login", m.username, "127.0.0.1"],
      ["staff.password_change", m.username, "127.0.0.1"],
    ]);
    expect(await auditOf(`session:${(await node.parts.store.query<{ id: string }>("select id from staff_sessions where staff_id = $1", [m.staffId]))[0]?.id}`)).toEqual([
      expect.objectContaining({ action: "staff.logout", username: m.username, ip: "127.0.0.1" }),
    ]);
  });

  test("an owner creates, changes and resets staff; identity audits each change with before, after and address", async () => {
    const created = await call("POST", "/api/v1/staff", {
      token: owner.token,
      json: { username: `n-${crypto.randomUUID().slice(0, 8)}`, password: "first secret pw", role: "support", brands: ["acme"] },
    });
    expect(created).toMatchObject({ status: 201, body: { role: "support", brands: ["acme"], mustChangePassword: true, lockedUntil: null } });
    const id = created.body.id as string;
    expect(await call("PATCH", `/api/v1/staff/${id}`, { token: owner.token, json: { role: "finance" } })).toMatchObject({ status: 200, body: { role: "finance" } });
    const reset = await call("POST", `/api/v1/staff/${id}/reset-password`, { token: owner.token });
    expect(reset.body.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const rows = await auditOf(`staff:${id}`);
    expect(rows.map((r) => [r.action, r.username, r.ip])).toEqual([
      ["staff.create", owner.username, "127.0.0.1"],
      ["staff.update", owner.username, "127.0.0.1"],
      ["staff.password_reset", owner.username, "127.0.0.1"],
    ]);
    expect([rows[1]!.before.role, rows[1]!.after.role]).toEqual(["support", "finance"]);
    expect(JSON.stringify(rows)).not.toContain(reset.body.temporaryPassword);
    expect(JSON.stringify(rows)).not.toContain("first secret pw");
  });

  test("staff and audit lists page by cursor: { items, nextCursor }", async () => {
    await member("read_only", null);
    const first = await call("GET", "/api/v1/staff?limit=1", { token: owner.token });
    const { items, nextCursor } = first.body as { items: { username: string }[]; nextCursor: string };
    expect([first.status, items.length, nextCursor]).toEqual([200, 1, items[0]!.username]);
    const second = await call("GET", `/api/v1/staff?limit=1&cursor=${nextCursor}`, { token: owner.token });
    expect(second.body.items[0].username > items[0]!.username).toBe(true);
    const target = `staff:${owner.staffId}`;
    const pages = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Reply = await call("GET", `/api/v1/audit?limit=1&target=${target}${cursor ? `&cursor=${cursor}` : ""}`, { token: owner.token });
      pages.push(...page.body.items.map((r: AuditRow) => r.action));
      cursor = page.body.nextCursor;
    }
    expect(pages.reverse()).toEqual((await auditOf(target)).map((r) => r.action));
  });
});

describe("staff auth bad input", () => {
  test("a refused change leaves no audit row", async () => {
    const name = `d-${crypto.randomUUID().slice(0, 8)}`;
    const body = { username: name, password: "first secret pw", role: "support", brands: null };
    expect((await call("POST", "/api/v1/staff", { token: owner.token, json: body })).status).toBe(201);
    expect(await call("POST", "/api/v1/staff", { token: owner.token, json: body })).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    expect(await call("PATCH", `/api/v1/staff/${owner.staffId}`, { token: owner.token, json: { status: "disabled" } })).toMatchObject({ status: 403 });
    const created = await node.parts.store.query("select 1 from audit_log where action = 'staff.create' and after->>'username' = $1", [name]);
    expect(created).toHaveLength(1);
    expect((await auditOf(`staff:${owner.staffId}`)).filter((r) => r.action === "staff.update")).toEqual([]);
  });

  test("hostile values are 400 before anything reaches identity", async () => {
    for (const path of [
      "/api/v1/audit?cursor=9999999999999999999",
      "/api/v1/audit?limit=500",
      "/api/v1/audit?action=x%00y",
      "/api/v1/staff?cursor=a%00b",
      "/api/v1/staff?limit=0",
    ]) {
      expect([path, (await call("GET", path, { token: owner.token })).status]).toEqual([path, 400]);
    }
    expect((await call("PATCH", "/api/v1/staff/not-a-uuid", { token: owner.token, json: { role: "finance" } })).status).toBe(400);
    expect((await call("PATCH", `/api/v1/staff/${owner.staffId}`, { token: owner.token, json: { unlock: false } })).status).toBe(400);
    expect(
      (await call("POST", "/api/v1/staff", { token: owner.token, json: { username: "nul\u0000name", password: "first secret pw", role: "support", brands: null } })).status,
    ).toBe(400);
    expect((await login("nul\u0000name", "whatever password")).status).toBe(400);
  });
});

describe("staff auth security", () => {
  test("support staff, player tokens, forged and expired tokens are refused", async () => {
    const support = await member("support", null);
    for (const [method, path] of [
      ["GET", "/api/v1/staff"],
      ["GET", "/api/v1/audit"],
      ["POST", `/api/v1/staff/${owner.staffId}/reset-password`],
    ] as const) {
      expect((await call(method, path, { token: support.token })).status).toBe(403);
    }
    const player = await signAccessToken(node, { sub: crypto.randomUUID(), brand: null, role: "player", kind: "player" }, 60);
    expect(await call("GET", "/api/v1/staff", { token: player })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const forged = await sign(
      { sub: owner.staffId, brand: null, role: "owner", kind: "staff", iat: 1, exp: 4_000_000_000, jti: "x" },
      "not-the-secret-not-the-secret-000",
      "HS256",
    );
    expect((await call("GET", "/api/v1/staff", { token: forged })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: owner.staffId, brand: null, role: "owner", kind: "staff", iat: now - 60, exp: now - 1, jti: "y" }, node.config.secrets.jwt, "HS256");
    expect(await call("GET", "/api/v1/staff", { token: expired })).toMatchObject({ status: 401, body: { error: { code: "token_expired" } } });
  });

  test("a member with a temporary password may only change it", async () => {
    const m = await member("admin", null);
    const reset = await call("POST", `/api/v1/staff/${m.staffId}/reset-password`, { token: owner.token });
    const again = await login(m.username, reset.body.temporaryPassword);
    expect(await call("GET", "/api/v1/staff", { token: again.body.accessToken })).toMatchObject({ status: 403, body: { error: { code: "password_change_required" } } });
    const changed = await call("POST", "/api/v1/auth/password", {
      token: again.body.accessToken,
      json: { currentPassword: reset.body.temporaryPassword, newPassword: "my own new secret" },
    });
    expect(changed.status).toBe(200);
    expect((await call("GET", "/api/v1/staff", { token: again.body.accessToken })).status).toBe(200);
  });

  test("a brand-scoped admin sees staff and audit rows of its brands only", async () => {
    const [acme, beta] = [await node.addBrand({ prefix: "sa" }), await node.addBrand({ prefix: "sb" })];
    const scoped = await member("admin", [acme]);
    const other = await member("support", [beta]);
    const mine = await call("POST", "/api/v1/staff", {
      token: scoped.token,
      json: { username: `c-${crypto.randomUUID().slice(0, 8)}`, password: "first secret pw", role: "support", brands: [acme] },
    });
    expect(mine).toMatchObject({ status: 201, body: { brands: [acme] } });
    const staff = (await call("GET", "/api/v1/staff?limit=200", { token: scoped.token })).body.items as { id: string; brands: string[] | null }[];
    expect(staff.map((s) => s.id)).toContain(mine.body.id);
    expect(staff.every((s) => s.brands !== null && s.brands.every((b) => b === acme))).toBe(true);
    expect(await call("PATCH", `/api/v1/staff/${other.staffId}`, { token: scoped.token, json: { role: "read_only" } })).toMatchObject({ status: 404 });
    const by = { staffId: null, username: "test-setup" };
    for (const brand of [acme, beta]) expect((await node.edge.clients.identity().recordAudit({ action: "test.seen", brand, target: `t:${brand}`, by })).ok).toBe(true);
    const audit = (await call("GET", "/api/v1/audit?limit=200&action=test.seen", { token: scoped.token })).body.items as { brand: string | null }[];
    expect(audit.map((r) => r.brand)).toEqual([acme]);
  });
});

describe("staff sign-in lockout and limits", () => {
  test("an unknown username is answered like a known one, attempts left and lock included", async () => {
    const m = await member("support", null);
    const known = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      known.push(await login(m.username, "not the password", { inProcess: true }));
      unknown.push(await login(`x${m.username}`, "not the password", { inProcess: true }));
    }
    for (const r of [...known, ...unknown]) if (r.body.error.details?.lockedUntil) r.body.error.details.lockedUntil = "(time)";
    for (const r of [...known, ...unknown]) r.body.error.message = r.body.error.message.replace(/after \S+/, "after (time)");
    expect(unknown).toEqual(known);
    expect(known.map((r) => [r.status, r.body.error.details.attemptsLeft])).toEqual([
      [401, 4],
      [401, 3],
      [401, 2],
      [401, 1],
      [423, undefined],
      [423, undefined],
    ]);
  });

  test("a stranger's wrong passwords lock strangers out, not the member's address or device", async () => {
    const m = await member("support", null);
    for (let i = 0; i < 5; i++) await login(m.username, "a stranger's guess", { inProcess: true });
    const stranger = await login(m.username, m.password, { inProcess: true });
    expect(stranger).toMatchObject({ status: 423, body: { error: { code: "account_locked" } } });
    expect(Number(stranger.retryAfter)).toBeGreaterThan(60);
    expect((await login(m.username, m.password)).status).toBe(200);
    expect((await login(m.username, m.password, { inProcess: true, deviceToken: m.deviceToken })).status).toBe(200);
  });

  test("wrong current passwords on POST /auth/password count toward the sign-in lockout", async () => {
    const m = await member("support", null);
    const tries = [];
    for (let i = 0; i < 5; i++)
      tries.push(await call("POST", "/api/v1/auth/password", { token: m.token, json: { currentPassword: "not the password", newPassword: "a brand new secret" } }));
    expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401, 423]);
    expect(await login(m.username, m.password)).toMatchObject({ status: 423, body: { error: { code: "account_locked" } } });
    expect((await login(m.username, m.password, { deviceToken: m.deviceToken })).status).toBe(200);
  });

  test("sign-ins of one account past the limit are 429 with Retry-After", async () => {
    const m = await member("read_only", null);
    const replies = [];
    // the member's own sign-in was the first of ten
    for (let i = 0; i < 10; i++) replies.push(await login(m.username, m.password, { inProcess: true }));
    expect(replies.map((r) => r.status)).toEqual([...Array(9).fill(200), 429]);
    expect(replies[9]).toMatchObject({ body: { error: { code: "rate_limited" } } });
    expect(Number(replies[9]!.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
