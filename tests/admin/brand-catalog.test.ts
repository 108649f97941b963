import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { BrandCatalog, catalogKind, RedisCatalogChanges } from "../../actors/catalog/index.ts";
import { REGISTRY_ADDRESS } from "../../actors/game/index.ts";
import { ActorSystem, createLogger, MemoryTransport } from "../../actors/runtime/index.ts";
import { createEdges, type EdgeRouteMount } from "../../edges/index.ts";
import type { EdgeEnv } from "../../edges/shared/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { redisTest, testStore, uniqueBrand, waitFor } from "../support/services.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

/** What the gateway's brand resolution hands its routes. */
const probe: EdgeRouteMount = {
  edge: "gateway",
  prefix: "",
  routes: () => new Hono<EdgeEnv>().get("/probe", (c) => c.json({ brand: c.var.brand?.id, config: c.var.brand?.config, configVersion: c.var.brand?.configVersion })),
};

let bo: BackOffice;
let owner: string;
beforeAll(async () => {
  bo = await backOffice({ mounts: [probe] });
  owner = (await bo.staff("owner", null)).token;
}, 60_000);
afterAll(() => bo.close());

const gateway = (host: string) => bo.apps.gateway.request("/probe", { headers: { host } });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const json = async (res: Response) => (await res.json()) as any;

/** A brand of the test's own, with a gateway host, hosted on the back office's node. */
async function newBrand(): Promise<{ id: string; host: string }> {
  const id = uniqueBrand("bc");
  const host = `play.${id}.test`;
  const res = await bo.admin("POST", "/api/v1/brands", { token: owner, body: { id, name: `Brand ${id}`, domains: [{ domain: host }] } });
  expect(res.status).toBe(201);
  await bo.hostBrand(id);
  return { id, host };
}

