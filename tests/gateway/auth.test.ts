import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sign } from "hono/jwt";
import { signAccessToken } from "../../edges/shared/index.ts";
import { count, type GatewayNode, gatewayNode, loggedIn, signup } from "./gateway-node.ts";

let gw: GatewayNode;
/** a node that never slows (so tests reach the lock in a row) */
let locking: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  locking = await gatewayNode({ brands: 1, domainOptions: { credentials: { lockout: { backoffMs: 0 } } } });
  [acme, beta] = gw.brands as [string, string];
});
afterAll(async () => {
  await gw.close();
  await locking.close();
});

const login = (node: GatewayNode, brand: string, json: Record<string, unknown>) => node.call(brand, "POST", "/api/v1/auth/login", { json });

describe("/api/v1/auth happy", () => {
  test("register, log in, use the token, refresh, log out", async () => {
    const input = signup();
    const registered = await gw.call(acme, "POST", "/api/v1/auth/register", { json: input });
    expect(registered).toMatchObject({ status: 201, body: { player: { username: input.username, nickname: input.nickname } } });
    const login = await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: input.username, password: input.password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, player: { username: input.username }, deviceToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const me = await gw.call(acme, "GET", "/api/v1/me", { token: login.body.accessToken });
    expect(me).toMatchObject({ status: 200, body: { player: { username: input.username }, balance: { cash: "0", bonus: "0" } } });

    const refreshed = await gw.call(acme, "POST", "/api/v1/auth/refresh", { json: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: refreshed.body.accessToken })).status).toBe(200);

    expect(await gw.call(acme, "POST", "/api/v1/auth/logout", { token: refreshed.body.accessToken })).toMatchObject({ status: 200, body: { loggedOut: true } });
    // logout ends the session: its access tokens (old and new) and its refresh token
    for (const token of [login.body.accessToken, refreshed.body.accessToken]) {
      expect(await gw.call(acme, "GET", "/api/v1/me", { token })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    }
    expect((await gw.call(acme, "POST", "/api/v1/auth/refresh", { json: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
  });

  test("the same username registers in two brands", async () => {
    const input = signup();
    expect((await gw.call(acme, "POST", "/api/v1/auth/register", { json: input })).status).toBe(201);
    expect((await gw.call(beta, "POST", "/api/v1/auth/register", { json: input })).status).toBe(201);
    expect(await gw.call(acme, "POST", "/api/v1/auth/register", { json: input })).toMatchObject({ status: 409, body: { error: { code: "username_taken" } } });
  });
});

describe("/api/v1/auth bad input", () => {
  test("unknown user and malformed bodies", async () => {
    expect((await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: "nobody_here", password: "whatever1" } })).status).toBe(401);
    expect((await gw.call(acme, "POST", "/api/v1/auth/login", { json: "{not json" })).body.error.code).toBe("bad_request");
    const missing = await gw.call(acme, "POST", "/api/v1/auth/register", { json: { username: "someone" } });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    expect(missing.body.error.message).toContain("password");
  });

  test("SQL-looking and oversized fields are 400 and nothing is written", async () => {
    const before = count(gw, acme, "players");
    for (const bad of [
      { username: "admin'--" },
      { username: "x' OR '1'='1" },
      { nickname: "bob; DROP TABLE players" },
      { bank: { name: "Shinhan", account: "1 UNION SELECT password_hash", holder: "Kim" } },
      { username: "u".repeat(500) },
      { nickname: "n".repeat(10_000) },
      { phone: "9".repeat(64) },
      { password: "p".repeat(129) },
    ]) {
      const res = await gw.call(acme, "POST", "/api/v1/auth/register", { json: signup(bad) });
      expect([res.status, res.body.error.code]).toEqual([400, "validation_failed"]);
    }
    expect(count(gw, acme, "players")).toBe(before);
    const tooBig = await gw.call(acme, "POST", "/api/v1/auth/register", { json: signup({ code: "c".repeat(100_000) }) });
    expect(tooBig.status).toBe(413);
    expect(count(gw, acme, "players")).toBe(before);
  });
});

