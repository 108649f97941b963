import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REGISTRY_ADDRESS } from "../../actors/game/index.ts";
import { type GatewayNode, gatewayNode, loggedIn } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
const provider = `gp${crypto.randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  gw = await gatewayNode({ games: true });
  [acme, beta] = gw.brands as [string, string];
  const registry = (type: string, body: unknown) => gw.node.system.ask(REGISTRY_ADDRESS, type, { ...(body as object), by: { staffId: null, username: "test-setup" } });
  await registry("registerProvider", { code: provider, name: "Test Studio", dialect: "standard", allBrands: true });
  await registry("upsertGame", { provider, code: "slot-1", name: "Lucky Slot", category: "slots" });
  await registry("upsertGame", { provider, code: "live-1", name: "Live Baccarat", category: "live_casino" });
  await registry("setGameBrand", { provider, game: "live-1", brand: beta, enabled: false });
});
afterAll(() => gw.close());

describe("/api/v1/games happy", () => {
  test("the brand's enabled games, by provider", async () => {
    const all = await gw.call(acme, "GET", `/api/v1/games?provider=${provider}`);
    const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
    expect(all.body.items.sort(byCode)).toEqual([
      { provider, code: "live-1", name: "Live Baccarat", category: "live_casino" },
      { provider, code: "slot-1", name: "Lucky Slot", category: "slots" },
    ]);
    const beta = (await gw.call(gw.brands[1]!, "GET", `/api/v1/games?provider=${provider}`)).body.items.map((g: { code: string }) => g.code);
    expect(beta).toEqual(["slot-1"]);
  });

  test("a launch answers the game domain's session token and a launch URL", async () => {
    const p = await loggedIn(gw, acme);
    const launched = await gw.call(acme, "POST", "/api/v1/games/launch", { token: p.token, json: { provider, game: "slot-1" } });
    expect(launched.status).toBe(200);
    expect(launched.body.url).toBe(`/play/${provider}/slot-1?token=${encodeURIComponent(launched.body.token)}`);
    const check = await gw.games!.tokens.check(launched.body.token);
    expect(check).toMatchObject({ genuine: true, expired: false, claims: { brand: acme, player: p.playerId, provider, game: "slot-1" } });
  });
});

describe("/api/v1/games bad input", () => {
  test("unknown or malformed games are refused", async () => {
    const p = await loggedIn(gw, acme);
    expect((await gw.call(acme, "POST", "/api/v1/games/launch", { token: p.token, json: { provider, game: "nope" } })).status).toBe(404);
    expect((await gw.call(acme, "POST", "/api/v1/games/launch", { token: p.token, json: { provider, game: "x' OR 1=1" } })).status).toBe(400);
    expect((await gw.call(acme, "GET", "/api/v1/games?provider=BAD;--")).status).toBe(400);
  });
});

describe("/api/v1/games security", () => {
  test("no launch without a login, with another brand's token, or of a game off in this brand", async () => {
    const p = await loggedIn(gw, beta);
    expect((await gw.call(beta, "POST", "/api/v1/games/launch", { json: { provider, game: "slot-1" } })).status).toBe(401);
    expect((await gw.call(acme, "POST", "/api/v1/games/launch", { token: p.token, json: { provider, game: "slot-1" } })).status).toBe(403);
    expect(await gw.call(beta, "POST", "/api/v1/games/launch", { token: p.token, json: { provider, game: "live-1" } })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden" } },
    });
  });
});

describe("legacy /game/list", () => {
  test("answers the whole list, however many pages /api/v1/games takes", async () => {
    const many = `gm${crypto.randomUUID().slice(0, 8)}`;
    const registry = (type: string, body: unknown) => gw.node.system.ask(REGISTRY_ADDRESS, type, { ...(body as object), by: { staffId: null, username: "test-setup" } });
    await registry("registerProvider", { code: many, name: "Many Games", dialect: "standard", allBrands: true });
    // more games than one page of the twin holds (200)
    await Promise.all(Array.from({ length: 230 }, (_, i) => registry("upsertGame", { provider: many, code: `g-${i}`, name: `Game ${i}`, category: "slots" })));
    expect((await gw.call(acme, "GET", `/api/v1/games?provider=${many}`)).body.items).toHaveLength(50);
    const legacy = await gw.call(acme, "GET", `/game/list?vendor=${many}`);
    expect(legacy.body).toMatchObject({ result: 1 });
    expect(legacy.body.data.list).toHaveLength(230);
    expect(new Set(legacy.body.data.list.map((g: { game_id: string }) => g.game_id)).size).toBe(230);
  }, 30_000);
});