describe("brand changes reach the gateway's brand resolution without a restart", () => {
  test("a new domain resolves, a config change is seen, disabling and enabling take effect", async () => {
    const [a] = bo.brands;
    const host = `play.${a}.test`;
    expect((await errorOf(await gateway(host))).code).toBe("brand_not_found");

    expect((await bo.admin("POST", `/api/v1/brands/${a}/domains`, { token: owner, body: { domain: host } })).status).toBe(201);
    expect(await (await gateway(host)).json()).toMatchObject({ brand: a });

    const version = ((await (await gateway(host)).json()) as { configVersion: number }).configVersion;
    expect((await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body: { timezone: "Asia/Seoul", withdrawal: { blockedWhileRolling: true } } })).status).toBe(200);
    expect(await (await gateway(host)).json()).toEqual({ brand: a, config: { timezone: "Asia/Seoul", withdrawal: { blockedWhileRolling: true } }, configVersion: version + 1 });

    expect((await bo.admin("POST", `/api/v1/brands/${a}/disable`, { token: owner })).status).toBe(200);
    const disabled = await gateway(host);
    expect(disabled.status).toBe(403);
    expect((await errorOf(disabled)).code).toBe("brand_disabled");
    expect((await bo.admin("POST", `/api/v1/brands/${a}/enable`, { token: owner })).status).toBe(200);
    expect((await gateway(host)).status).toBe(200);
  });

  test("/internal/meta answers pages of brands and allow-lists to service callers only", async () => {
    const [a] = bo.brands;
    const agent = `agent-${crypto.randomUUID().slice(0, 8)}`;
    await bo.admin("POST", `/api/v1/brands/${a}/agents`, { token: owner, body: { agentId: agent } });
    const meta = (path: string, token?: string) => bo.apps.internal.request(`/internal/meta${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await meta("/brands")).status).toBe(401);
    expect((await meta("/brands", owner)).status).toBe(401);
    const service = bo.node.config.secrets.service;
    const list = await json(await meta("/brands?limit=200", service));
    expect(list.items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining(bo.brands));
    const first = await json(await meta("/brands?limit=1", service));
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe("1");
    expect((await json(await meta(`/brands?limit=1&cursor=${first.nextCursor}`, service))).items[0].id).not.toBe(first.items[0].id);
    expect(await json(await meta(`/brands/${a}/config`, service))).toMatchObject({ brand: a, currency: "KRW", status: "active" });
    expect(await json(await meta(`/brands/${a}/agents`, service))).toEqual({ items: [agent], nextCursor: null });
    expect(await json(await meta(`/agents/${agent}/brands`, service))).toEqual({ items: [a], nextCursor: null });
    expect((await meta("/brands/no-such-brand", service)).status).toBe(404);
    expect((await meta("/brands?cursor=99999999999999999999", service)).status).toBe(400);
    expect((await meta("/agents/bad%20agent/brands", service)).status).toBe(400);
  });
});

describe("brand settings either act or are refused", () => {
  test("bad configuration is refused whole, naming the field; keys nothing reads are unknown", async () => {
    const [a] = bo.brands;
    const refused = [
      { timezone: "Mars/Olympus" },
      { limits: { maxDeposit: -1 } },
      { limits: { maxDeposit: "99999999999999999999" } },
      { withdrawl: {} },
      { features: { coupons: true } },
      { rolling: { categoryRates: { "bad category": 0.5 } } },
      {},
      { gameLaunchUrl: "javascript:alert(1)//{token}" },
      { gameLaunchUrl: "http://games.example/{token}" },
      { gameLaunchUrl: "//evil.example/{provider}/{token}" },
      { gameLaunchUrl: "https://games.example/{game}" },
      { gameLaunchUrl: "https://games.example/{token}/{player}" },
      { gameLaunchUrl: "https://user:pass@games.example/{token}" },
      { gameLaunchUrl: "/play/{game}?token={token}\u0000" },
      { gameLaunchUrl: "/play/{game} ?token={token}" },
      { gameLaunchUrl: `/play/${"x".repeat(500)}?token={token}` },
    ];
    for (const body of refused) {
      const res = await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body });
      expect({ body, status: res.status, code: (await errorOf(res)).code }).toEqual({ body, status: 400, code: "validation_failed" });
    }
    // the pair is checked after the merge, by the catalog actor
    expect((await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body: { limits: { minWithdrawal: 5000, maxWithdrawal: 9000 } } })).status).toBe(200);
    const crossed = await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body: { limits: { maxWithdrawal: 1000 } } });
    expect(crossed.status).toBe(400);
    expect(await errorOf(crossed)).toEqual({ code: "validation_failed", message: "limits.minWithdrawal: must not exceed limits.maxWithdrawal (1000)" });
    expect((await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body: { limits: null } })).status).toBe(200);
  });

  test("gameLaunchUrl is settable, and a launch on the gateway opens it", async () => {
    const { id, host } = await newBrand();
    const provider = `gl${crypto.randomUUID().slice(0, 8)}`;
    const registry = (type: string, body: Record<string, unknown>) => bo.node.system.ask(REGISTRY_ADDRESS, type, { ...body, by: TEST_SETUP });
    await registry("registerProvider", { code: provider, name: "Launch Studio", dialect: "standard", allBrands: true });
    await registry("upsertGame", { provider, code: "slot-9", name: "Slot Nine", category: "slots" });
    const template = "https://games.example/{provider}/{game}?session={token}";
    const set = await bo.admin("PATCH", `/api/v1/brands/${id}/config`, { token: owner, body: { gameLaunchUrl: template } });
    expect(set.status).toBe(200);
    expect((await json(set)).config).toEqual({ gameLaunchUrl: template });

    const player = { username: `gl_${crypto.randomUUID().slice(0, 8)}`, password: "pass word 123", nickname: `n${crypto.randomUUID().slice(0, 8)}`, phone: "010-1111-2222" };
    const call = (path: string, body: unknown, token?: string) =>
      bo.apps.gateway.request(path, {
        method: "POST",
        headers: { host, "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await call("/api/v1/auth/register", { ...player, bank: { name: "Shinhan", account: "110-222-333444", holder: "Kim" } })).status).toBe(201);
    const { accessToken } = await json(await call("/api/v1/auth/login", { username: player.username, password: player.password }));
    const launched = await json(await call("/api/v1/games/launch", { provider, game: "slot-9" }, accessToken));
    expect(launched.url).toBe(`https://games.example/${provider}/slot-9?session=${encodeURIComponent(launched.token)}`);
  });
});

