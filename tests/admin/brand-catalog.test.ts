import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { catalogKind } from "../../actors/catalog/index.ts";
import { BrandCatalog, RedisCatalogChanges } from "../../actors/catalog/index.ts";
import { ActorSystem, MemoryTransport, createLogger } from "../../actors/runtime/index.ts";
import { createEdges, type EdgeRouteMount } from "../../edges/index.ts";
import type { EdgeEnv } from "../../edges/shared/index.ts";
import { redisTest, testStore, waitFor } from "../support/services.ts";
import { backOffice, type BackOffice } from "./back-office-fixture.ts";

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
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("brand changes reach the gateway's brand resolution without a restart", () => {
  test("a new domain resolves, a config change is seen, disabling and enabling take effect", async () => {
    const [a] = bo.brands;
    const host = `play.${a}.test`;
    expect(await errorCode(await gateway(host))).toBe("brand_not_found");

    expect((await bo.admin("POST", `/api/v1/brands/${a}/domains`, { token: owner, body: { domain: host } })).status).toBe(201);
    expect(await (await gateway(host)).json()).toMatchObject({ brand: a });

    const version = ((await (await gateway(host)).json()) as { configVersion: number }).configVersion;
    expect((await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body: { timezone: "Asia/Seoul", withdrawal: { blockedWhileRolling: true } } })).status).toBe(200);
    expect(await (await gateway(host)).json()).toEqual({ brand: a, config: { timezone: "Asia/Seoul", withdrawal: { blockedWhileRolling: true } }, configVersion: version + 1 });

    expect((await bo.admin("POST", `/api/v1/brands/${a}/disable`, { token: owner })).status).toBe(200);
    const disabled = await gateway(host);
    expect(disabled.status).toBe(403);
    expect(await errorCode(disabled)).toBe("brand_disabled");
    expect((await bo.admin("POST", `/api/v1/brands/${a}/enable`, { token: owner })).status).toBe(200);
    expect((await gateway(host)).status).toBe(200);
  });

  test("bad configuration is refused whole, naming the field", async () => {
    const [a] = bo.brands;
    for (const body of [{ timezone: "Mars/Olympus" }, { limits: { maxDeposit: -1 } }, { withdrawl: {} }, {}]) {
      const res = await bo.admin("PATCH", `/api/v1/brands/${a}/config`, { token: owner, body });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
  });

  test("/internal/meta answers the brand list, a brand's config and the allow-list to service callers only", async () => {
    const [a] = bo.brands;
    const agent = `agent-${crypto.randomUUID().slice(0, 8)}`;
    await bo.admin("POST", `/api/v1/brands/${a}/agents`, { token: owner, body: { agentId: agent } });
    const meta = (path: string, token?: string) => bo.apps.internal.request(`/internal/meta${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await meta("/brands")).status).toBe(401);
    expect((await meta("/brands", owner)).status).toBe(401);
    const service = bo.node.config.secrets.service;
    const list = (await (await meta("/brands", service)).json()) as { items: { id: string }[] };
    expect(list.items.map((b) => b.id)).toEqual(expect.arrayContaining(bo.brands));
    expect(await (await meta(`/brands/${a}/config`, service)).json()).toMatchObject({ brand: a, currency: "KRW", status: "active" });
    expect(await (await meta(`/brands/${a}/agents`, service)).json()).toEqual({ brand: a, agents: [agent] });
    expect(await (await meta(`/agents/${agent}/brands`, service)).json()).toEqual({ agentId: agent, brands: [a] });
    expect((await meta("/brands/no-such-brand", service)).status).toBe(404);
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
    }).register(catalogKind(store, nodeA));
    await system.start();
    await system.host("catalog", null);
    const gatewayB = createEdges({ ...bo.edge, brands: nodeB }, [probe]).gateway;
    try {
      const [, b] = bo.brands;
      const host = `far.${b}.test`;
      expect((await system.askOutcome("catalog", "addDomain", { brand: b, domain: host })).ok).toBe(true);
      const res = await waitFor(async () => {
        const r = await gatewayB.request("/probe", { headers: { host } });
        return r.status === 200 ? r : undefined;
      }, { what: "node B to resolve the new host" });
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
