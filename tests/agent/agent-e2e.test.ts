import { afterAll, beforeAll, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { waitFor } from "../support/services.ts";
import { type AgentNode, agentNode } from "./agent-node.ts";

/**
 * Issue 15 through its real surfaces: staff create a head office and a store on the admin
 * edge, a player signs up on the gateway with the store's code, deposits and plays through
 * the callback edge, the period settles, both agents see their commission on the agent edge,
 * and the store gives money to its player and withdraws its own, which staff pay out.
 */

let a: AgentNode;
let brand: string;
beforeAll(async () => {
  a = await agentNode("age2e");
  brand = await a.addBrand();
}, 60_000);
afterAll(() => a.close());

async function provider(staffToken: string) {
  const code = `p${crypto.randomUUID().slice(0, 8)}`;
  const callback = (method: string, path: string, json: unknown) =>
    a.node.apps.callback.request(`http://callback.test${path}`, {
      method,
      headers: { authorization: `Bearer ${staffToken}`, "content-type": "application/json" },
      body: JSON.stringify(json),
    });
  const registered = await callback("POST", "/integration/providers", { code, name: "Studio", dialect: "standard", allBrands: true });
  expect(registered.status).toBe(201);
  const { secret } = (await registered.json()) as { secret: string };
  expect((await callback("PUT", `/integration/providers/${code}/games/slot-1`, { name: "Slot One", category: "slots" })).status).toBe(200);
  const call = async (operation: string, body: Record<string, unknown>) => {
    const raw = JSON.stringify(body);
    const res = await a.node.apps.callback.request(`http://callback.test/callbacks/${code}/${operation}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": await signBody(secret, raw) },
      body: raw,
    });
    return (await res.json()) as Record<string, unknown>;
  };
  return { code, call };
}

test("staff make a head office and a store; a player of the store plays; the period settles; both agents are paid and the store moves its money", async () => {
  const owner = await a.staff("owner", null);
  const finance = await a.staff("finance", [brand]);
  expect((await a.admin("PATCH", `/brands/${brand}/config`, { token: owner.token, json: { agent: { transfersToPlayers: true } } })).status).toBe(200);

  // staff create the tree on the admin edge
  const head = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 }, losing: 1000 } });
  const store = await a.createAgent(brand, owner.token, { parentId: head.id, rates: { rolling: { slots: 60 }, losing: 500 } });

  // a player signs up on the gateway with the store's code and deposits
  const player = await a.player(brand, store.code.toLowerCase());
  const deposit = await a.gateway(brand, "POST", "/wallet/deposits", { token: player.token, json: { amount: 100_000, depositorName: "Kim Minsu" } });
  expect((await a.admin("POST", `/brands/${brand}/deposits/${encodeURIComponent(deposit.body.requestId)}/approve`, { token: finance.token })).status).toBe(200);

  // and plays through the callback edge: a bet of 50000, a win of 20000
  const studio = await provider(owner.token);
  const launched = await a.gateway(brand, "POST", "/games/launch", { token: player.token, json: { provider: studio.code, game: "slot-1" } });
  expect(launched.status).toBe(200);
  const round = { token: launched.body.token, round: "r-1", game_code: "slot-1", currency: "KRW" };
  expect(await studio.call("transaction/bet", { ...round, transaction_uuid: "bet-1", amount: 50_000 })).toMatchObject({ status: "RS_OK", balance: 50_000 });
  expect(await studio.call("transaction/win", { ...round, transaction_uuid: "win-1", reference_transaction_uuid: "bet-1", amount: 20_000 })).toMatchObject({
    status: "RS_OK",
    balance: 70_000,
  });

  // the store's portal shows the player and the activity
  const storeToken = await a.agentLogin(brand, store);
  const today = localDay(Date.now(), "UTC");
  await waitFor(async () => (await a.agentEdge(brand, "GET", `/activity?from=${today}&to=${today}`, { token: storeToken })).body.total?.wins === "20000", {
    what: "the store to see the play",
  });
  const players = await a.agentEdge(brand, "GET", "/downline/players", { token: storeToken });
  expect(players.body.items).toEqual([expect.objectContaining({ playerId: player.id, username: player.username, cash: "70000" })]);

  // the period ends and the settlement timer settles it
  await a.node.parts.system.fireTimer("agent", "settle", endOf(periodOf(today, "daily"), "UTC") + 11 * 60_000);
  const settlement = `commission:${today}`;
  await waitFor(
    async () => {
      const list = await a.admin("GET", `/brands/${brand}/agent-settlements`, { token: finance.token });
      return list.body.items?.find((s: { id: string; status: string }) => s.id === settlement && s.status === "settled");
    },
    { what: "the period settled" },
  );
  const lines = await a.admin("GET", `/brands/${brand}/agent-settlements/${encodeURIComponent(settlement)}/lines`, { token: finance.token });
  expect(lines.body.items.map((l: { owner: { id: string }; kind: string; amount: string }) => `${l.owner.id === head.id ? "head" : "store"} ${l.kind} ${l.amount}`).sort()).toEqual(
    ["head losing 1500", "head rolling 200", "store losing 1500", "store rolling 300"],
  );

  // both agents see their commission and the money in their cash
  const headToken = await a.agentLogin(brand, head);
  for (const [token, total] of [
    [storeToken, 1_800],
    [headToken, 1_700],
  ] as const) {
    const commissions = await a.agentEdge(brand, "GET", "/commissions", { token });
    expect(commissions.body.items.reduce((n: number, l: { amount: string; status: string }) => n + (l.status === "paid" ? Number(l.amount) : 0), 0)).toBe(total);
    expect((await a.agentEdge(brand, "GET", "/me", { token })).body.balance.cash).toBe(String(total));
  }

  // the store gives money to its player, and withdraws the rest of its own
  expect(await a.agentEdge(brand, "POST", "/transfers", { token: storeToken, json: { username: player.username, direction: "to_player", amount: 1_000 } })).toMatchObject({
    status: 201,
    body: { agentCash: "800", playerCash: "71000" },
  });
  expect((await a.gateway(brand, "GET", "/wallet/balance", { token: player.token })).body.cash).toBe("71000");
  const withdrawal = await a.agentEdge(brand, "POST", "/withdrawals", { token: storeToken, json: { amount: 800 } });
  expect(withdrawal).toMatchObject({ status: 201, body: { status: "pending", balance: { cash: "0", locked: "800" } } });
  const paid = await a.admin("POST", `/brands/${brand}/agent-withdrawals/${encodeURIComponent(withdrawal.body.requestId)}/approve`, { token: finance.token });
  expect(paid).toMatchObject({ status: 200, body: { status: "approved", balance: { cash: "0", locked: "0" } } });
  expect((await a.agentEdge(brand, "GET", "/withdrawals", { token: storeToken })).body.items[0]).toMatchObject({ status: "approved", amount: "800" });

  // the ledger still balances
  expect((await a.admin("POST", `/brands/${brand}/reconciliation/run`, { token: finance.token })).body).toMatchObject({ ok: true });
});
