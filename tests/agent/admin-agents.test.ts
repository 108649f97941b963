import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { waitFor } from "../support/services.ts";
import { type AgentNode, agentNode } from "./agent-node.ts";

/**
 * The admin edge's agent routes: each change audited by `agent@brand` in its commit (a
 * refused change leaves no row), roles and brand scope enforced, bad input refused.
 */

let a: AgentNode;
let brand: string;
let other: string;
let owner: Awaited<ReturnType<AgentNode["staff"]>>;
beforeAll(async () => {
  a = await agentNode("adag");
  [brand, other] = [await a.addBrand(), await a.addBrand()];
  owner = await a.staff("owner", null);
}, 60_000);
afterAll(() => a.close());

const asOwner = (method: string, path: string, json?: unknown) => a.admin(method, `/brands/${brand}${path}`, { token: owner.token, json });
const rowsOf = async (action: string, target: string) => (await a.auditRows(brand)).filter((r) => r.action === action && r.target === target);

describe("audited changes", () => {
  test("create, edit, move, suspend, reinstate and reset a password: each audited with what it changed", async () => {
    const head = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 } } });
    const other = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 } } });
    const store = await a.createAgent(brand, owner.token, { parentId: head.id, rates: { rolling: { slots: 50 } } });
    const target = `agent:${store.id}`;
    await a.audited(brand, "agent.create", target);
    expect(await asOwner("PATCH", `/agent-tree/${store.id}`, { name: "Store One", rates: { rolling: { slots: 40 }, losing: 0 } })).toMatchObject({
      status: 200,
      body: { name: "Store One" },
    });
    expect(await asOwner("POST", `/agent-tree/${store.id}/move`, { parentId: other.id })).toMatchObject({ status: 200, body: { parentId: other.id } });
    expect(await asOwner("POST", `/agent-tree/${store.id}/suspend`, { reason: "checking" })).toMatchObject({
      status: 200,
      body: { status: "suspended", statusReason: "checking" },
    });
    expect(await asOwner("POST", `/agent-tree/${store.id}/reinstate`)).toMatchObject({ status: 200, body: { status: "active" } });
    const reset = await asOwner("POST", `/agent-tree/${store.id}/reset-password`);
    expect(reset).toMatchObject({ status: 200, body: { passwordVersion: 2 } });
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: store.loginName, password: reset.body.temporaryPassword } })).status).toBe(200);
    const rows = await a.audited(brand, "agent.reset_password", target);
    const mine = rows.filter((r) => r.target === target && r.action.startsWith("agent."));
    expect(mine.map((r) => r.action)).toEqual(["agent.create", "agent.update", "agent.move", "agent.suspend", "agent.reinstate", "agent.reset_password"]);
    expect(mine.every((r) => r.username === owner.username)).toBe(true);
    expect(mine[1]).toMatchObject({
      before: { name: `Agent ${store.loginName}`, rates: { rolling: { slots: 50 } } },
      after: { name: "Store One", rates: { rolling: { slots: 40 } } },
    });
    expect(mine[2]).toMatchObject({ before: { parentId: head.id }, after: { parentId: other.id } });
    expect(JSON.stringify(mine[5])).not.toContain(reset.body.temporaryPassword);
    // the allow-list's own audit names who created the agent
    expect((await rowsOf("brand.allow_agent", target)).map((r) => r.username)).toEqual([owner.username]);
  });

  test("a refused change leaves no audit row", async () => {
    const head = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 } } });
    await a.createAgent(brand, owner.token, { parentId: head.id, rates: { rolling: { slots: 80 } } });
    expect(await asOwner("PATCH", `/agent-tree/${head.id}`, { rates: { rolling: { slots: 70 }, losing: 0 } })).toMatchObject({
      status: 409,
      body: { error: { code: "rate_below_child" } },
    });
    expect(await asOwner("POST", `/agent-tree/${head.id}/move`, { parentId: head.id })).toMatchObject({ status: 409, body: { error: { code: "invalid_state" } } });
    expect(await asOwner("PATCH", `/agent-tree/${head.id}`, { name: "Head Office" })).toMatchObject({ status: 200 });
    await a.audited(brand, "agent.update", `agent:${head.id}`);
    expect((await rowsOf("agent.update", `agent:${head.id}`)).map((r) => r.after.name)).toEqual(["Head Office"]);
    expect(await rowsOf("agent.move", `agent:${head.id}`)).toEqual([]);
  });

  test("staff settle an ended period and ask again for its stalled lines, both audited", async () => {
    // a node without the wallet: credit requests go unanswered, so lines stall
    const lonely = await agentNode("adst", { domains: ["identity", "admin", "player", "agent"], domainOptions: { agent: { retry: { firstRetryMs: 1_000, maxAttempts: 1 } } } });
    try {
      const b = await lonely.addBrand();
      const staff = await lonely.staff("finance", [b]);
      const boss = await lonely.staff("owner", null);
      const head = await lonely.createAgent(b, boss.token, { rates: { rolling: { slots: 100 } } });
      const today = localDay(Date.now(), "UTC");
      const playerId = crypto.randomUUID();
      await lonely.node.parts.events.publish([
        { id: crypto.randomUUID(), type: "player.registered", brand: b, at: Date.now(), payload: { playerId, username: "pl_stall", nickname: "stall", signupCode: head.code } },
      ]);
      await waitFor(async () => (await lonely.admin("GET", `/brands/${b}/agent-tree/${head.id}/players`, { token: staff.token })).body.items?.length === 1, {
        what: "the player linked",
      });
      await lonely.node.parts.events.publish([
        { id: crypto.randomUUID(), type: "wallet.bet_settled", brand: b, at: Date.now(), payload: { player: playerId, amount: "10000", balance: "0", gameCategory: "slots" } },
      ]);
      await waitFor(
        async () => (await lonely.admin("GET", `/brands/${b}/agent-tree/${head.id}/activity?from=${today}&to=${today}`, { token: staff.token })).body.total?.bets === "10000",
        { what: "the bet counted" },
      );
      const fired = endOf(periodOf(today, "daily"), "UTC") + 11 * 60_000;
      await lonely.node.parts.system.fireTimer("agent", "settle", fired);
      await lonely.node.parts.system.fireTimer("agent", "settle", fired + 2_000);
      const id = `commission:${today}`;
      const stalled = await waitFor(
        async () => {
          const list = await lonely.admin("GET", `/brands/${b}/agent-settlements?status=attention`, { token: staff.token });
          return list.body.items?.find((s: { id: string }) => s.id === id);
        },
        { what: "the settlement to need attention" },
      );
      expect(stalled).toMatchObject({ total: "100", paidTotal: "0" });
      const support = await lonely.staff("support", [b]);
      expect((await lonely.admin("POST", `/brands/${b}/agent-settlements/${encodeURIComponent(id)}/requeue`, { token: support.token })).status).toBe(403);
      expect(await lonely.admin("POST", `/brands/${b}/agent-settlements/${encodeURIComponent(id)}/requeue`, { token: staff.token })).toMatchObject({
        status: 200,
        body: { status: "crediting" },
      });
      await lonely.audited(b, "agent.settlement_requeue", `settlement:${id}`);
      expect(await lonely.admin("POST", `/brands/${b}/agent-settlements/run`, { token: staff.token, json: { day: today } })).toMatchObject({
        status: 409,
        body: { error: { code: "period_open" } },
      });
      const past = await lonely.admin("POST", `/brands/${b}/agent-settlements/run`, { token: staff.token, json: { day: "2021-06-01" } });
      expect(past).toMatchObject({ status: 200, body: { id: "commission:2021-06-01", status: "settled" } });
      await lonely.audited(b, "agent.settlement_run", "settlement:commission:2021-06-01");
    } finally {
      await lonely.close();
    }
  }, 60_000);
});

