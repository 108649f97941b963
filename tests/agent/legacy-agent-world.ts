import { sign } from "hono/jwt";
import { expectOk } from "../../actors/runtime/client.ts";
import { addDays, localDay, startOfDay } from "../../actors/settlement/index.ts";
import { type FixtureCase, substitute } from "../gateway/legacy-world.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import type { AgentNode } from "./agent-node.ts";

/**
 * The state a legacy agent fixture is replayed against, the same for every fixture file: a
 * brand that lets agents move money both ways; a head office and a store below it (with a
 * sub-agent), and a sibling store; a player of each store, the store's funded with 50000; a
 * day of play yesterday settled (the store earned 500 rolling and 3000 losing commission); a
 * pending withdrawal of 500 of the store's. Fixture strings like "{loginName}" are replaced by
 * these values.
 */

export async function legacyAgentWorld(a: AgentNode, owner: { token: string }) {
  const brand = await a.addBrand();
  const agents = a.node.edge.clients.agent(brand);
  const wallet = a.node.edge.clients.wallet(brand);
  await a.admin("PATCH", `/brands/${brand}/config`, { token: owner.token, json: { agent: { transfersToPlayers: true, transfersFromPlayers: true } } });
  const head = await a.createAgent(brand, owner.token, { rates: { rolling: { slots: 100 }, losing: 1000 } });
  const storeLogin = `st_${crypto.randomUUID().slice(0, 8)}`;
  const made = await a.admin("POST", `/brands/${brand}/agent-tree`, {
    token: owner.token,
    json: { loginName: storeLogin, name: "Store One", password: "store password 1", parentId: head.id, rates: { rolling: { slots: 50 }, losing: 500 } },
  });
  const store = { ...made.body, password: "store password 1" };
  await a.allowed(brand, store.id);
  const sibling = await a.createAgent(brand, owner.token, { parentId: head.id });
  const subLogin = `sb_${crypto.randomUUID().slice(0, 8)}`;
  await a.admin("POST", `/brands/${brand}/agent-tree`, { token: owner.token, json: { loginName: subLogin, name: "Sub One", password: "sub password 1", parentId: store.id } });

  const player = await a.player(brand, store.code);
  const other = await a.player(brand, sibling.code);
  expectOk(await wallet.adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: player.id }, amount: 50_000, reason: "stake", by: TEST_SETUP }));

  // yesterday's play, as the wallet's events said it then (bucketed by when it happened)
  const yesterday = addDays(localDay(Date.now(), "UTC"), -1);
  const noon = startOfDay(yesterday, "UTC") + 12 * 3_600_000;
  const money = (type: string, amount: string) => ({
    id: crypto.randomUUID(),
    type,
    brand,
    at: noon,
    payload: { player: player.id, amount, balance: "50000", gameCategory: "slots" },
  });
  await a.node.parts.events.publish([money("wallet.bet_settled", "100000"), money("wallet.win", "40000")]);
  await waitFor(
    async () => {
      const page = expectOk(await agents.activityByPlayer({ within: store.id, from: yesterday, to: yesterday, limit: 5 }));
      const mine = expectOk(await agents.downlinePlayers({ within: store.id, limit: 5 }));
      return page.items[0]?.wins === "40000" && mine.items[0]?.cash === "50000";
    },
    { what: "yesterday's play and the player's cash projected" },
  );
  expectOk(await agents.runSettlement({ day: yesterday, by: TEST_SETUP }));
  await waitFor(async () => expectOk(await wallet.balance({ owner: { kind: "agent", id: store.id } })).cash === "3500", { what: "the store's commission paid" });
  expectOk(await wallet.agentWithdrawalRequest({ requestId: `world-${crypto.randomUUID()}`, agent: store.id, amount: 500 }));

  const token = await a.agentLogin(brand, store);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: store.id, brand, role: "agent", kind: "agent", jti: crypto.randomUUID() };
  const values: Record<string, unknown> = {
    loginName: storeLogin,
    password: store.password,
    storeId: store.id,
    headId: head.id,
    subLogin,
    playerUsername: player.username,
    playerToken: player.token,
    otherUsername: other.username,
    yesterday,
    expiredToken: await sign({ ...claims, iat: now - 3600, exp: now - 60 }, a.node.config.secrets.jwt, "HS256"),
    forgedToken: await sign({ ...claims, iat: now, exp: now + 600 }, "a-secret-that-is-not-the-platform-secret", "HS256"),
  };
  return { brand, token, values };
}

export type AgentWorld = Awaited<ReturnType<typeof legacyAgentWorld>>;

/** Send a fixture's request as the old agent portal would: form or JSON, the token as Bearer or as a field. */
export async function replayOnAgentEdge(a: AgentNode, world: AgentWorld, fixtureCase: FixtureCase): Promise<Response> {
  const r = substitute(fixtureCase.request, world.values) as FixtureCase["request"];
  const token = r.token ?? world.token;
  const headers: Record<string, string> = {};
  const query = new URLSearchParams(r.query);
  let body: string | undefined;
  const fields: Record<string, unknown> = { ...(r.form ?? r.json ?? {}) };
  if (r.auth === "bearer") headers.authorization = `Bearer ${token}`;
  if (r.auth === "field") {
    if (r.method === "GET") query.set("token", token);
    else fields.token = token;
  }
  if (r.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(fields as Record<string, string>).toString();
  } else if (r.json || (r.method === "POST" && r.auth === "field")) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(fields);
  }
  const host = r.host === "unknown" ? "agent.nobody.test" : `agent.${world.brand}.test`;
  return a.node.apps.agent.request(`http://${host}${r.path}${query.size > 0 ? `?${query}` : ""}`, { method: r.method, headers: { host, ...headers }, body });
}
