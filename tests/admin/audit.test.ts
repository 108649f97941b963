import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

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
  const registered = await registerPlayer(
    { players: bo.edge.clients.player(brand), credentials: bo.edge.credentials },
    {
      username: `user_${n}`,
      password: "correct horse 1",
      nickname: `nick${n}`,
      phone: "010-1234-5678",
      bank: { name: "Kookmin", account: "123-456-7890", holder: "Hong Gildong" },
    },
  );
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
  return ((await call("GET", `/api/v1/audit?limit=200&staffId=${owner.staffId}`)) as { items: Audit[] }).items;
}

/** Run a change and return the audit rows it added (newest first). */
async function change(method: string, path: string, body?: unknown): Promise<{ reply: any; rows: Audit[] }> {
  const before = (await latestAudit())[0]?.seq ?? "0";
  const reply = await call(method, path, body);
  const rows = (await latestAudit()).filter((r) => BigInt(r.seq) > BigInt(before));
  return { reply, rows };
}

// brand changes, notes and alarm acknowledgements: tests/admin/catalog-audit.test.ts; the cashier:
// tests/admin/cashier.test.ts; players, messages, inquiries and content: tests/admin/player-audit.test.ts
// providers and games: tests/game/registry-audit.test.ts (the registry audits them itself)
describe("every back-office change writes one audit row: who, what, which brand, before and after", () => {
  test("staff accounts: create, update, password reset (the password itself never audited)", async () => {
    let { rows, reply } = await change("POST", "/api/v1/staff", {
      username: `aud-${crypto.randomUUID().slice(0, 8)}`,
      password: "first secret 123",
      role: "support",
      brands: [brand],
    });
    expect(rows).toEqual([
      expect.objectContaining({
        username: owner.username,
        action: "staff.create",
        target: `staff:${reply.id}`,
        after: expect.objectContaining({ role: "support", brands: [brand] }),
      }),
    ]);
    const id = reply.id;
    ({ rows } = await change("PATCH", `/api/v1/staff/${id}`, { role: "finance" }));
    expect(rows).toEqual([
      expect.objectContaining({ action: "staff.update", before: expect.objectContaining({ role: "support" }), after: expect.objectContaining({ role: "finance" }) }),
    ]);
    ({ rows, reply } = await change("POST", `/api/v1/staff/${id}/reset-password`));
    expect(rows).toEqual([expect.objectContaining({ action: "staff.password_reset" })]);
    expect(JSON.stringify(rows)).not.toContain(reply.temporaryPassword);
    expect(JSON.stringify(rows)).not.toContain("first secret");
  });

  test("a brand-scoped manager reads only its brands' audit rows", async () => {
    const [a, b] = bo.brands;
    await change("PATCH", `/api/v1/brands/${b}/config`, { timezone: "UTC" });
    const scoped = await bo.staff("admin", [a]);
    const res = await bo.admin("GET", "/api/v1/audit?limit=200", { token: scoped.token });
    const items = ((await res.json()) as { items: Audit[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((r) => r.brand === a)).toBe(true);
  });
});
