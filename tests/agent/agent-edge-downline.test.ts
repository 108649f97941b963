import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { localDay } from "../../actors/settlement/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type AgentNode, agentNode } from "./agent-node.ts";

/**
 * What an agent sees and does on the agent edge: its subtree (sub-agents it creates, players,
 * activity, commission) and its money (transfers with its own players where the brand allows
 * them, withdrawals staff decide). A store agent never sees nor moves its sibling's players.
 */

let a: AgentNode;
let brand: string;
let owner: Awaited<ReturnType<AgentNode["staff"]>>;
let head: Awaited<ReturnType<AgentNode["createAgent"]>>;
let store: Awaited<ReturnType<AgentNode["createAgent"]>>;
let sibling: Awaited<ReturnType<AgentNode["createAgent"]>>;
let storeToken: string;
let mine: Awaited<ReturnType<AgentNode["player"]>>;
let theirs: Awaited<ReturnType<AgentNode["player"]>>;
beforeAll(async () => {
  a = await agentNode("agd");
  brand = await a.addBrand();
  owner = await a.staff("owner", null);
  head = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 }, losing: 1000 } });
  store = await a.createAgent(brand, owner.token, { parentId: head.id, rates: { rolling: { slots: 50 }, losing: 500 } });
  sibling = await a.createAgent(brand, owner.token, { parentId: head.id });
  storeToken = await a.agentLogin(brand, store);
  mine = await a.player(brand, store.code);
  theirs = await a.player(brand, sibling.code);
  await waitFor(async () => (await a.agentEdge(brand, "GET", "/downline/players", { token: storeToken })).body.items?.length === 1, { what: "the store's player linked" });
}, 60_000);
afterAll(() => a.close());

const asStore = (method: string, path: string, json?: unknown, headers?: Record<string, string>) => a.agentEdge(brand, method, path, { token: storeToken, json, headers });
const fundStore = (amount: number) =>
  a.node.edge.clients
    .wallet(brand)
    .adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "agent", id: store.id }, amount, reason: "float", by: TEST_SETUP })
    .then(expectOk);

