import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

/**
 * The catalog actor and `admin@brand` audit what staff change in the same commit as the change
 * (an `audit.recorded` event identity records). A refused change leaves no row: events of one
 * brand arrive in order, so once a later change's row is there, a refused one would be too.
 */

type Row = { seq: string; username: string; staff_id: string | null; action: string; brand_id: string | null; target: string | null; before: any; after: any; ip: string | null };

let bo: BackOffice;
let owner: { token: string; username: string; staffId: string };

beforeAll(async () => {
  bo = await backOffice();
  owner = await bo.staff("owner", null);
}, 60_000);
afterAll(() => bo.close());

const rowsOf = (brand: string) =>
  bo.node.store.query<Row>("select seq, username, staff_id, action, brand_id, target, before, after, ip from audit_log where brand_id = $1 order by seq", [brand]);

/** The brand's audit rows once one with `action` (the `nth` of them) is there. */
async function afterRow(brand: string, action: string, nth = 1): Promise<Row[]> {
  return waitFor(
    async () => {
      const rows = await rowsOf(brand);
      return rows.filter((r) => r.action === action).length >= nth ? rows : undefined;
    },
    { what: `audit row ${action} #${nth} of ${brand}` },
  );
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await bo.admin(method, path, { token: owner.token, body });
  return { status: res.status, body: await res.json() };
}

/** A brand of the test's own, created by the owner through the admin edge and hosted here. */
async function newBrand(): Promise<string> {
  const id = uniqueBrand("aud");
  expect((await call("POST", "/api/v1/brands", { id, name: `Audited ${id}` })).status).toBe(201);
  await bo.hostBrand(id);
  return id;
}

describe("the catalog actor audits each change in its commit", () => {
  test("brand create: who, the brand as created; a refused second create leaves no row", async () => {
    const id = await newBrand();
    expect((await call("POST", "/api/v1/brands", { id, name: "Again" })).status).toBe(409);
    expect((await call("PATCH", `/api/v1/brands/${id}/config`, { timezone: "Asia/Seoul" })).status).toBe(200);
    const rows = await afterRow(id, "brand.configure");
    expect(rows.map((r) => r.action)).toEqual(["brand.create", "brand.configure"]);
    expect(rows[0]).toMatchObject({
      username: owner.username,
      staff_id: owner.staffId,
      brand_id: id,
      target: `brand:${id}`,
      after: { id, name: `Audited ${id}`, status: "active", config: {} },
    });
  });

  test("configure: the config before and after as the actor merged it; a refused patch leaves no row", async () => {
    const id = await newBrand();
    const b = `/api/v1/brands/${id}`;
    expect((await call("PATCH", `${b}/config`, { limits: { maxWithdrawal: 500_000 } })).status).toBe(200);
    expect((await call("PATCH", `${b}/config`, { limits: { minWithdrawal: 600_000 } })).status).toBe(400);
    expect((await call("PATCH", `${b}/config`, { limits: { minDeposit: 10_000 } })).status).toBe(200);
    const rows = (await afterRow(id, "brand.configure", 2)).filter((r) => r.action === "brand.configure");
    expect(rows.map((r) => [r.before, r.after])).toEqual([
      [{}, { limits: { maxWithdrawal: "500000" } }],
      [{ limits: { maxWithdrawal: "500000" } }, { limits: { maxWithdrawal: "500000", minDeposit: "10000" } }],
    ]);
  });

  test("disable and enable: the status before and after", async () => {
    const id = await newBrand();
    expect((await call("POST", `/api/v1/brands/${id}/disable`)).status).toBe(200);
    expect((await call("POST", `/api/v1/brands/${id}/enable`)).status).toBe(200);
    const rows = (await afterRow(id, "brand.enable")).slice(1);
    expect(rows).toEqual([
      expect.objectContaining({ action: "brand.disable", target: `brand:${id}`, before: { status: "active" }, after: { status: "disabled" } }),
      expect.objectContaining({ action: "brand.enable", before: { status: "disabled" }, after: { status: "active" } }),
    ]);
  });

  test("domains added and removed; a taken or unknown domain leaves no row", async () => {
    const id = await newBrand();
    const other = await newBrand();
    const host = `play.${id}.test`;
    const b = `/api/v1/brands/${id}`;
    expect((await call("POST", `${b}/domains`, { domain: host })).status).toBe(201);
    expect((await call("POST", `/api/v1/brands/${other}/domains`, { domain: host })).status).toBe(409);
    expect((await call("DELETE", `${b}/domains/none.${id}.test`)).status).toBe(404);
    expect((await call("DELETE", `${b}/domains/${host}`)).status).toBe(200);
    const rows = (await afterRow(id, "brand.remove_domain")).slice(1);
    expect(rows).toEqual([
      expect.objectContaining({ action: "brand.add_domain", target: `domain:${host}`, before: [], after: [{ domain: host, surface: "gateway" }] }),
      expect.objectContaining({ action: "brand.remove_domain", target: `domain:${host}`, before: [{ domain: host, surface: "gateway" }], after: [] }),
    ]);
    // the other brand's refused add left nothing behind it either
    await afterRow(other, "brand.create");
    expect((await rowsOf(other)).map((r) => r.action)).toEqual(["brand.create"]);
  });

  test("agents allowed and disallowed: the brand's allow-list before and after", async () => {
    const id = await newBrand();
    const b = `/api/v1/brands/${id}`;
    expect((await call("POST", `${b}/agents`, { agentId: "agent-7" })).status).toBe(201);
    expect((await call("DELETE", `${b}/agents/agent-7`)).status).toBe(200);
    const rows = (await afterRow(id, "brand.disallow_agent")).slice(1);
    expect(rows).toEqual([
      expect.objectContaining({ action: "brand.allow_agent", target: "agent:agent-7", before: [], after: ["agent-7"] }),
      expect.objectContaining({ action: "brand.disallow_agent", target: "agent:agent-7", before: ["agent-7"], after: [] }),
    ]);
  });
});