describe("lists answer pages", () => {
  test("GET /brands and a brand's agents page with ?cursor=&limit=", async () => {
    const { id } = await newBrand();
    for (const agent of ["agent-a", "agent-b", "agent-c"])
      expect((await bo.admin("POST", `/api/v1/brands/${id}/agents`, { token: owner, body: { agentId: agent } })).status).toBe(201);
    const first = await json(await bo.admin("GET", `/api/v1/brands/${id}/agents?limit=2`, { token: owner }));
    expect(first).toEqual({ items: ["agent-a", "agent-b"], nextCursor: "2" });
    expect(await json(await bo.admin("GET", `/api/v1/brands/${id}/agents?limit=2&cursor=2`, { token: owner }))).toEqual({ items: ["agent-c"], nextCursor: null });
    const brands = await json(await bo.admin("GET", "/api/v1/brands?limit=1", { token: owner }));
    expect(brands.items).toHaveLength(1);
    expect(brands.nextCursor).toBe("1");
    for (const query of ["limit=0", "limit=201", "cursor=-1", "cursor=9223372036854775808"]) {
      expect((await bo.admin("GET", `/api/v1/brands?${query}`, { token: owner })).status).toBe(400);
    }
  });

  test("hostile path and body values are refused with 400, never reaching the catalog", async () => {
    const [a] = bo.brands;
    const cases: [string, string, unknown?][] = [
      ["DELETE", `/api/v1/brands/${a}/domains/bad..host`],
      ["DELETE", `/api/v1/brands/${a}/agents/${encodeURIComponent("agent\u0000x")}`],
      ["POST", `/api/v1/brands/${a}/agents`, { agentId: "x".repeat(101) }],
      ["POST", `/api/v1/brands/${a}/domains`, { domain: "play.example.test", surface: "casino" }],
      ["POST", "/api/v1/brands", { id: uniqueBrand("bc"), name: "Tab\tCasino" }],
      ["POST", "/api/v1/brands", { id: uniqueBrand("bc"), name: "Ok", domains: Array.from({ length: 21 }, (_, i) => ({ domain: `d${i}.example.test` })) }],
    ];
    for (const [method, path, body] of cases) {
      const res = await bo.admin(method, path, { token: owner, body });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });
});

describe("across nodes", () => {
  redisTest("a change made through one node's catalog actor reaches another node's gateway", async (url) => {
    const store = await testStore();
    const channel = `catalog:test:${crypto.randomUUID()}`;
    const [changesA, changesB] = [new RedisCatalogChanges(url, channel), new RedisCatalogChanges(url, channel)];
    const [nodeA, nodeB] = [new BrandCatalog(store, changesA), new BrandCatalog(store, changesB)];
    await nodeA.start();
    await nodeB.start();
    const system = new ActorSystem({
      transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 1000 }),
      nodeId: `a-${crypto.randomUUID().slice(0, 6)}`,
      log: createLogger("silent"),
      supervision: { backoffMs: 1, maxBackoffMs: 10, intensity: 5, periodMs: 60_000 },
      askTimeoutMs: 5000,
      maxQueued: 100,
      idleMs: 60_000,
    }).register(catalogKind({ store, catalog: nodeA }));
    await system.start();
    await system.host("catalog", null);
    const gatewayB = createEdges({ ...bo.edge, brands: nodeB }, [probe]).gateway;
    try {
      const [, b] = bo.brands;
      const host = `far.${b}.test`;
      expect((await system.askOutcome("catalog", "addDomain", { brand: b, domain: host, by: TEST_SETUP })).ok).toBe(true);
      const res = await waitFor(
        async () => {
          const r = await gatewayB.request("/probe", { headers: { host } });
          return r.status === 200 ? r : undefined;
        },
        { what: "node B to resolve the new host" },
      );
      expect(await res.json()).toMatchObject({ brand: b });
    } finally {
      await system.drain();
      await nodeA.stop();
      await nodeB.stop();
      await changesA.close();
      await changesB.close();
    }
  });
});