describe("the subtree", () => {
  test("an agent creates sub-agents no richer than itself, which sign in once allowed", async () => {
    const sub = { loginName: `sub_${crypto.randomUUID().slice(0, 8)}`, name: "Sub store", password: "sub password 1", rates: { rolling: { slots: 40 }, losing: 100 } };
    const made = await asStore("POST", "/downline/agents", sub);
    expect(made).toMatchObject({ status: 201, body: { parentId: store.id, level: 3, rates: { rolling: { slots: 40 }, losing: 100 } } });
    expect(await asStore("POST", "/downline/agents", { ...sub, loginName: `sub_${crypto.randomUUID().slice(0, 8)}`, rates: { rolling: { slots: 60 } } })).toMatchObject({
      status: 409,
      body: { error: { code: "rate_above_parent" } },
    });
    expect(await asStore("POST", "/downline/agents", { ...sub, loginName: `sub_${crypto.randomUUID().slice(0, 8)}`, parentId: sibling.id })).toMatchObject({
      status: 404,
      body: { error: { code: "agent_not_found" } },
    });
    await a.allowed(brand, made.body.id);
    expect((await a.agentEdge(brand, "POST", "/auth/login", { json: { loginName: sub.loginName, password: sub.password } })).status).toBe(200);
    expect((await asStore("GET", "/downline/agents")).body.items.map((x: { id: string }) => x.id)).toEqual([made.body.id]);
    await a.audited(brand, "brand.allow_agent", `agent:${made.body.id}`);
    expect((await a.auditRows(brand)).find((r) => r.target === `agent:${made.body.id}`)?.username).toBe(`agent:${store.loginName}`);
  });

  test("a store sees its own players and activity, never its sibling's", async () => {
    const players = await asStore("GET", "/downline/players");
    expect(players.body.items.map((p: { username: string }) => p.username)).toEqual([mine.username]);
    expect(await asStore("GET", `/downline/players?agentId=${sibling.id}`)).toMatchObject({ status: 404, body: { error: { code: "agent_not_found" } } });
    expect(await asStore("GET", `/downline/agents/${sibling.id}`)).toMatchObject({ status: 404, body: { error: { code: "agent_not_found" } } });
    expect(await asStore("GET", `/downline/agents?parentId=${head.id}`)).toMatchObject({ status: 404, body: { error: { code: "agent_not_found" } } });
    const today = localDay(Date.now(), "UTC");
    expect(await asStore("GET", `/activity?from=${today}&to=${today}`)).toMatchObject({ status: 200, body: { total: { bets: "0" }, children: expect.any(Array) } });
    expect(await asStore("GET", `/activity/players?from=${today}&to=${today}&username=${theirs.username}`)).toMatchObject({ status: 200, body: { items: [] } });
    const headToken = await a.agentLogin(brand, head);
    const all = await a.agentEdge(brand, "GET", "/downline/players", { token: headToken });
    expect(all.body.items.map((p: { username: string }) => p.username).sort()).toEqual([mine.username, theirs.username].sort());
  });

  test("bad days and cursors are refused before anything is read", async () => {
    for (const query of ["from=2024-02-30&to=2024-03-01", "from=2024-03-02&to=2024-03-01", "from=2020-01-01&to=2024-01-01", "from=x&to=y"]) {
      expect(await asStore("GET", `/activity?${query}`)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    expect(await asStore("GET", "/downline/players?cursor=99999999999999999999")).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    expect(await asStore("GET", "/commissions?limit=201")).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
  });
});

describe("money", () => {
  test("transfers with the store's own player follow the brand's settings each way; a sibling's player is unknown", async () => {
    await fundStore(10_000);
    const give = { username: mine.username, direction: "to_player", amount: 3_000 };
    expect(await asStore("POST", "/transfers", give)).toMatchObject({ status: 403, body: { error: { code: "transfer_not_allowed" } } });
    await a.admin("PATCH", `/brands/${brand}/config`, { token: owner.token, json: { agent: { transfersToPlayers: true, transfersFromPlayers: true } } });
    const key = { "idempotency-key": `give-${crypto.randomUUID()}` };
    const given = await asStore("POST", "/transfers", give, key);
    expect(given).toMatchObject({ status: 201, body: { amount: "3000", agentCash: "7000", playerCash: "3000", replayed: false } });
    expect(await asStore("POST", "/transfers", give, key)).toMatchObject({ status: 201, body: { transactionId: given.body.transactionId, replayed: true } });
    expect(await asStore("POST", "/transfers", { playerId: mine.id, direction: "from_player", amount: 1_000 })).toMatchObject({
      status: 201,
      body: { agentCash: "8000", playerCash: "2000" },
    });
    expect(await asStore("POST", "/transfers", { username: mine.username, direction: "from_player", amount: 5_000 })).toMatchObject({
      status: 409,
      body: { error: { code: "insufficient_funds" } },
    });
    expect(await asStore("POST", "/transfers", { username: theirs.username, direction: "to_player", amount: 1 })).toMatchObject({
      status: 404,
      body: { error: { code: "player_not_found" } },
    });
    expect(await asStore("POST", "/transfers", { playerId: theirs.id, direction: "from_player", amount: 1 })).toMatchObject({
      status: 404,
      body: { error: { code: "player_not_found" } },
    });
    expect(await asStore("POST", "/transfers", { username: mine.username, playerId: mine.id, direction: "to_player", amount: 1 })).toMatchObject({ status: 400 });
    const balance = await a.gateway(brand, "GET", "/wallet/balance", { token: mine.token });
    expect(balance.body.cash).toBe("2000");
  });

  test("a withdrawal is held at once, counted on top-info, and paid out by staff, audited", async () => {
    const before = BigInt((await asStore("GET", "/me")).body.balance.cash);
    const requested = await asStore("POST", "/withdrawals", { amount: 500 });
    expect(requested).toMatchObject({
      status: 201,
      body: { kind: "agent_withdrawal", agent: store.id, status: "pending", balance: { locked: "500", cash: String(before - 500n) } },
    });
    const requestId = requested.body.requestId;
    expect((await asStore("GET", "/withdrawals")).body.items[0]).toMatchObject({ requestId, status: "pending", amount: "500" });
    await waitFor(async () => (await a.admin("GET", `/brands/${brand}/top-info`, { token: owner.token })).body.counters?.pendingAgentWithdrawals === 1, {
      what: "the top-info counter",
    });
    const queue = await a.admin("GET", `/brands/${brand}/agent-withdrawals`, { token: owner.token });
    expect(queue.body.items).toContainEqual(expect.objectContaining({ requestId, agent: store.id, amount: "500" }));
    const support = await a.staff("support", [brand]);
    expect(await a.admin("POST", `/brands/${brand}/agent-withdrawals/${encodeURIComponent(requestId)}/approve`, { token: support.token })).toMatchObject({ status: 403 });
    expect(await a.admin("POST", `/brands/${brand}/agent-withdrawals/${encodeURIComponent(requestId)}/approve`, { token: owner.token })).toMatchObject({
      status: 200,
      body: { status: "approved", balance: { locked: "0" } },
    });
    await a.audited(brand, "agent_withdrawal.approve", `agent_withdrawal:${requestId}`);
    await waitFor(async () => (await a.admin("GET", `/brands/${brand}/top-info`, { token: owner.token })).body.counters?.pendingAgentWithdrawals === 0, {
      what: "the top-info counter back to 0",
    });
    expect(await asStore("POST", "/withdrawals", { amount: 10 ** 12 })).toMatchObject({ status: 409, body: { error: { code: "insufficient_funds" } } });
    const statement = await asStore("GET", "/wallet/transactions?limit=2");
    expect(statement.body.items.map((t: { kind: string }) => t.kind)).toEqual(["agent_withdrawal_request", "transfer"]);
  });
});
