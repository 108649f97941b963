import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type BackOffice, backOffice } from "../admin/back-office-fixture.ts";
import { waitFor } from "../support/services.ts";

/**
 * The game registry audits each change it makes, in the transaction of the change: one
 * `audit_log` row per change, by the staff member it was made for, with the before and after
 * the registry saw; none for a refused change; the same for the admin edge and `/integration/*`.
 */

type AuditRow = { seq: string; staffId: string | null; username: string; action: string; brand: string | null; target: string | null; before: any; after: any };

let bo: BackOffice;
let brand: string;
let owner: { token: string; username: string; staffId: string };

beforeAll(async () => {
  bo = await backOffice();
  brand = bo.brands[0];
  owner = await bo.staff("owner", null);
}, 60_000);
afterAll(() => bo.close());

async function send(edge: "admin" | "callback", method: string, path: string, body?: unknown, token = owner.token) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await bo.apps[edge].request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** The audit log as `GET /api/v1/audit` shows it, for one target. */
async function auditOf(target: string): Promise<AuditRow[]> {
  const reply = await send("admin", "GET", `/api/v1/audit?staffId=${owner.staffId}&target=${encodeURIComponent(target)}&limit=100`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

/** Wait until `target` has `count` rows (events of one stream arrive in order: a later row means earlier ones are in). */
const rowsOnceThere = (target: string, count = 1) =>
  waitFor(async () => ((await auditOf(target)).length >= count ? auditOf(target) : undefined), { what: `${count} audit row(s) for ${target}` });

const newCode = () => `au${crypto.randomUUID().slice(0, 8)}`;
// rows of global changes and of a brand's come on two event streams, in either order between the two: compared sorted

describe.each([
  {
    edge: "admin" as const,
    register: "/api/v1/providers",
    provider: (code: string) => `/api/v1/providers/${code}`,
    rotate: (code: string) => `/api/v1/providers/${code}/rotate-secret`,
    providerBrand: (code: string, at: string) => `/api/v1/brands/${at}/providers/${code}`,
    game: (code: string, game: string) => `/api/v1/games/${code}/${game}`,
    gameBrand: (code: string, game: string, at: string) => `/api/v1/brands/${at}/games/${code}/${game}`,
  },
  {
    edge: "callback" as const,
    register: "/integration/providers",
    provider: (code: string) => `/integration/providers/${code}`,
    rotate: (code: string) => `/integration/providers/${code}/rotate-secret`,
    providerBrand: (code: string, at: string) => `/integration/providers/${code}/brands/${at}`,
    game: (code: string, game: string) => `/integration/providers/${code}/games/${game}`,
    gameBrand: (code: string, game: string, at: string) => `/integration/providers/${code}/games/${game}/brands/${at}`,
  },
])("registry changes through the $edge edge", (routes) => {
  test("each change appears in GET /api/v1/audit with who, what and the before and after; secrets never", async () => {
    const code = newCode();
    const by = { staffId: owner.staffId, username: owner.username };
    const registered = await send(routes.edge, "POST", routes.register, { code, name: "Prov", dialect: "standard" });
    expect(registered.status).toBe(201);
    const target = `provider:${code}`;
    expect(await rowsOnceThere(target)).toEqual([
      expect.objectContaining({ ...by, action: "provider.register", brand: null, target, after: expect.objectContaining({ code, name: "Prov", allBrands: false }) }),
    ]);

    expect((await send(routes.edge, "PATCH", routes.provider(code), { name: "Provider Two" })).status).toBe(200);
    const rotated = await send(routes.edge, "POST", routes.rotate(code), { graceSeconds: 60 });
    expect(rotated.status).toBe(200);
    expect((await send(routes.edge, "PUT", routes.providerBrand(code, brand), { enabled: true })).status).toBe(200);
    const rows = await rowsOnceThere(target, 4);
    const row = (action: string) => rows.find((r) => r.action === action);
    expect(rows.map((r) => r.action).sort()).toEqual(["provider.register", "provider.rotate_secret", "provider.set_brand", "provider.update"]);
    expect(row("provider.update")).toMatchObject({ before: expect.objectContaining({ name: "Prov" }), after: expect.objectContaining({ name: "Provider Two" }) });
    expect(row("provider.rotate_secret")).toMatchObject({ before: { previousSecretUntil: null }, after: { previousSecretUntil: rotated.body.provider.previousSecretUntil } });
    expect(row("provider.set_brand")).toMatchObject({ ...by, brand, before: { enabled: false }, after: { enabled: true } });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(registered.body.secret);
    expect(text).not.toContain(rotated.body.secret);

    expect((await send(routes.edge, "PUT", routes.game(code, "g1"), { name: "Slot One", category: "slots" })).status).toBe(200);
    expect((await send(routes.edge, "PUT", routes.game(code, "g1"), { name: "Slot Uno", category: "slots" })).status).toBe(200);
    expect((await send(routes.edge, "PUT", routes.gameBrand(code, "g1", brand), { enabled: false })).status).toBe(200);
    const gameRows = (await rowsOnceThere(`game:${code}/g1`, 3)).toSorted((a, b) => a.action.localeCompare(b.action) || Number(BigInt(b.seq) - BigInt(a.seq)));
    expect(gameRows).toEqual([
      expect.objectContaining({ ...by, action: "game.set_brand", brand, before: { enabled: true }, after: { enabled: false } }),
      expect.objectContaining({ action: "game.upsert", brand: null, before: expect.objectContaining({ name: "Slot One" }), after: expect.objectContaining({ name: "Slot Uno" }) }),
      expect.objectContaining({ action: "game.upsert", before: null, after: expect.objectContaining({ name: "Slot One", category: "slots" }) }),
    ]);
  });

  test("a refused change leaves no row: the later good changes' rows arrive alone", async () => {
    const code = newCode();
    const missing = newCode();
    expect((await send(routes.edge, "PATCH", routes.provider(missing), { name: "x" })).status).toBe(404);
    expect((await send(routes.edge, "POST", routes.rotate(missing), {})).status).toBe(404);
    expect((await send(routes.edge, "PUT", routes.game(missing, "g1"), { name: "x", category: "slots" })).status).toBe(404);
    expect((await send(routes.edge, "POST", routes.register, { code, name: "Good", dialect: "batch" })).status).toBe(201);
    expect((await send(routes.edge, "POST", routes.register, { code, name: "Again", dialect: "batch" })).status).toBe(409);
    expect((await send(routes.edge, "PUT", routes.gameBrand(code, "nope", brand), { enabled: true })).status).toBe(404);
    // one good change last on each stream (global changes, the brand's): its row in means every row before it is in
    expect((await send(routes.edge, "PATCH", routes.provider(code), { name: "Better" })).status).toBe(200);
    expect((await send(routes.edge, "PUT", routes.providerBrand(code, brand), { enabled: true })).status).toBe(200);
    expect((await rowsOnceThere(`provider:${code}`, 3)).map((r) => r.action).sort()).toEqual(["provider.register", "provider.set_brand", "provider.update"]);
    expect(await auditOf(`provider:${missing}`)).toEqual([]);
    expect(await auditOf(`game:${missing}/g1`)).toEqual([]);
    expect(await auditOf(`game:${code}/nope`)).toEqual([]);
  });
});

test("a redelivered registry command replays its outcome (a secret left out) and writes no second audit row", async () => {
  const code = newCode();
  const id = crypto.randomUUID();
  const by = { staffId: owner.staffId, username: owner.username, ip: null };
  const registry = bo.edge.clients.gameRegistry();
  const first = await registry.registerProvider({ code, name: "Once", dialect: "standard", by }, { id });
  const secret = first.ok ? first.value.secret : undefined;
  expect(typeof secret).toBe("string");
  const again = await registry.registerProvider({ code, name: "Once", dialect: "standard", by }, { id });
  // the secret was answered once: the same message again says the change was made, without it
  expect(again).toMatchObject({ ok: false, error: { code: "conflict", details: { provider: { code } } } });
  expect(JSON.stringify(again)).not.toContain(secret!);
  // a later global change: its row in means a second registration row would be in too
  await registry.updateProvider({ code, name: "Twice", by });
  expect((await rowsOnceThere(`provider:${code}`, 2)).map((r) => r.action)).toEqual(["provider.update", "provider.register"]);
});

test("the registry's journal never holds a provider's secret, generated or given, registered or rotated", async () => {
  const code = newCode();
  const given = `given-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const registered = await send("admin", "POST", "/api/v1/providers", { code, name: "Journal", dialect: "standard", secret: given });
  expect(registered).toMatchObject({ status: 201, body: { secret: given } });
  const rotated = await send("admin", "POST", `/api/v1/providers/${code}/rotate-secret`, { graceSeconds: 0 });
  expect(rotated.status).toBe(200);
  const secrets = [given, rotated.body.secret as string];
  const rows = await bo.node.store.query<{ outcome: unknown }>("select outcome from game_registry_journal");
  const journal = rows.map((r) => (typeof r.outcome === "string" ? r.outcome : JSON.stringify(r.outcome))).join("\n");
  expect(journal).toContain(code);
  for (const secret of secrets) expect(journal).not.toContain(secret);
});

test("journal rows written before keep no secret once migrated", async () => {
  const secret = `old-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const id = `legacy-${crypto.randomUUID()}`;
  const outcome = { ok: true, value: { provider: { code: "legacy" }, secret } };
  await bo.node.store.query("insert into game_registry_journal (message_id, outcome) values ($1, $2::jsonb)", [id, JSON.stringify(outcome)]);
  await bo.node.store.query(await Bun.file(new URL("../../migrations/pg/game/0001_journal_without_secrets.sql", import.meta.url)).text());
  const [row] = await bo.node.store.query<{ outcome: unknown }>("select outcome from game_registry_journal where message_id = $1", [id]);
  const kept = typeof row!.outcome === "string" ? JSON.parse(row!.outcome) : row!.outcome;
  expect(kept).toMatchObject({ ok: false, error: { code: "conflict", details: { provider: { code: "legacy" } } } });
  expect(JSON.stringify(kept)).not.toContain(secret);
});
