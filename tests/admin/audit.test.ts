import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { backOffice, type BackOffice } from "./back-office-fixture.ts";

type Audit = { seq: string; username: string; action: string; brand: string | null; target: string | null; before: any; after: any };

let bo: BackOffice;
let owner: { token: string; username: string; staffId: string };
let brand: string;
let playerId: string;

beforeAll(async () => {
  bo = await backOffice();
  brand = bo.brands[0];
  owner = await bo.staff("owner", null);
  const n = crypto.randomUUID().slice(0, 6);
  const registered = await registerPlayer(bo.edge.clients.player(brand), {
    username: `user_${n}`,
    password: "correct horse 1",
    nickname: `nick${n}`,
    phone: "010-1234-5678",
    bank: { name: "Kookmin", account: "123-456-7890", holder: "Hong Gildong" },
  });
  if (!registered.ok) throw new Error(registered.error.message);
  playerId = registered.value.id;
}, 60_000);
afterAll(() => bo.close());

async function call(method: string, path: string, body?: unknown, expected = [200, 201]) {
  const res = await bo.admin(method, path, { token: owner.token, body });
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text);
}

async function latestAudit(): Promise<Audit[]> {
  // this owner's rows only: other tests may write audit rows to the same store meanwhile
  return ((await call("GET", `/api/v1/audit?limit=500&staffId=${owner.staffId}`)) as { items: Audit[] }).items;
}

/** Run a change and return the audit rows it added (newest first). */
async function change(method: string, path: string, body?: unknown): Promise<{ reply: any; rows: Audit[] }> {
  const before = (await latestAudit())[0]?.seq ?? "0";
  const reply = await call(method, path, body);
  const rows = (await latestAudit()).filter((r) => BigInt(r.seq) > BigInt(before));
  return { reply, rows };
}