describe("/api/v1/auth lockout", () => {
  test("an unknown username is answered like a known one: status, code, message, attempts left, the wait", async () => {
    const { input } = await loggedIn(gw, acme);
    const known = [];
    const unknown = [];
    for (let i = 0; i < 4; i++) {
      known.push(await login(gw, acme, { username: input.username, password: "wrong password" }));
      unknown.push(await login(gw, acme, { username: `${input.username}_x`, password: "wrong password" }));
    }
    expect(unknown).toEqual(known);
    expect(known.map((r) => [r.status, r.body.error.details])).toEqual([
      [401, { attemptsLeft: 4 }],
      [401, { attemptsLeft: 3 }],
      [401, { attemptsLeft: 2 }],
      [429, { retryAfterSeconds: 1 }],
    ]);
  });

  test("after a few wrong passwords the next attempt must wait: 429 with Retry-After", async () => {
    const { input } = await loggedIn(gw, acme);
    for (let i = 0; i < 3; i++) await login(gw, acme, { username: input.username, password: "wrong password" });
    const res = await gw.raw(`play.${acme}.test`, "/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: input.username, password: input.password }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  test("wrong passwords lock strangers out (423, Retry-After), never the device the player logged in from", async () => {
    const brand = locking.brand;
    const { input } = await loggedIn(locking, brand);
    const mine = await login(locking, brand, { username: input.username, password: input.password });
    const deviceToken = mine.body.deviceToken as string;
    const guesses = [];
    for (let i = 0; i < 5; i++) guesses.push(await login(locking, brand, { username: input.username, password: "a stranger's guess" }));
    expect(guesses.map((g) => g.status)).toEqual([401, 401, 401, 401, 423]);
    const res = await locking.raw(`play.${brand}.test`, "/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: input.username, password: input.password }),
    });
    expect(res.status).toBe(423);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
    const fromMyDevice = await login(locking, brand, { username: input.username, password: input.password, deviceToken });
    expect(fromMyDevice).toMatchObject({ status: 200, body: { player: { username: input.username }, deviceToken } });
  });

  test("a device token is no key by itself: with a wrong password it counts in its own lane", async () => {
    const brand = locking.brand;
    const { input } = await loggedIn(locking, brand);
    const { deviceToken } = (await login(locking, brand, { username: input.username, password: input.password })).body;
    const wrong = await login(locking, brand, { username: input.username, password: "not the password", deviceToken });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: "invalid_credentials", details: { attemptsLeft: 4 } } } });
    expect((await login(locking, brand, { username: input.username, password: input.password, deviceToken: "x".repeat(43) })).status).toBe(200);
    expect((await login(locking, brand, { username: input.username, password: input.password, deviceToken: "short" })).status).toBe(400);
  });
});

describe("/api/v1/auth security", () => {
  test("a token of brand A on brand B's host is refused", async () => {
    const a = await loggedIn(gw, acme);
    expect(await gw.call(beta, "GET", "/api/v1/me", { token: a.token })).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    // and refresh tokens of A mean nothing at B
    expect((await gw.call(beta, "POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } })).status).toBe(401);
  });

  test("forged, expired, wrong-kind and revoked tokens are refused", async () => {
    const a = await loggedIn(gw, acme);
    const forged = await sign({ sub: a.playerId, brand: acme, role: "player", kind: "player", iat: 1, exp: 4_000_000_000, jti: "x" }, "not-the-secret-not-the-secret-000", "HS256");
    expect(await gw.call(acme, "GET", "/api/v1/me", { token: forged })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const [head, payload, sig] = a.token.split(".");
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: crypto.randomUUID() })).toString("base64url")}.${sig}`;
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: tampered })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: a.playerId, brand: acme, role: "player", kind: "player", iat: now - 3600, exp: now - 60, jti: "y" }, gw.node.config.secrets.jwt, "HS256");
    expect(await gw.call(acme, "GET", "/api/v1/me", { token: expired })).toMatchObject({ status: 401, body: { error: { code: "token_expired" } } });
    // genuine signature, but never issued by a login: no live session behind it
    const unissued = await signAccessToken(gw.node, { sub: a.playerId, brand: acme, role: "player", kind: "player" }, 60);
    expect(await gw.call(acme, "GET", "/api/v1/me", { token: unissued })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const staff = await signAccessToken(gw.node, { sub: "staff-1", brand: acme, role: "admin", kind: "staff" }, 60);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: staff })).status).toBe(401);
    expect((await gw.call(acme, "GET", "/api/v1/me")).status).toBe(401);
  });

  test("a reused refresh token ends the session, access tokens included", async () => {
    const a = await loggedIn(gw, acme);
    const next = await gw.call(acme, "POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } });
    expect(next.status).toBe(200);
    const replay = await gw.call(acme, "POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: next.body.accessToken })).status).toBe(401);
  });

  test("a suspended player's live token stops working at once", async () => {
    const a = await loggedIn(gw, acme);
    const suspended = await gw.internal(acme, "POST", `/internal/players/${a.playerId}/suspend`, { json: { reason: "fraud review", by: "staff-9" } });
    expect(suspended).toMatchObject({ status: 200, body: { player: { status: "suspended" } } });
    expect(await gw.call(acme, "GET", "/api/v1/me", { token: a.token })).toMatchObject({ status: 401 });
    expect(await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: a.input.username, password: a.input.password } })).toMatchObject({
      status: 403,
      body: { error: { code: "account_suspended" } },
    });
  });
});
