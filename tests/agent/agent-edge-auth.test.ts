import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AgentNode, agentNode } from "./agent-node.ts";

/**
 * The agent edge's sign-in and what it checks on every request: the session (logout,
 * suspension, password change end it), the brand's allow-list as it is now, and the token's
 * kind and brand. Player, staff and forged tokens are refused; an agent of one brand is
 * refused in another.
 */

let a: AgentNode;
let brand: string;
let other: string;
let staff: Awaited<ReturnType<AgentNode["staff"]>>;
beforeAll(async () => {
  a = await agentNode("aga");
  [brand, other] = [await a.addBrand(), await a.addBrand()];
  staff = await a.staff("owner", null);
}, 60_000);
afterAll(() => a.close());

describe("sign-in", () => {
  test("an agent logs in and reads its profile with its balance; a wrong password and an unknown name get the same answer", async () => {
    const agent = await a.createAgent(brand, staff.token, { rates: { rolling: { slots: 80 }, losing: 300 } });
    const login = await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } });
    expect(login).toMatchObject({ status: 200, body: { tokenType: "Bearer", expiresIn: 8 * 3600, agent: { id: agent.id, loginName: agent.loginName, level: 1 } } });
    expect(login.body.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await a.agentEdge(brand, "GET", "/me", { token: login.body.accessToken });
    expect(me).toMatchObject({ status: 200, body: { agent: { id: agent.id, rates: { rolling: { slots: 80 }, losing: 300 } }, balance: { cash: "0", locked: "0" } } });
    const wrong = await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: "not the password" } });
    const unknown = await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: "nobody_here", password: "not the password" } });
    expect(wrong).toEqual({ status: 401, body: { error: { code: "invalid_credentials", message: "wrong username or password", details: { attemptsLeft: 4 } } } });
    expect(unknown).toEqual(wrong);
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: "x", password: "short" } })).body.error.code).toBe("validation_failed");
  });

  test("logout ends the session; a password change ends the others and the old password stops working", async () => {
    const agent = await a.createAgent(brand, staff.token);
    const [first, second] = [await a.agentLogin(brand, agent), await a.agentLogin(brand, agent)];
    expect((await a.agentEdge(brand, "POST", "/auth/logout", { token: first })).body).toEqual({ loggedOut: true });
    expect((await a.agentEdge(brand, "GET", "/me", { token: first })).body.error.code).toBe("invalid_token");
    const third = await a.agentLogin(brand, agent);
    const wrongCurrent = await a.agentEdge(brand, "PUT", "/me/password", { token: second, json: { currentPassword: "not the password", newPassword: "a new password 2" } });
    expect(wrongCurrent).toMatchObject({ status: 401, body: { error: { code: "invalid_credentials" } } });
    expect(await a.agentEdge(brand, "PUT", "/me/password", { token: second, json: { currentPassword: agent.password, newPassword: "a new password 2" } })).toMatchObject({
      status: 200,
    });
    expect((await a.agentEdge(brand, "GET", "/me", { token: second })).status).toBe(200);
    expect((await a.agentEdge(brand, "GET", "/me", { token: third })).body.error.code).toBe("invalid_token");
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } })).status).toBe(401);
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: "a new password 2" } })).status).toBe(200);
  });

  test("a suspended agent is refused at its next request and cannot log in; reinstated, it can", async () => {
    const agent = await a.createAgent(brand, staff.token);
    const token = await a.agentLogin(brand, agent);
    await a.admin("POST", `/brands/${brand}/agent-tree/${agent.id}/suspend`, { token: staff.token, json: { reason: "review" } });
    expect((await a.agentEdge(brand, "GET", "/me", { token })).body.error.code).toBe("invalid_token");
    expect(await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } })).toMatchObject({
      status: 403,
      body: { error: { code: "account_suspended" } },
    });
    await a.admin("POST", `/brands/${brand}/agent-tree/${agent.id}/reinstate`, { token: staff.token });
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } })).status).toBe(200);
  });

  test("the allow-list is read on every request: taken off it, the agent is refused at once, log-in included; put back, it works again", async () => {
    const agent = await a.createAgent(brand, staff.token);
    const token = await a.agentLogin(brand, agent);
    expect((await a.admin("DELETE", `/brands/${brand}/agents/${agent.id}`, { token: staff.token })).status).toBe(200);
    expect(await a.agentEdge(brand, "GET", "/me", { token })).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden" } },
    });
    expect((await a.admin("POST", `/brands/${brand}/agents`, { token: staff.token, json: { agentId: agent.id } })).status).toBe(201);
    expect((await a.agentEdge(brand, "GET", "/me", { token })).status).toBe(200);
  });
});

describe("security", () => {
  test("player, staff and forged tokens are refused on the agent edge; no token is unauthorized; an unknown host has no brand", async () => {
    const player = await a.player(brand);
    expect(await a.agentEdge(brand, "GET", "/me", { token: player.token })).toMatchObject({
      status: 401,
      body: { error: { code: "invalid_token", message: "a player token is not accepted on the agent edge" } },
    });
    expect(await a.agentEdge(brand, "GET", "/me", { token: staff.token })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const agent = await a.createAgent(brand, staff.token);
    const forged = await a.forgedToken({ sub: agent.id, brand, kind: "agent", role: "agent" }, "not-the-platform-secret");
    expect(await a.agentEdge(brand, "GET", "/me", { token: forged })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const sessionless = await a.forgedToken({ sub: agent.id, brand, kind: "agent", role: "agent" });
    expect(await a.agentEdge(brand, "GET", "/me", { token: sessionless })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    expect(await a.agentEdge(brand, "GET", "/me")).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await a.agentEdge(brand, "GET", "/me", { host: "agent.nobody.test" })).toMatchObject({ status: 404, body: { error: { code: "brand_not_found" } } });
    expect(await a.send("agent", brand, "GET", "/api/v1/me", { host: `play.${brand}.test` })).toMatchObject({ status: 404, body: { error: { code: "brand_not_found" } } });
  });

  test("an agent of one brand, allowed only there, is refused in another: on its host, with its token, and at log-in", async () => {
    const agent = await a.createAgent(brand, staff.token);
    const token = await a.agentLogin(brand, agent);
    expect(a.node.edge.brands.agentBrands(agent.id)).toEqual([brand]);
    expect(await a.agentEdge(other, "GET", "/me", { token })).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    expect(await a.agentEdge(other, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } })).toMatchObject({
      status: 401,
      body: { error: { code: "invalid_credentials" } },
    });
    // a token for the other brand, signed right but never issued: the allow-list refuses it before any session is looked up
    const elsewhere = await a.forgedToken({ sub: agent.id, brand: other, kind: "agent", role: "agent" });
    expect(await a.agentEdge(other, "GET", "/me", { token: elsewhere })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden", message: `this agent may not act in brand ${other}` } },
    });
  });
});
