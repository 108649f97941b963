import { afterAll, beforeAll, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/**
 * A wagering requirement over real HTTP, on a served node with every domain: staff set the
 * brand's rolling terms and approve a deposit on the admin edge; the player's withdrawal is
 * refused with what remains; a provider's bets on the callback edge (a slot in full, a live
 * table at its rate, one rolled back) meet it; the withdrawal then goes through.
 */

let node: TestPlatformNode;
let brand: string;
let staffToken: string;
const providers: Record<string, { code: string; call(operation: string, body: unknown): Promise<{ status: number; body: any }> }> = {};
const SETUP = { staffId: null, username: "test-setup" };

const url = (edge: string) => node.servers.find((e) => e.name === edge)!.url;

async function http(edge: "gateway" | "admin", method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (edge === "gateway") headers.host = `play.${brand}.test`;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url(edge)}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function provider(category: "slots" | "live_casino") {
  const code = `rl${category.slice(0, 4)}${crypto.randomUUID().slice(0, 6)}`;
  const registry = node.edge.clients.gameRegistry();
  const { secret } = expectOk(await registry.registerProvider({ code, name: `Studio ${code}`, dialect: "standard", allBrands: true, by: SETUP }));
  expectOk(await registry.upsertGame({ provider: code, code: "game-1", name: "Game One", category, by: SETUP }));
  return {
    code,
    async call(operation: string, body: unknown) {
      const raw = JSON.stringify(body);
      const headers = { "content-type": "application/json", "x-signature": await signBody(secret, raw) };
      const res = await fetch(`${url("callback")}/callbacks/${code}/${operation}`, { method: "POST", headers, body: raw });
      return { status: res.status, body: await res.json() };
    },
  };
}

beforeAll(async () => {
  node = await testNode({ label: "rl-e2e", domainOptions: { credentials: { cost: CHEAP_HASH } }, serve: true });
  brand = await node.addBrand({ prefix: "rle2e", surfaces: ["gateway"] });
  const username = `owner-${crypto.randomUUID().slice(0, 8)}`;
  const password = "an owner's long password";
  expectOk(
    await node.edge.clients
      .identity()
      .createStaff({ username, passwordHash: await node.edge.staff.hash(password), role: "owner", brands: null, mustChangePassword: false, by: SETUP }),
  );
  staffToken = (await http("admin", "POST", "/api/v1/auth/login", { username, password })).body.accessToken;
  providers.slots = await provider("slots");
  providers.live = await provider("live_casino");
}, 30_000);
afterAll(() => node?.stop());

test("deposit approved, withdrawal refused with what remains, bets on the callback edge until it is met, withdrawal accepted", async () => {
  const terms = await http("admin", "PATCH", `/api/v1/brands/${brand}/config`, { rolling: { depositMultiple: 1, categoryRates: { slots: 1, live_casino: 0.1 } } }, staffToken);
  expect(terms.status).toBe(200);
  const credentials = { username: `rl_${crypto.randomUUID().slice(0, 8)}`, password: "e2e password 1" };
  const bank = { name: "Hana", account: "333-444-555666", holder: "Park Jisoo" };
  expect((await http("gateway", "POST", "/api/v1/auth/register", { ...credentials, nickname: `rl${crypto.randomUUID().slice(0, 6)}`, phone: "010-7777-8888", bank })).status).toBe(
    201,
  );
  const token = (await http("gateway", "POST", "/api/v1/auth/login", credentials)).body.accessToken as string;

  const deposit = await http("gateway", "POST", "/api/v1/wallet/deposits", { amount: 10_000, depositorName: "Park Jisoo" }, token);
  expect((await http("admin", "POST", `/api/v1/brands/${brand}/deposits/${deposit.body.requestId}/approve`, undefined, staffToken)).status).toBe(200);
  const refused = await waitFor(
    async () => {
      const res = await http("gateway", "POST", "/api/v1/wallet/withdrawals", { amount: 5_000 }, token);
      return res.status === 409 ? res : undefined;
    },
    { what: "the requirement to open" },
  );
  expect(refused.body.error).toMatchObject({ code: "rolling_open", details: { remaining: "10000" } });

  const play = async (kind: "slots" | "live", amount: number, then: "win" | "rollback" | null = null) => {
    const p = providers[kind]!;
    const launched = await http("gateway", "POST", "/api/v1/games/launch", { provider: p.code, game: "game-1" }, token);
    const round = crypto.randomUUID();
    const bet = { token: launched.body.token, transaction_uuid: crypto.randomUUID(), round, game_code: "game-1", amount, currency: "KRW" };
    expect((await p.call("transaction/bet", bet)).body.status).toBe("RS_OK");
    if (then === "win")
      expect(
        (await p.call("transaction/win", { ...bet, transaction_uuid: crypto.randomUUID(), reference_transaction_uuid: bet.transaction_uuid, amount: amount * 2 })).body.status,
      ).toBe("RS_OK");
    if (then === "rollback")
      expect((await p.call("transaction/rollback", { ...bet, transaction_uuid: crypto.randomUUID(), reference_transaction_uuid: bet.transaction_uuid })).body.status).toBe("RS_OK");
  };
  await play("slots", 3_000, "win");
  await play("live", 5_000);
  await play("slots", 4_000, "rollback");
  const progress = await waitFor(
    async () => {
      const res = await http("gateway", "GET", "/api/v1/rolling", undefined, token);
      return res.body.summary?.remaining === "6500" ? res : undefined;
    },
    { what: "3000 of the slot and 10% of 5000 at the live table to count, the rolled-back bet not" },
  );
  expect(progress.body.items[0]).toMatchObject({ progress: "3500", status: "open" });
  // progress reaches the wallet at most a minute late (the minute's sweep reports it): this test's clock moves it now
  await node.parts.system.fireTimer("rolling", "sweep");
  await waitFor(async () => (await http("gateway", "POST", "/api/v1/wallet/withdrawals", { amount: 1 }, token)).body.error?.details?.remaining === "6500", {
    what: "the withdrawal's refusal to say what remains",
  });

  await play("slots", 6_500, "win");
  const done = await waitFor(
    async () => {
      const res = await http("gateway", "GET", "/api/v1/rolling", undefined, token);
      return res.body.items?.[0]?.status === "completed" ? res : undefined;
    },
    { what: "the requirement to complete" },
  );
  expect(done.body).toMatchObject({ summary: { open: 0, remaining: "0" }, items: [{ progress: "10000", remaining: "0" }] });
  const accepted = await waitFor(
    async () => {
      const res = await http("gateway", "POST", "/api/v1/wallet/withdrawals", { amount: 5_000 }, token);
      return res.status === 201 ? res : undefined;
    },
    { what: "the withdrawal to be accepted" },
  );
  expect(accepted.body).toMatchObject({ status: "pending", amount: "5000" });
}, 30_000);
