import { afterAll, beforeAll, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/**
 * A player's whole path over real HTTP, against a served node with the player, wallet and
 * game domains and every edge the registry mounts: sign up and log in on the gateway, ask
 * for a deposit, staff approve it through the wallet, the balance shows it, launch a game,
 * the provider's bet and win arrive on the callback edge, and the history shows them.
 */

let node: TestPlatformNode;
let brand: string;
let provider: { code: string; call(operation: string, body: unknown): Promise<{ status: number; body: any }> };

const SETUP = { staffId: null, username: "test-setup" };

beforeAll(async () => {
  node = await testNode({ label: "e2e", domains: ["player", "wallet", "game"], serve: true });
  brand = await node.addBrand({ prefix: "e2e", surfaces: ["gateway"] });
  const code = `e2e${crypto.randomUUID().slice(0, 8)}`;
  const registry = node.edge.clients.gameRegistry();
  const { secret } = expectOk(await registry.registerProvider({ code, name: "E2E Studio", dialect: "standard", allBrands: true, by: SETUP }));
  expectOk(await registry.upsertGame({ provider: code, code: "slot-1", name: "Slot One", category: "slots", by: SETUP }));
  const edges = node.servers;
  const callback = edges.find((e) => e.name === "callback")!;
  // the provider signs each raw body with its secret, as the seamless-wallet contract says
  provider = {
    code,
    async call(operation, body) {
      const raw = JSON.stringify(body);
      const headers = { "content-type": "application/json", "x-signature": await signBody(secret, raw) };
      const res = await fetch(`${callback.url}/callbacks/${code}/${operation}`, { method: "POST", headers, body: raw });
      return { status: res.status, body: await res.json() };
    },
  };
}, 30_000);
afterAll(() => node?.stop());

async function gateway(method: string, path: string, body?: unknown, token?: string) {
  const server = node.servers.find((e) => e.name === "gateway")!;
  const headers: Record<string, string> = { host: `play.${brand}.test`, "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

test("register, log in, deposit, approval, balance, launch, provider bet and win, history", async () => {
  const credentials = { username: `e2e_${crypto.randomUUID().slice(0, 8)}`, password: "e2e password 1" };
  const registered = await gateway("POST", "/api/v1/auth/register", {
    ...credentials,
    nickname: `e2e${crypto.randomUUID().slice(0, 6)}`,
    phone: "010-7777-8888",
    bank: { name: "Hana", account: "333-444-555666", holder: "Park Jisoo" },
  });
  expect(registered.status).toBe(201);
  const login = await gateway("POST", "/api/v1/auth/login", credentials);
  expect(login.status).toBe(200);
  const token = login.body.accessToken as string;
  const playerId = login.body.player.id as string;

  const deposit = await gateway("POST", "/api/v1/wallet/deposits", { amount: 100_000, depositorName: "Park Jisoo" }, token);
  expect(deposit).toMatchObject({ status: 201, body: { status: "pending" } });
  // staff approval, as the back office (or recon) would send it to the wallet
  expectOk(await node.edge.clients.wallet(brand).depositApprove({ requestId: deposit.body.requestId, by: { staffId: "staff-owner", username: "owner" } }));
  expect((await gateway("GET", "/api/v1/wallet/balance", undefined, token)).body).toMatchObject({ cash: "100000", currency: "KRW" });

  const launched = await gateway("POST", "/api/v1/games/launch", { provider: provider.code, game: "slot-1" }, token);
  expect(launched.status).toBe(200);
  const round = `round-${crypto.randomUUID().slice(0, 8)}`;
  const betUuid = crypto.randomUUID();
  const bet = await provider.call("transaction/bet", { token: launched.body.token, transaction_uuid: betUuid, round, game_code: "slot-1", amount: 3_000, currency: "KRW" });
  expect(bet.body).toMatchObject({ status: "RS_OK", balance: 97_000, currency: "KRW" });
  const win = await provider.call("transaction/win", {
    token: launched.body.token,
    transaction_uuid: crypto.randomUUID(),
    reference_transaction_uuid: betUuid,
    round,
    game_code: "slot-1",
    amount: 7_500,
    currency: "KRW",
  });
  expect(win.body).toMatchObject({ status: "RS_OK", balance: 104_500 });

  expect((await gateway("GET", "/api/v1/wallet/balance", undefined, token)).body.cash).toBe("104500");
  const history = await gateway("GET", "/api/v1/wallet/transactions?limit=10", undefined, token);
  expect(history.body.items.map((i: { amount: string; round: string | null }) => [i.amount, i.round])).toEqual([
    ["7500", round],
    ["-3000", round],
    ["100000", null],
  ]);
  // the round reaches the game domain through the wallet's events
  const rounds = await waitFor(
    async () => {
      const outcome = await node.edge.clients.game(brand).rounds({ player: playerId });
      const items = outcome.ok ? (outcome.value as { items: { round: string; betTotal: string; winTotal: string }[] }).items : [];
      return items.find((r) => r.round === round && r.winTotal === "7500");
    },
    { what: "the round projected from the wallet events", timeoutMs: 15_000 },
  );
  expect(rounds).toMatchObject({ betTotal: "3000", winTotal: "7500" });
}, 30_000);