describe("an agent's cash", () => {
  test("finance adjust an agent's float, audited by the wallet; the statement shows it; a retry with the same key is the same adjustment", async () => {
    const agent = await a.createAgent(brand, owner.token);
    const finance = await a.staff("finance", [brand]);
    const headers = { "idempotency-key": `float-${crypto.randomUUID()}` };
    const path = `/brands/${brand}/agent-tree/${agent.id}/adjustments`;
    const made = await a.admin("POST", path, { token: finance.token, json: { amount: 5_000, reason: "opening float" }, headers });
    expect(made).toMatchObject({ status: 201, body: { amount: "5000", balance: { cash: "5000" }, replayed: false } });
    expect(await a.admin("POST", path, { token: finance.token, json: { amount: 5_000, reason: "opening float" }, headers })).toMatchObject({
      status: 201,
      body: { replayed: true },
    });
    expect(await a.admin("POST", path, { token: finance.token, json: { amount: -6_000, reason: "too much" } })).toMatchObject({
      status: 409,
      body: { error: { code: "insufficient_funds" } },
    });
    const support = await a.staff("support", [brand]);
    expect((await a.admin("POST", path, { token: support.token, json: { amount: 1, reason: "x" } })).status).toBe(403);
    const rows = await a.audited(brand, "wallet.adjust", `agent:${agent.id}`);
    expect(rows.filter((r) => r.action === "wallet.adjust" && r.target === `agent:${agent.id}`)).toHaveLength(1);
    const statement = await a.admin("GET", `/brands/${brand}/agent-tree/${agent.id}/transactions`, { token: finance.token });
    expect(statement.body.items).toEqual([expect.objectContaining({ kind: "adjustment", amount: "5000", balanceAfter: "5000" })]);
  });
});