describe("every back-office change writes one audit row: who, what, which brand, before and after", () => {
  test("brand configuration, domains and the agent allow-list", async () => {
    const b = `/api/v1/brands/${brand}`;
    let { rows } = await change("PATCH", `${b}/config`, { limits: { maxWithdrawal: 500_000 }, features: { coupons: true } });
    expect(rows).toEqual([expect.objectContaining({ username: owner.username, action: "brand.configure", brand, target: `brand:${brand}`, before: {}, after: { limits: { maxWithdrawal: "500000" }, features: { coupons: true } } })]);
    ({ rows } = await change("PATCH", `${b}/config`, { limits: { minDeposit: 10_000 } }));
    expect(rows[0]!.after).toEqual({ limits: { maxWithdrawal: "500000", minDeposit: "10000" }, features: { coupons: true } });
    ({ rows } = await change("POST", `${b}/domains`, { domain: `play.${brand}.test` }));
    expect(rows).toEqual([expect.objectContaining({ action: "brand.add_domain", brand, before: [], after: [{ domain: `play.${brand}.test`, surface: "gateway" }] })]);
    ({ rows } = await change("POST", `${b}/agents`, { agentId: "agent-7" }));
    expect(rows).toEqual([expect.objectContaining({ action: "brand.allow_agent", target: "agent:agent-7", before: [], after: ["agent-7"] })]);
    ({ rows } = await change("DELETE", `${b}/agents/agent-7`));
    expect(rows).toEqual([expect.objectContaining({ action: "brand.disallow_agent", before: ["agent-7"], after: [] })]);
    ({ rows } = await change("DELETE", `${b}/domains/play.${brand}.test`));
    expect(rows).toEqual([expect.objectContaining({ action: "brand.remove_domain", after: [] })]);
  });

  test("players: suspend, reinstate, password reset, notes, messages, inquiry replies", async () => {
    const p = `/api/v1/brands/${brand}/players/${playerId}`;
    let { rows, reply } = await change("POST", `${p}/suspend`, { reason: "chargeback" });
    expect(reply.status).toBe("suspended");
    expect(rows).toEqual([expect.objectContaining({ action: "player.suspend", target: `player:${playerId}`, before: { status: "active" }, after: { status: "suspended", reason: "chargeback" } })]);
    ({ rows } = await change("POST", `${p}/reinstate`));
    expect(rows).toEqual([expect.objectContaining({ action: "player.reinstate", before: { status: "suspended" }, after: { status: "active" } })]);
    ({ rows, reply } = await change("POST", `${p}/reset-password`));
    expect(reply.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(rows).toEqual([expect.objectContaining({ action: "player.reset_password" })]);
    expect(JSON.stringify(rows)).not.toContain(reply.temporaryPassword);
    ({ rows } = await change("POST", `${p}/notes`, { body: "called about a late deposit" }));
    expect(rows).toEqual([expect.objectContaining({ action: "player.note", after: expect.objectContaining({ body: "called about a late deposit", username: owner.username }) })]);
    expect((await call("GET", p)).notes).toEqual([expect.objectContaining({ body: "called about a late deposit" })]);
    ({ rows } = await change("POST", `${p}/messages`, { title: "Hello", body: "Your deposit is in." }));
    expect(rows).toEqual([expect.objectContaining({ action: "player.message", after: expect.objectContaining({ title: "Hello" }) })]);
    ({ rows } = await change("POST", `/api/v1/brands/${brand}/messages`, { title: "Maintenance", body: "Tonight at 2am." }));
    expect(rows).toEqual([expect.objectContaining({ action: "player.broadcast" })]);

    const inquiry = await bo.node.system.ask<{ id: number }>(`player@${brand}`, "createInquiry", { playerId, title: "Where is my deposit", body: "I sent 30000" });
    ({ rows } = await change("POST", `/api/v1/brands/${brand}/inquiries/${inquiry.id}/reply`, { body: "It is credited now." }));
    expect(rows).toEqual([expect.objectContaining({ action: "inquiry.reply", target: `inquiry:${inquiry.id}`, after: { status: "answered", body: "It is credited now." } })]);
  });

  test("notices, banners and site settings", async () => {
    const b = `/api/v1/brands/${brand}`;
    let { rows, reply } = await change("POST", `${b}/notices`, { title: "Welcome", body: "Hi" });
    expect(rows).toEqual([expect.objectContaining({ action: "content.create", target: `notice:${reply.id}`, after: expect.objectContaining({ title: "Welcome" }) })]);
    ({ rows } = await change("PUT", `${b}/notices/${reply.id}`, { title: "Welcome!", body: "Hi" }));
    expect(rows).toEqual([expect.objectContaining({ action: "content.update", before: expect.objectContaining({ title: "Welcome" }), after: expect.objectContaining({ title: "Welcome!" }) })]);
    ({ rows } = await change("DELETE", `${b}/notices/${reply.id}`));
    expect(rows).toEqual([expect.objectContaining({ action: "content.delete", before: expect.objectContaining({ title: "Welcome!" }) })]);
    ({ rows } = await change("POST", `${b}/banners`, { title: "Promo", imageUrl: "https://cdn.example/p.png" }));
    expect(rows).toEqual([expect.objectContaining({ action: "content.create", target: expect.stringMatching(/^banner:\d+$/) })]);
    ({ rows } = await change("PUT", `${b}/site-settings`, { settings: { siteName: "Acme" } }));
    expect(rows).toEqual([expect.objectContaining({ action: "content.site_settings", after: { siteName: "Acme" } })]);
  });

  test("providers and games, per brand and global; the provider secret is never audited", async () => {
    const code = `prov${crypto.randomUUID().slice(0, 6)}`;
    let { rows, reply } = await change("POST", "/api/v1/providers", { code, name: "Prov", dialect: "standard" });
    expect(rows).toEqual([expect.objectContaining({ action: "provider.register", brand: null, target: `provider:${code}` })]);
    expect(JSON.stringify(rows)).not.toContain(reply.secret);
    ({ rows } = await change("PATCH", `/api/v1/providers/${code}`, { name: "Provider Two" }));
    expect(rows).toEqual([expect.objectContaining({ action: "provider.update", before: expect.objectContaining({ name: "Prov" }), after: expect.objectContaining({ name: "Provider Two" }) })]);
    ({ rows, reply } = await change("POST", `/api/v1/providers/${code}/rotate-secret`, { graceSeconds: 60 }));
    expect(rows).toEqual([expect.objectContaining({ action: "provider.rotate_secret" })]);
    expect(JSON.stringify(rows)).not.toContain(reply.secret);
    ({ rows } = await change("PUT", `/api/v1/brands/${brand}/providers/${code}`, { enabled: true }));
    expect(rows).toEqual([expect.objectContaining({ action: "provider.set_brand", brand, before: { enabled: false }, after: { enabled: true } })]);
    ({ rows } = await change("PUT", `/api/v1/games/${code}/g1`, { name: "Slot One", category: "slots" }));
    expect(rows).toEqual([expect.objectContaining({ action: "game.upsert", target: `game:${code}/g1`, after: expect.objectContaining({ name: "Slot One" }) })]);
    ({ rows } = await change("PUT", `/api/v1/brands/${brand}/games/${code}/g1`, { enabled: false }));
    expect(rows).toEqual([expect.objectContaining({ action: "game.set_brand", before: { enabled: true }, after: { enabled: false } })]);
    const games = await call("GET", `/api/v1/brands/${brand}/games?provider=${code}`);
    expect(games.items).toEqual([expect.objectContaining({ code: "g1", enabled: false })]);
  });

  test("staff accounts: create, update, password reset (the password itself never audited)", async () => {
    let { rows, reply } = await change("POST", "/api/v1/staff", { username: `aud-${crypto.randomUUID().slice(0, 8)}`, password: "first secret 123", role: "support", brands: [brand] });
    expect(rows).toEqual([expect.objectContaining({ username: owner.username, action: "staff.create", target: `staff:${reply.id}`, after: expect.objectContaining({ role: "support", brands: [brand] }) })]);
    const id = reply.id;
    ({ rows } = await change("PATCH", `/api/v1/staff/${id}`, { role: "finance" }));
    expect(rows).toEqual([expect.objectContaining({ action: "staff.update", before: expect.objectContaining({ role: "support" }), after: expect.objectContaining({ role: "finance" }) })]);
    ({ rows, reply } = await change("POST", `/api/v1/staff/${id}/reset-password`));
    expect(rows).toEqual([expect.objectContaining({ action: "staff.password_reset" })]);
    expect(JSON.stringify(rows)).not.toContain(reply.temporaryPassword);
    expect(JSON.stringify(rows)).not.toContain("first secret");
  });

  test("a brand-scoped manager reads only its brands' audit rows", async () => {
    const [a, b] = bo.brands;
    await change("PATCH", `/api/v1/brands/${b}/config`, { features: { coupons: false } });
    const scoped = await bo.staff("admin", [a]);
    const res = await bo.admin("GET", "/api/v1/audit?limit=500", { token: scoped.token });
    const items = ((await res.json()) as { items: Audit[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((r) => r.brand === a)).toBe(true);
  });
});
