import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BrandCatalog, type CatalogClient, catalogClient, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import { AUDIT_RECORDED } from "../../actors/identity/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand } from "../support/services.ts";

/** Catalog notices whose next `failures` publishes throw, as a Redis outage right after a commit would. */
class FlakyChanges extends LocalCatalogChanges {
  failures = 0;
  published = 0;
  override async publish() {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("the change notice could not be sent");
    }
    this.published += 1;
    await super.publish();
  }
}

const changes = new FlakyChanges();
let node: TestNode;
let catalog: CatalogClient;
/** another node's copy of the catalog, following the same change notices */
let other: BrandCatalog;

beforeAll(async () => {
  node = await testNodeContext({ catalogChanges: changes, env: { RESTART_BACKOFF_MS: "1" } });
  catalog = catalogClient(node.system);
  other = new BrandCatalog(node.store, changes);
  await other.start();
});
afterAll(async () => {
  await other.stop();
  await node.close();
});

const by = TEST_SETUP;
const auditEventsOf = (brand: string) =>
  node.store.query<{ type: string; payload: { action: string; by: { username: string }; before?: unknown; after?: unknown } }>(
    "select type, payload from outbox where brand_id = $1 order by seq",
    [brand],
  );

describe("the catalog actor, the one writer of the brand catalog", () => {
  test("creates a brand with domains and changes it; another node's copy follows each change", async () => {
    const id = uniqueBrand("cat");
    const created = expectOk(await catalog.createBrand({ id, name: "Acme", domains: [{ domain: `play.${id}.test`, surface: "gateway" }], by }));
    expect(created).toMatchObject({ id, currency: "KRW", status: "active", configVersion: 1, domains: [{ domain: `play.${id}.test`, surface: "gateway" }] });
    expect(other.byHost(`PLAY.${id}.test:8080`)?.brand.id).toBe(id);

    const configured = expectOk(await catalog.configureBrand({ brand: id, patch: { limits: { maxWithdrawal: 1_000_000 }, timezone: "Asia/Seoul" }, by }));
    expect(configured.config).toEqual({ limits: { maxWithdrawal: "1000000" }, timezone: "Asia/Seoul" });
    expect(other.get(id)).toMatchObject({ config: configured.config, configVersion: 2 });
    // a section patch keeps the section's other keys; null removes a key, and a section left empty
    expectOk(await catalog.configureBrand({ brand: id, patch: { limits: { minDeposit: "5000" } }, by }));
    expect(other.get(id)?.config.limits).toEqual({ maxWithdrawal: "1000000", minDeposit: "5000" });
    expectOk(await catalog.configureBrand({ brand: id, patch: { limits: { maxWithdrawal: null, minDeposit: null }, timezone: null }, by }));
    expect(other.get(id)).toMatchObject({ config: {}, configVersion: 4 });

    expectOk(await catalog.setBrandStatus({ brand: id, status: "disabled", by }));
    expect(other.get(id)?.status).toBe("disabled");
  });

  test("refuses a bad id, a duplicate brand, a taken domain and an inconsistent config, writing nothing", async () => {
    expect(await catalog.createBrand({ id: "../etc", name: "x", by })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const id = uniqueBrand("cat");
    expectOk(await catalog.createBrand({ id, name: "One", domains: [{ domain: `${id}.test` }], by }));
    expect(await catalog.createBrand({ id, name: "Again", by })).toMatchObject({ ok: false, error: { code: "conflict", message: `brand ${id} already exists` } });
    const otherId = uniqueBrand("cat");
    const taken = await catalog.createBrand({ id: otherId, name: "Two", domains: [{ domain: `${id}.test` }], by });
    expect(taken).toMatchObject({ ok: false, error: { code: "conflict", message: `domain ${id}.test already belongs to brand ${id}` } });
    expect(other.get(otherId)).toBeUndefined();
    expect(await node.store.query("select 1 from brands where id = $1", [otherId])).toHaveLength(0);

    expectOk(await catalog.configureBrand({ brand: id, patch: { limits: { maxDeposit: 10_000 } }, by }));
    const inconsistent = await catalog.configureBrand({ brand: id, patch: { limits: { minDeposit: 20_000 } }, by });
    expect(inconsistent).toMatchObject({ ok: false, error: { code: "validation_failed", message: "limits.minDeposit: must not exceed limits.maxDeposit (10000)" } });
    expect(other.get(id)).toMatchObject({ config: { limits: { maxDeposit: "10000" } }, configVersion: 2 });
    expect(await catalog.configureBrand({ brand: uniqueBrand("none"), patch: { timezone: "UTC" }, by })).toMatchObject({ ok: false, error: { code: "brand_not_found" } });
    // what an edge would refuse, the actor refuses too
    expect(await catalog.configureBrand({ brand: id, patch: { features: { coupons: true } } as never, by })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await catalog.createBrand({ id: uniqueBrand("cat"), name: "Nul\u0000Casino", by })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
  });

  test("the agent allow-list", async () => {
    const id = uniqueBrand("cat");
    expectOk(await catalog.createBrand({ id, name: "Allow", by }));
    const agent = `agent-${id}`;
    expect(expectOk(await catalog.allowAgent({ brand: id, agentId: agent, by }))).toEqual({ agentId: agent, brands: [id], agents: [agent] });
    expect(other.agentBrands(agent)).toEqual([id]);
    expect(other.agentsOf(id)).toEqual([agent]);
    expect(expectOk(await catalog.disallowAgent({ brand: id, agentId: agent, by }))).toEqual({ agentId: agent, brands: [], agents: [] });
    expect(other.agentBrands(agent)).toEqual([]);
  });

  test("each change writes its audit event in its own commit; a refusal writes none", async () => {
    const id = uniqueBrand("cat");
    const kim = { staffId: "s-1", username: "kim", ip: "10.0.0.7" };
    expectOk(await catalog.createBrand({ id, name: "Audited", by: kim }));
    expect((await catalog.addDomain({ brand: id, domain: "bad..host", by: kim })).ok).toBe(false);
    expect((await catalog.removeDomain({ brand: id, domain: `none.${id}.test`, by: kim })).ok).toBe(false);
    expectOk(await catalog.setBrandStatus({ brand: id, status: "disabled", by: kim }));
    const events = await auditEventsOf(id);
    expect(events.map((e) => [e.type, e.payload.action, e.payload.by.username])).toEqual([
      [AUDIT_RECORDED, "brand.create", "kim"],
      [AUDIT_RECORDED, "brand.disable", "kim"],
    ]);
    expect(events[1]!.payload).toMatchObject({ before: { status: "active" }, after: { status: "disabled" }, by: kim });
  });

  test("a message delivered again after its change committed gets the first reply, not a conflict", async () => {
    const id = uniqueBrand("cat");
    const messageId = crypto.randomUUID();
    const body = { id, name: "Crash after commit", by };
    // the turn commits, then its change notice fails: the actor crashes before it answers, and
    // the runtime delivers the same message to its restarted successor
    changes.failures = 1;
    const first = await catalog.createBrand(body, { id: messageId, timeoutMs: 10_000 });
    expect(first).toMatchObject({ ok: true, value: { id, name: "Crash after commit" } });
    expect(changes.failures).toBe(0);
    const again = await catalog.createBrand(body, { id: messageId });
    expect(again).toEqual(first);
    // the successor announced on activation, so every copy has the brand the crashed turn committed
    expect(other.get(id)?.name).toBe("Crash after commit");
    expect(await auditEventsOf(id)).toHaveLength(1);
    // a new message for the same brand is a new command, and refused
    expect(await catalog.createBrand(body)).toMatchObject({ ok: false, error: { code: "conflict" } });
  });
});
