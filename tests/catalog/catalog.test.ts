import { describe, expect, test } from "bun:test";
import { BrandCatalog, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import { testStore, uniqueBrand } from "../support/services.ts";

describe("BrandCatalog", () => {
  test("creates a brand with domains, resolves hosts, and sees changes from another node", async () => {
    const store = await testStore();
    const changes = new LocalCatalogChanges();
    const a = new BrandCatalog(store, changes);
    const b = new BrandCatalog(store, changes);
    await a.start();
    await b.start();
    const id = uniqueBrand("cat");
    await a.create({ id, name: "Acme", domains: [{ domain: `play.${id}.test`, surface: "gateway" }] });
    expect(b.byHost(`PLAY.${id}.test:8080`)?.brand.id).toBe(id);
    expect(b.get(id)).toMatchObject({ currency: "KRW", status: "active" });

    await a.configure(id, { maxWithdrawal: 1000000, feature: { coupons: true } });
    expect(b.get(id)?.config).toMatchObject({ maxWithdrawal: 1000000 });
    expect(b.get(id)?.configVersion).toBe(2);

    await a.setStatus(id, "disabled");
    expect(b.get(id)?.status).toBe("disabled");
    await a.stop();
    await b.stop();
  });

  test("refuses bad ids, a taken domain and a duplicate brand", async () => {
    const store = await testStore();
    const catalog = new BrandCatalog(store, new LocalCatalogChanges());
    await catalog.start();
    const id = uniqueBrand("cat");
    await expect(catalog.create({ id: "../etc", name: "x" })).rejects.toThrow();
    await catalog.create({ id, name: "One", domains: [{ domain: `${id}.test` }] });
    await expect(catalog.create({ id, name: "Again" })).rejects.toThrow("already exists");
    const other = uniqueBrand("cat");
    await expect(catalog.create({ id: other, name: "Two", domains: [{ domain: `${id}.test` }] })).rejects.toThrow("already belongs");
    expect(catalog.get(other)).toBeUndefined();
    await catalog.stop();
  });

  test("agent allow-list", async () => {
    const store = await testStore();
    const catalog = new BrandCatalog(store, new LocalCatalogChanges());
    await catalog.start();
    const id = uniqueBrand("cat");
    await catalog.create({ id, name: "Allow" });
    const agent = `agent-${id}`;
    await catalog.allowAgent(agent, id);
    expect(await catalog.agentBrands(agent)).toEqual([id]);
    await catalog.disallowAgent(agent, id);
    expect(await catalog.agentBrands(agent)).toEqual([]);
    await catalog.stop();
  });
});
