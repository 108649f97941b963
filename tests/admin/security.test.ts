import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Permission, Role } from "../../actors/identity/index.ts";
import { addDomain } from "../support/catalog.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

/**
 * Every back-office route with the permission it needs and whether it is brand-scoped.
 * The first test proves this table lists every route the admin edge serves, so a new route
 * cannot skip the security cases below.
 */
const ROUTES: [method: string, path: string, need: Permission, brand: boolean][] = [
  ["POST", "/api/v1/auth/logout", "read", false],
  ["GET", "/api/v1/auth/me", "read", false],
  ["POST", "/api/v1/auth/password", "read", false],
  ["GET", "/api/v1/staff", "staff.manage", false],
  ["POST", "/api/v1/staff", "staff.manage", false],
  ["PATCH", "/api/v1/staff/:id", "staff.manage", false],
  ["POST", "/api/v1/staff/:id/reset-password", "staff.manage", false],
  ["GET", "/api/v1/audit", "staff.manage", false],
  ["GET", "/api/v1/brands", "read", false],
  ["POST", "/api/v1/brands", "brands.create", false],
  ["GET", "/api/v1/brands/:brand", "read", true],
  ["PATCH", "/api/v1/brands/:brand/config", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/disable", "brands.create", true],
  ["POST", "/api/v1/brands/:brand/enable", "brands.create", true],
  ["POST", "/api/v1/brands/:brand/domains", "brands.write", true],
  ["DELETE", "/api/v1/brands/:brand/domains/:domain", "brands.write", true],
  ["GET", "/api/v1/brands/:brand/agents", "read", true],
  ["POST", "/api/v1/brands/:brand/agents", "brands.write", true],
  ["DELETE", "/api/v1/brands/:brand/agents/:agentId", "brands.write", true],
  ["GET", "/api/v1/top-info", "read", false],
  ["GET", "/api/v1/brands/:brand/top-info", "read", true],
  ["POST", "/api/v1/brands/:brand/top-info/alarms/acknowledge", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/deposits", "read", true],
  ["POST", "/api/v1/brands/:brand/deposits/:requestId/approve", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/deposits/:requestId/reject", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/withdrawals", "read", true],
  ["POST", "/api/v1/brands/:brand/withdrawals/:requestId/approve", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/withdrawals/:requestId/reject", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId/balance", "read", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId/transactions", "read", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/adjustments", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/reconciliation/run", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/players", "read", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId", "read", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/suspend", "players.write", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/reinstate", "players.write", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/reset-password", "players.write", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId/notes", "read", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/notes", "players.write", true],
  ["POST", "/api/v1/brands/:brand/players/:playerId/messages", "players.write", true],
  ["POST", "/api/v1/brands/:brand/messages", "players.write", true],
  ["GET", "/api/v1/brands/:brand/inquiries", "read", true],
  ["GET", "/api/v1/brands/:brand/inquiries/:inquiryId", "read", true],
  ["POST", "/api/v1/brands/:brand/inquiries/:inquiryId/reply", "players.write", true],
  ["GET", "/api/v1/brands/:brand/rollings", "read", true],
  ["GET", "/api/v1/brands/:brand/rollings/:rollingId", "read", true],
  ["POST", "/api/v1/brands/:brand/rollings/:rollingId/cancel", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId/rollings", "read", true],
  ...(["notices", "banners", "faq"] as const).flatMap((kind): [string, string, Permission, boolean][] => [
    ["GET", `/api/v1/brands/:brand/${kind}`, "read", true],
    ["POST", `/api/v1/brands/:brand/${kind}`, "content.write", true],
    ["PUT", `/api/v1/brands/:brand/${kind}/:id`, "content.write", true],
    ["DELETE", `/api/v1/brands/:brand/${kind}/:id`, "content.write", true],
  ]),
  ["GET", "/api/v1/brands/:brand/site-settings", "read", true],
  ["PUT", "/api/v1/brands/:brand/site-settings", "content.write", true],
  ["GET", "/api/v1/providers", "read", false],
  ["POST", "/api/v1/providers", "games.write", false],
  ["PATCH", "/api/v1/providers/:code", "games.write", false],
  ["POST", "/api/v1/providers/:code/rotate-secret", "games.write", false],
  ["PUT", "/api/v1/games/:provider/:code", "games.write", false],
  ["GET", "/api/v1/brands/:brand/providers", "read", true],
  ["PUT", "/api/v1/brands/:brand/providers/:code", "games.write", true],
  ["GET", "/api/v1/brands/:brand/games", "read", true],
  ["PUT", "/api/v1/brands/:brand/games/:provider/:code", "games.write", true],
  ["GET", "/api/v1/brands/:brand/recon/messages", "read", true],
  ["GET", "/api/v1/brands/:brand/recon/messages/:messageId", "read", true],
  ["GET", "/api/v1/brands/:brand/recon/review", "read", true],
  ["POST", "/api/v1/brands/:brand/recon/messages/:messageId/match", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/recon/messages/:messageId/unmatch", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/recon/messages/:messageId/dismiss", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/recon/sources", "read", true],
  ["POST", "/api/v1/brands/:brand/recon/sources", "brands.write", true],
  ["PATCH", "/api/v1/brands/:brand/recon/sources/:sourceId", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/recon/sources/:sourceId/rotate-secret", "brands.write", true],
  ["GET", "/api/v1/brands/:brand/agent-tree", "read", true],
  ["POST", "/api/v1/brands/:brand/agent-tree", "brands.write", true],
  ["GET", "/api/v1/brands/:brand/agent-tree/:agentId", "read", true],
  ["PATCH", "/api/v1/brands/:brand/agent-tree/:agentId", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/agent-tree/:agentId/move", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/agent-tree/:agentId/suspend", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/agent-tree/:agentId/reinstate", "brands.write", true],
  ["POST", "/api/v1/brands/:brand/agent-tree/:agentId/reset-password", "brands.write", true],
  ["GET", "/api/v1/brands/:brand/agent-tree/:agentId/players", "read", true],
  ["GET", "/api/v1/brands/:brand/agent-tree/:agentId/activity", "read", true],
  ["GET", "/api/v1/brands/:brand/agent-tree/:agentId/transactions", "read", true],
  ["POST", "/api/v1/brands/:brand/agent-tree/:agentId/adjustments", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/agent-settlements", "read", true],
  ["GET", "/api/v1/brands/:brand/agent-settlements/:settlementId/lines", "read", true],
  ["POST", "/api/v1/brands/:brand/agent-settlements/run", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/agent-settlements/:settlementId/requeue", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/agent-withdrawals", "read", true],
  ["POST", "/api/v1/brands/:brand/agent-withdrawals/:requestId/approve", "finance.write", true],
  ["POST", "/api/v1/brands/:brand/agent-withdrawals/:requestId/reject", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/coupons", "read", true],
  ["POST", "/api/v1/brands/:brand/coupons", "promotions.write", true],
  ["GET", "/api/v1/brands/:brand/coupons/:couponId", "read", true],
  ["GET", "/api/v1/brands/:brand/coupons/:couponId/codes", "read", true],
  ["POST", "/api/v1/brands/:brand/coupons/:couponId/status", "promotions.write", true],
  ["GET", "/api/v1/brands/:brand/redemptions", "read", true],
  ["GET", "/api/v1/brands/:brand/redemptions/:redemptionId", "read", true],
  ["GET", "/api/v1/brands/:brand/promotion-settlements/preview", "read", true],
  ["POST", "/api/v1/brands/:brand/promotion-settlements", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/promotion-settlements", "read", true],
  ["GET", "/api/v1/brands/:brand/promotion-settlements/:settlementId/lines", "read", true],
  ["POST", "/api/v1/brands/:brand/promotion-settlements/:settlementId/requeue", "finance.write", true],
  ["GET", "/api/v1/brands/:brand/players/:playerId/promotion-lines", "read", true],
  ["GET", "/api/v1/brands/:brand/promotion-late-rollbacks", "read", true],
];

/** A role that lacks each permission (every role reads). */
const TOO_LOW: Record<Exclude<Permission, "read">, Role> = {
  "finance.write": "support",
  "players.write": "finance",
  "content.write": "finance",
  "games.write": "support",
  "brands.write": "finance",
  "promotions.write": "finance",
  "brands.create": "admin",
  "staff.manage": "finance",
};

let bo: BackOffice;
let tokens: Record<string, string>;
const path = (template: string, brand: string) =>
  template
    .replace(":brand", brand)
    .replace(":id", crypto.randomUUID())
    .replace(/:(requestId|agentId|code|provider|domain|settlementId)/g, "x1")
    .replace(":playerId", crypto.randomUUID())
    .replace(/:(couponId|redemptionId)/, crypto.randomUUID())
    .replace(":messageId", crypto.randomUUID())
    .replace(":sourceId", "webhook-x1")
    .replace(":inquiryId", "1");

beforeAll(async () => {
  bo = await backOffice();
  const [a] = bo.brands;
  tokens = { player: await bo.playerToken(a) };
  for (const role of new Set(Object.values(TOO_LOW))) tokens[role] = (await bo.staff(role, null)).token;
  // an owner, all permissions, but only brand A
  tokens.scopedOwner = (await bo.staff("owner", [a])).token;
}, 60_000);
afterAll(() => bo.close());

describe("back-office security", () => {
  test("the table names every /api/v1 route the admin edge serves (sign-in aside)", () => {
    const served = new Set(bo.apps.admin.routes.filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    served.delete("POST /api/v1/auth/login");
    expect([...served].sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  test.each(ROUTES)("%s %s: refused without a token, with a player's token, with a role too low, outside the brand scope", async (method, template, need, branded) => {
    const [a, b] = bo.brands;
    const noToken = await bo.admin(method, path(template, a), { body: {} });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe("unauthorized");

    const player = await bo.admin(method, path(template, a), { token: tokens.player, body: {} });
    expect(player.status).toBe(401);
    expect(((await player.json()) as { error: { code: string } }).error.code).toBe("invalid_token");

    if (need !== "read") {
      const low = await bo.admin(method, path(template, a), { token: tokens[TOO_LOW[need]], body: {} });
      expect(low.status).toBe(403);
      expect(((await low.json()) as { error: { message: string } }).error.message).toContain(`needs ${need}`);
    }
    if (branded) {
      const outside = await bo.admin(method, path(template, b), { token: tokens.scopedOwner, body: {} });
      expect(outside.status).toBe(403);
      expect(((await outside.json()) as { error: { message: string } }).error.message).toBe(`brand ${b} is outside your brand scope`);
    }
  });

  test("shared things (new brands, providers, the game catalog) need every brand in scope", async () => {
    const cases: [string, string, unknown][] = [
      ["POST", "/api/v1/brands", { id: `nb-${crypto.randomUUID().slice(0, 8)}`, name: "New" }],
      ["POST", "/api/v1/providers", { code: "newprov", name: "P", dialect: "standard" }],
      ["PATCH", "/api/v1/providers/newprov", { name: "Q" }],
      ["POST", "/api/v1/providers/newprov/rotate-secret", {}],
      ["PUT", "/api/v1/games/newprov/g1", { name: "G", category: "slots" }],
    ];
    for (const [method, p, body] of cases) {
      const res = await bo.admin(method, p, { token: tokens.scopedOwner, body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
  });

  test("a forged or expired-session token is refused", async () => {
    const { token } = await bo.staff("admin", null);
    const [head, payload, signature] = token.split(".");
    const forged = `${head}.${payload}.${signature!.slice(0, -4)}AAAA`;
    expect((await bo.admin("GET", "/api/v1/auth/me", { token: forged })).status).toBe(401);
    expect((await bo.admin("POST", "/api/v1/auth/logout", { token })).status).toBe(200);
    const after = await bo.admin("GET", "/api/v1/auth/me", { token });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("invalid_token");
  });

  test("a member scoped to brand A sees nothing of brand B", async () => {
    const [a, b] = bo.brands;
    const { token } = await bo.staff("support", [a]);
    const brands = (await (await bo.admin("GET", "/api/v1/brands", { token })).json()) as { items: { id: string }[] };
    expect(brands.items.map((x) => x.id)).toEqual([a]);
    const top = (await (await bo.admin("GET", "/api/v1/top-info", { token })).json()) as { brands: Record<string, unknown> };
    expect(Object.keys(top.brands)).toEqual([a]);
    expect((await bo.admin("GET", `/api/v1/brands/${b}/players`, { token })).status).toBe(403);
    // and a brand that does not exist looks the same as one outside the scope
    const ghost = await bo.admin("GET", "/api/v1/brands/no-such-brand/players", { token });
    expect(ghost.status).toBe(403);
  });

  test("the Host of one brand's admin domain and a path naming another brand disagree: 403", async () => {
    const [a, b] = bo.brands;
    await addDomain(bo.node.system, a, `admin.${a}.test`, "admin");
    const { token } = await bo.staff("admin", null);
    const res = await bo.apps.admin.request(`/api/v1/brands/${b}/players`, { headers: { authorization: `Bearer ${token}`, host: `admin.${a}.test` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("brand_mismatch");
  });

  test("a temporary password allows nothing but changing it", async () => {
    const owner = await bo.staff("owner", null);
    const created = await bo.admin("POST", "/api/v1/staff", {
      token: owner.token,
      body: { username: `tmp-${crypto.randomUUID().slice(0, 8)}`, password: "initial secret 1", role: "finance", brands: null },
    });
    expect(created.status).toBe(201);
    const { username } = (await created.json()) as { username: string };
    const login = await bo.admin("POST", "/api/v1/auth/login", { body: { username, password: "initial secret 1" } });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const blocked = await bo.admin("GET", `/api/v1/brands/${bo.brands[0]}/deposits`, { token: accessToken });
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe("password_change_required");
    const changed = await bo.admin("POST", "/api/v1/auth/password", { token: accessToken, body: { currentPassword: "initial secret 1", newPassword: "my own secret 22" } });
    expect(changed.status).toBe(200);
    expect((await bo.admin("GET", `/api/v1/brands/${bo.brands[0]}/deposits`, { token: accessToken })).status).toBe(200);
  });

  test("/api/admin/* answers 404 even with a valid staff token", async () => {
    const { token } = await bo.staff("owner", null);
    for (const p of ["/api/admin", "/api/admin/users", "/api/admin/brands/x/config"]) {
      const res = await bo.admin("GET", p, { token });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});