describe("admin@brand audits notes and alarm acknowledgements in its commit", () => {
  test("a player note: its author and text; a note without a staff author is refused by the actor and leaves no row", async () => {
    const brand = await newBrand();
    const n = crypto.randomUUID().slice(0, 6);
    const registered = await registerPlayer(
      { players: bo.edge.clients.player(brand), credentials: bo.edge.credentials },
      {
        username: `note_${n}`,
        password: "correct horse 1",
        nickname: `note${n}`,
        phone: "010-1234-5678",
        bank: { name: "Kookmin", account: "123-456-7890", holder: "Hong Gildong" },
      },
    );
    if (!registered.ok) throw new Error(registered.error.message);
    const playerId = registered.value.id;
    const admin = bo.edge.clients.admin(brand);
    expect(await admin.addPlayerNote({ playerId, body: "no author", by: { staffId: null, username: "operator" } })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    expect(await admin.addPlayerNote({ playerId, body: "nul\u0000byte", by: { staffId: owner.staffId, username: owner.username } })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    const written = await call("POST", `/api/v1/brands/${brand}/players/${playerId}/notes`, { body: "called about a late deposit" });
    expect(written.status).toBe(201);
    const rows = (await afterRow(brand, "player.note")).slice(1);
    expect(rows).toEqual([
      expect.objectContaining({
        action: "player.note",
        username: owner.username,
        target: `player:${playerId}`,
        after: expect.objectContaining({ body: "called about a late deposit", username: owner.username, staffId: owner.staffId }),
      }),
    ]);
  });

  test("acknowledging alarms: audited when it clears any; a redelivered acknowledgement answers its first reply and audits once", async () => {
    const brand = await newBrand();
    const alarm = () => bo.node.events.publish([{ id: crypto.randomUUID(), type: "wallet.reconciliation_mismatch", brand, at: Date.now(), payload: {} }]);
    const alarms = async () => (await call("GET", `/api/v1/brands/${brand}/top-info`)).body.counters.reconciliationAlarms as number;
    await alarm();
    await waitFor(async () => (await alarms()) === 1, { what: "the alarm to count" });
    expect((await call("POST", `/api/v1/brands/${brand}/top-info/alarms/acknowledge`)).body).toEqual({ cleared: 1 });
    // nothing left to clear: answered, not audited
    expect((await call("POST", `/api/v1/brands/${brand}/top-info/alarms/acknowledge`)).body).toEqual({ cleared: 0 });

    await alarm();
    await waitFor(async () => (await alarms()) === 1, { what: "the second alarm to count" });
    const messageId = crypto.randomUUID();
    const by = { staffId: owner.staffId, username: owner.username };
    const admin = bo.edge.clients.admin(brand);
    expect(await admin.acknowledgeAlarms({ by }, { id: messageId })).toEqual({ ok: true, value: { cleared: 1 } });
    expect(await admin.acknowledgeAlarms({ by }, { id: messageId })).toEqual({ ok: true, value: { cleared: 1 } });
    expect((await call("PATCH", `/api/v1/brands/${brand}/config`, { timezone: "UTC" })).status).toBe(200);
    const rows = (await afterRow(brand, "brand.configure")).filter((r) => r.action === "top_info.acknowledge_alarms");
    expect(rows).toEqual([
      expect.objectContaining({ username: owner.username, target: `brand:${brand}`, before: { reconciliationAlarms: 1 }, after: { cleared: 1 } }),
      expect.objectContaining({ username: owner.username, after: { cleared: 1 } }),
    ]);
  });
});
