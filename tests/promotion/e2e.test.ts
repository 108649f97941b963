import { afterAll, beforeAll, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { addDays, localDay } from "../../actors/settlement/index.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/**
 * A coupon over real HTTP, on a served node with every domain: staff create it on the admin
 * edge, a player redeems it on the gateway, a provider's bets on the callback edge meet its
 * wagering, and the bonus becomes cash; a second bonus the player gives up is forfeited
 * while their own cash stays. Staff's views, the player's and the internal edge's, each
 * refusing the wrong caller.
 */

let node: TestPlatformNode;
let brand: string;
let staffToken: string;
let studio: { code: string; call(operation: string, body: unknown): Promise<{ status: number; body: any }> };
const SETUP = { staffId: null, username: "test-setup" };

const url = (edge: string) => node.servers.find((e) => e.name === edge)!.url;

async function http(edge: "gateway" | "admin" | "internal", method: string, path: string, body?: unknown, token?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (edge === "gateway") headers.host = `play.${brand}.test`;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url(edge)}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  node = await testNode({ label: "pr-e2e", domainOptions: { credentials: { cost: CHEAP_HASH } }, serve: true });
  brand = await node.addBrand({ prefix: "pre2e", surfaces: ["gateway"] });
  const username = `owner-${crypto.randomUUID().slice(0, 8)}`;
  const password = "an owner's long password";
  expectOk(
    await node.edge.clients
      .identity()
      .createStaff({ username, passwordHash: await node.edge.staff.hash(password), role: "owner", brands: null, mustChangePassword: false, by: SETUP }),
  );
  staffToken = (await http("admin", "POST", "/api/v1/auth/login", { username, password })).body.accessToken;
  const code = `prs${crypto.randomUUID().slice(0, 6)}`;
  const registry = node.edge.clients.gameRegistry();
  const { secret } = expectOk(await registry.registerProvider({ code, name: `Studio ${code}`, dialect: "standard", allBrands: true, by: SETUP }));
  expectOk(await registry.upsertGame({ provider: code, code: "game-1", name: "Game One", category: "slots", by: SETUP }));
  studio = {
    code,
    async call(operation: string, body: unknown) {
      const raw = JSON.stringify(body);
      const res = await fetch(`${url("callback")}/callbacks/${code}/${operation}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": await signBody(secret, raw) },
        body: raw,
      });
      return { status: res.status, body: await res.json() };
    },
  };
}, 30_000);
afterAll(() => node?.stop());

async function signedUpPlayer() {
  const credentials = { username: `pr_${crypto.randomUUID().slice(0, 8)}`, password: "e2e password 1" };
  const bank = { name: "Hana", account: "333-444-555666", holder: "Park Jisoo" };
  expect((await http("gateway", "POST", "/api/v1/auth/register", { ...credentials, nickname: `pr${crypto.randomUUID().slice(0, 6)}`, phone: "010-7777-8888", bank })).status).toBe(
    201,
  );
  const login = (await http("gateway", "POST", "/api/v1/auth/login", credentials)).body;
  const deposit = await http("gateway", "POST", "/api/v1/wallet/deposits", { amount: 20_000, depositorName: "Park Jisoo" }, login.accessToken);
  expect((await http("admin", "POST", `/api/v1/brands/${brand}/deposits/${deposit.body.requestId}/approve`, undefined, staffToken)).status).toBe(200);
  return { token: login.accessToken as string, id: login.player.id as string };
}

const coupon = async (code: string, amount: number, rollingMultiple: number) =>
  http(
    "admin",
    "POST",
    `/api/v1/brands/${brand}/coupons`,
    { name: `Welcome ${code}`, kind: "fixed", amount, maxUses: 10, rollingMultiple, validTo: Date.now() + 3_600_000, code },
    staffToken,
  );

test("staff create a coupon, a player redeems it, bets on the callback edge complete its wagering, the bonus becomes cash", async () => {
  const code = `WELCOME${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  const created = await coupon(code, 5_000, 2);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ codeList: [code], status: "active", uses: 0 });
  const player = await signedUpPlayer();

  const redeemed = await http("gateway", "POST", "/api/v1/coupons/redeem", { code: code.toLowerCase() }, player.token);
  expect(redeemed.status).toBe(201);
  expect((await http("gateway", "POST", "/api/v1/coupons/redeem", { code }, player.token)).body.error.code).toBe("already_redeemed");
  expect((await http("gateway", "POST", "/api/v1/coupons/redeem", { code: "NOPE-NOPE" }, player.token)).status).toBe(404);
  expect((await http("gateway", "POST", "/api/v1/coupons/redeem", { code: "x\u0000y" }, player.token)).status).toBe(400);
  const mine = await waitFor(
    async () => {
      const res = await http("gateway", "GET", "/api/v1/coupons", undefined, player.token);
      return res.body.items?.[0]?.rolling?.status === "open" ? res.body.items[0] : undefined;
    },
    { what: "the bonus granted and its wagering open" },
  );
  expect(mine).toMatchObject({ code, status: "granted", amount: "5000", rolling: { target: "10000" } });
  expect((await http("gateway", "GET", "/api/v1/wallet/balance", undefined, player.token)).body).toMatchObject({ cash: "20000", bonus: "5000" });
  expect((await http("gateway", "GET", "/api/v1/bonuses", undefined, player.token)).body.items.map((b: { id: string }) => b.id)).toEqual([redeemed.body.id]);
  expect((await http("gateway", "GET", "/api/v1/bonuses")).status).toBe(401);

  const launched = await http("gateway", "POST", "/api/v1/games/launch", { provider: studio.code, game: "game-1" }, player.token);
  for (const amount of [6_000, 4_000]) {
    const bet = { token: launched.body.token, transaction_uuid: crypto.randomUUID(), round: crypto.randomUUID(), game_code: "game-1", amount, currency: "KRW" };
    expect((await studio.call("transaction/bet", bet)).body.status).toBe("RS_OK");
  }
  await waitFor(async () => (await http("gateway", "GET", "/api/v1/coupons", undefined, player.token)).body.items[0].rolling.status === "completed", {
    what: "the wagering completed",
  });
  const balance = await waitFor(
    async () => {
      const res = await http("gateway", "GET", "/api/v1/wallet/balance", undefined, player.token);
      return res.body.bonus === "0" ? res.body : undefined;
    },
    { what: "the bonus converted" },
  );
  expect(balance.cash).toBe(String(20_000 - 10_000 + 5_000));

  // staff see the coupon used and the redemption; the creation is audited
  expect((await http("admin", "GET", `/api/v1/brands/${brand}/coupons/${created.body.id}`, undefined, staffToken)).body.uses).toBe(1);
  expect((await http("admin", "GET", `/api/v1/brands/${brand}/redemptions?player=${player.id}`, undefined, staffToken)).body.items).toHaveLength(1);
  await waitFor(
    async () => {
      const rows = await node.parts.store.query<{ action: string }>("select action from audit_log where brand_id = $1 and target = $2", [brand, `coupon:${created.body.id}`]);
      return rows.some((r) => r.action === "promotion.coupon_create");
    },
    { what: "the audit row" },
  );
}, 30_000);

test("a player gives a bonus up on the gateway: what is left of it is forfeited, their own cash stays; another player cannot", async () => {
  const code = `GIVEUP${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  expect((await coupon(code, 3_000, 5)).status).toBe(201);
  const player = await signedUpPlayer();
  const other = await signedUpPlayer();
  const redeemed = (await http("gateway", "POST", "/api/v1/coupons/redeem", { code }, player.token)).body;
  await waitFor(async () => (await http("gateway", "GET", "/api/v1/coupons", undefined, player.token)).body.items[0]?.rolling?.status === "open", { what: "the wagering open" });
  expect((await http("gateway", "POST", `/api/v1/bonuses/${redeemed.id}/cancel`, undefined, other.token)).status).toBe(404);
  const cancelled = await http("gateway", "POST", `/api/v1/bonuses/${redeemed.id}/cancel`, undefined, player.token);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ status: "cancelled", closedBy: `player:${player.id}` });
  await waitFor(async () => (await http("gateway", "GET", "/api/v1/wallet/balance", undefined, player.token)).body.bonus === "0", { what: "the bonus forfeited" });
  expect((await http("gateway", "GET", "/api/v1/wallet/balance", undefined, player.token)).body.cash).toBe("20000");
  await waitFor(async () => (await http("gateway", "GET", "/api/v1/coupons", undefined, player.token)).body.items[0]?.rolling?.status === "cancelled", {
    what: "the redemption to say so",
  });
  expect((await http("gateway", "POST", `/api/v1/bonuses/${redeemed.id}/cancel`, undefined, player.token)).status).toBe(409);
}, 30_000);

test("settlement routes: preview and run on the admin edge, rewards on the gateway, the internal edge with the service token only", async () => {
  expect((await http("admin", "PATCH", `/api/v1/brands/${brand}/config`, { promotion: { rebateRates: { slots: 100 }, lossbackRate: 500 } }, staffToken)).status).toBe(200);
  const day = addDays(localDay(Date.now(), "UTC"), -1);
  const preview = await http("admin", "GET", `/api/v1/brands/${brand}/promotion-settlements/preview?kind=rebate&day=${day}`, undefined, staffToken);
  expect(preview.body).toMatchObject({ kind: "rebate", period: day, settled: false });
  const today = localDay(Date.now(), "UTC");
  expect((await http("admin", "POST", `/api/v1/brands/${brand}/promotion-settlements`, { kind: "rebate", day: today }, staffToken)).body.error.code).toBe("period_open");
  const run = await http("admin", "POST", `/api/v1/brands/${brand}/promotion-settlements`, { kind: "lossback", day }, staffToken);
  expect(run.body).toMatchObject({ id: `lossback:${day}`, status: "settled" });
  expect((await http("admin", "GET", `/api/v1/brands/${brand}/promotion-settlements?kind=lossback`, undefined, staffToken)).body.items).toHaveLength(1);
  const player = await signedUpPlayer();
  expect((await http("gateway", "GET", "/api/v1/rewards", undefined, player.token)).body).toEqual({ items: [], nextCursor: null });
  expect((await http("gateway", "GET", "/api/v1/rewards")).status).toBe(401);

  const service = node.config.secrets.service;
  const internal = (path: string, token?: string) => http("internal", "GET", `/internal/promotions${path}`, undefined, token, { "x-brand-id": brand });
  expect((await internal("/settlements", service)).body.items).toHaveLength(1);
  expect((await internal("/coupons", service)).status).toBe(200);
  expect((await internal("/coupons", staffToken)).status).toBe(401);
  expect((await internal("/coupons")).status).toBe(401);
}, 30_000);

test("guessing codes: a player's eleventh redemption in a minute is 429 rate_limited with Retry-After", async () => {
  const player = await signedUpPlayer();
  for (let i = 0; i < 10; i++) expect((await http("gateway", "POST", "/api/v1/coupons/redeem", { code: `GUESS${i}AAAA` }, player.token)).status).toBe(404);
  const res = await fetch(`${url("gateway")}/api/v1/coupons/redeem`, {
    method: "POST",
    headers: { "content-type": "application/json", host: `play.${brand}.test`, authorization: `Bearer ${player.token}` },
    body: JSON.stringify({ code: "GUESS11AAAA" }),
  });
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
}, 30_000);
