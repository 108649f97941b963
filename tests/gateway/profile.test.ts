import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type GatewayNode, gatewayNode, loggedIn } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  [acme, beta] = gw.brands as [string, string];
});
afterAll(() => gw.close());

const bankOf = (gw: GatewayNode, brand: string, id: string) => gw.shard(brand).sqlite.query("select bank_account from players where id = ?").get(id) as { bank_account: string };

describe("/api/v1/me happy", () => {
  test("read the profile, change nickname and phone", async () => {
    const p = await loggedIn(gw, acme);
    const me = await gw.call(acme, "GET", "/api/v1/me", { token: p.token });
    expect(me.body.player).toMatchObject({ username: p.input.username, bank: p.input.bank, status: "active" });
    const changed = await gw.call(acme, "PATCH", "/api/v1/me", { token: p.token, json: { nickname: `new${p.input.nickname}`.slice(0, 16), phone: "010-9999-0000" } });
    expect(changed).toMatchObject({ status: 200, body: { player: { phone: "010-9999-0000" } } });
  });

  test("a bank account change needs the password", async () => {
    const p = await loggedIn(gw, acme);
    const bank = { name: "Woori", account: "1002-333-444555", holder: "Kim Minsu" };
    expect(await gw.call(acme, "PUT", "/api/v1/me/bank-account", { token: p.token, json: { password: "not the password", bank } })).toMatchObject({
      status: 401,
      body: { error: { code: "invalid_credentials" } },
    });
    expect(bankOf(gw, acme, p.playerId).bank_account).toBe(p.input.bank.account);
    const changed = await gw.call(acme, "PUT", "/api/v1/me/bank-account", { token: p.token, json: { password: p.input.password, bank } });
    expect(changed).toMatchObject({ status: 200, body: { player: { bank } } });
  });

  test("a password change keeps this session and ends the others", async () => {
    const p = await loggedIn(gw, acme);
    const other = await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: p.input.username, password: p.input.password } });
    const changed = await gw.call(acme, "PUT", "/api/v1/me/password", { token: p.token, json: { currentPassword: p.input.password, newPassword: "another pass 9" } });
    expect(changed.status).toBe(200);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: p.token })).status).toBe(200);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: other.body.accessToken })).status).toBe(401);
    expect((await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: p.input.username, password: "another pass 9" } })).status).toBe(200);
  });
});

describe("/api/v1/me bad input", () => {
  test("nothing to change, a taken nickname, SQL-looking or oversized values", async () => {
    const p = await loggedIn(gw, acme);
    const q = await loggedIn(gw, acme);
    expect((await gw.call(acme, "PATCH", "/api/v1/me", { token: p.token, json: {} })).status).toBe(400);
    expect(await gw.call(acme, "PATCH", "/api/v1/me", { token: p.token, json: { nickname: q.input.nickname } })).toMatchObject({
      status: 409,
      body: { error: { code: "nickname_taken" } },
    });
    for (const json of [{ nickname: "a' or 1=1 --" }, { phone: "010'; DELETE FROM players" }, { nickname: "n".repeat(5000) }]) {
      expect((await gw.call(acme, "PATCH", "/api/v1/me", { token: p.token, json })).status).toBe(400);
    }
    const bank = { name: "Woori", account: "1'; UPDATE players SET status='active", holder: "Kim" };
    expect((await gw.call(acme, "PUT", "/api/v1/me/bank-account", { token: p.token, json: { password: p.input.password, bank } })).status).toBe(400);
    expect(bankOf(gw, acme, p.playerId).bank_account).toBe(p.input.bank.account);
    const me = await gw.call(acme, "GET", "/api/v1/me", { token: p.token });
    expect(me.body.player.nickname).toBe(p.input.nickname);
  });
});

describe("/api/v1/me current-password checks", () => {
  const login = (p: { input: { username: string; password: string } }) =>
    gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: p.input.username, password: p.input.password } });

  test("wrong current passwords on PUT /me/password count toward the log-in lockout", async () => {
    const p = await loggedIn(gw, acme);
    const tries = [];
    for (let i = 0; i < 3; i++)
      tries.push(await gw.call(acme, "PUT", "/api/v1/me/password", { token: p.token, json: { currentPassword: "not the password", newPassword: "another pass 9" } }));
    expect(tries.map((t) => [t.status, t.body.error.message, t.body.error.details])).toEqual([
      [401, "the current password is wrong", { attemptsLeft: 4 }],
      [401, "the current password is wrong", { attemptsLeft: 3 }],
      [401, "the current password is wrong", { attemptsLeft: 2 }],
    ]);
    // the account's strangers' lane is slowed now: a log-in waits too
    expect(await login(p)).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
  });

  test("wrong passwords on PUT /me/bank-account count toward the log-in lockout", async () => {
    const p = await loggedIn(gw, acme);
    const bank = { name: "Woori", account: "1002-333-444555", holder: "Kim Minsu" };
    for (let i = 0; i < 3; i++) await gw.call(acme, "PUT", "/api/v1/me/bank-account", { token: p.token, json: { password: "not the password", bank } });
    expect(await login(p)).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(bankOf(gw, acme, p.playerId).bank_account).toBe(p.input.bank.account);
  });
});

describe("/api/v1/me security", () => {
  test("without a token, or with a token of another brand, nothing is shown", async () => {
    const p = await loggedIn(gw, acme);
    expect(await gw.call(acme, "GET", "/api/v1/me")).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect((await gw.call(beta, "GET", "/api/v1/me", { token: p.token })).status).toBe(403);
    expect((await gw.call(beta, "PATCH", "/api/v1/me", { token: p.token, json: { phone: "010-1111-2222" } })).status).toBe(403);
  });
});