describe("roles, scope and input", () => {
  test("read roles read, only agent managers change the tree; staff of another brand are refused; forged tokens too", async () => {
    const agent = await a.createAgent(brand, owner.token);
    const readOnly = await a.staff("read_only", [brand]);
    const finance = await a.staff("finance", [brand]);
    const elsewhere = await a.staff("admin", [other]);
    expect((await a.admin("GET", `/brands/${brand}/agent-tree/${agent.id}`, { token: readOnly.token })).status).toBe(200);
    expect((await a.admin("GET", `/brands/${brand}/agent-tree`, { token: readOnly.token })).body.items.length).toBeGreaterThan(0);
    for (const token of [readOnly.token, finance.token]) {
      expect(await a.admin("POST", `/brands/${brand}/agent-tree/${agent.id}/suspend`, { token, json: { reason: "x" } })).toMatchObject({
        status: 403,
        body: { error: { code: "forbidden" } },
      });
    }
    expect(await a.admin("GET", `/brands/${brand}/agent-tree/${agent.id}`, { token: elsewhere.token })).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    const forged = await a.forgedToken({ sub: owner.staffId, brand: null, kind: "staff", role: "owner" }, "not-the-platform-secret");
    expect(await a.admin("GET", `/brands/${brand}/agent-tree`, { token: forged })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const agentToken = await a.agentLogin(brand, agent);
    expect((await a.admin("GET", `/brands/${brand}/agent-tree`, { token: agentToken })).status).toBe(401);
  });

  test("bad input is a 400 naming the field; an unknown agent is 404", async () => {
    for (const body of [
      { loginName: "x", name: "A", password: "long enough 1" },
      { loginName: "good_name", name: "A", password: "long enough 1", rates: { rolling: { slots: -1 } } },
      { loginName: "good_name", name: "A", password: "long enough 1", rates: { rolling: { Slots: 10 } } },
      { loginName: "good_name", name: "A", password: "long enough 1", rates: { losing: 10_001 } },
      { loginName: "good_name", name: "A\u0000", password: "long enough 1" },
      { loginName: "good_name", name: "A", password: "long enough 1", code: "no spaces" },
    ]) {
      expect(await asOwner("POST", "/agent-tree", body)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    const unknown = crypto.randomUUID();
    expect(await asOwner("GET", `/agent-tree/${unknown}`)).toMatchObject({ status: 404, body: { error: { code: "agent_not_found" } } });
    expect(await asOwner("POST", "/agent-tree", { loginName: `x_${crypto.randomUUID().slice(0, 6)}`, name: "A", password: "long enough 1", parentId: unknown })).toMatchObject({
      status: 404,
      body: { error: { code: "agent_not_found" } },
    });
    expect(await asOwner("GET", "/agent-tree/not-a-uuid")).toMatchObject({ status: 400 });
    expect(await asOwner("POST", `/agent-tree/${unknown}/move`, { parentId: "nope" })).toMatchObject({ status: 400 });
  });
});
