import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sign } from "hono/jwt";
import { signAccessToken } from "../../edges/shared/index.ts";
import { waitFor } from "../support/services.ts";
import type { CallbackNode } from "./callback-node.ts";
import { callbackFixture, fund, launch, type ProviderClient, registerProvider, staff } from "./provider-client.ts";

/** `/integration/*`: staff-only tools for providers, games, sessions and rounds (replay: replay.test.ts). */

let node: CallbackNode;
let brand: string;
let provider: ProviderClient;

beforeAll(
  async () =>
    ({
      node,
      brand,
      providers: { standard: provider },
    } = await callbackFixture(["standard"])),
  30_000,
);
afterAll(() => node?.close());

const tokenFor = (role: "owner" | "admin" | "read_only", scope: string | null) => node.staffAs(role, scope === null ? null : [scope]);
const playerToken = () => signAccessToken(node.ctx, { sub: "player-1", brand, role: "player", kind: "player" }, 600);

describe("integration tools: access", () => {
  test("no token is 401; a player token or a role without the permission is 403; a signed token without a live session is 401", async () => {
    const anonymous = await fetch(`${node.url}/integration/providers`);
    expect(anonymous.status).toBe(401);
    expect((await staff(node, "GET", "/integration/providers", undefined, "garbage")).http).toBe(401);
    expect((await staff(node, "GET", "/integration/providers", undefined, await playerToken())).http).toBe(403);
    const sessionless = await signAccessToken(node.ctx, { sub: "ghost", brand: null, role: "owner", kind: "staff" }, 600);
    expect((await staff(node, "GET", "/integration/providers", undefined, sessionless)).body.error.code).toBe("invalid_token");
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: "ghost", brand: null, role: "owner", kind: "staff", iat: now - 3600, exp: now - 60, jti: "x" }, node.ctx.config.secrets.jwt, "HS256");
    expect((await staff(node, "GET", "/integration/providers", undefined, expired)).body.error.code).toBe("token_expired");
    const readOnly = await tokenFor("read_only", null);
    expect((await staff(node, "GET", "/integration/providers", undefined, readOnly)).http).toBe(200);
    const refused = await staff(node, "POST", "/integration/providers", { code: "ro-try", name: "x", dialect: "standard" }, readOnly);
    expect(refused).toEqual({ http: 403, body: { error: { code: "forbidden", message: "role read_only lacks games.write" } } });
  });

  test("staff of one brand manage that brand's enablement and sessions only; providers are global", async () => {
    const brandAdmin = await tokenFor("admin", brand);
    expect((await staff(node, "PUT", `/integration/providers/${provider.code}/brands/${brand}`, { enabled: true }, brandAdmin)).http).toBe(200);
    expect((await staff(node, "PUT", `/integration/providers/${provider.code}/brands/other-brand`, { enabled: true }, brandAdmin)).body.error).toEqual({
      code: "forbidden",
      message: "brand other-brand is outside your brand scope",
    });
    expect((await staff(node, "POST", "/integration/providers", { code: "scoped-try", name: "x", dialect: "standard" }, brandAdmin)).http).toBe(403);
    expect((await staff(node, "POST", `/integration/brands/${brand}/sessions`, { player: "p", provider: provider.code, game: "slot-1" }, brandAdmin)).http).toBe(201);
    expect((await staff(node, "GET", `/integration/brands/other-brand/sessions`, undefined, brandAdmin)).http).toBe(403);
  });
});

describe("integration tools: registry and catalog", () => {
  test("providers list without secrets; a duplicate code conflicts; bad input names the field", async () => {
    // the shared test store holds other tests' providers: the list is checked for secrets, the provider by its code
    const list = await staff(node, "GET", "/integration/providers?limit=200");
    expect(list.http).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(provider.secret);
    const mine = await staff(node, "GET", `/integration/providers/${provider.code}`);
    expect(mine.body.provider).toMatchObject({ code: provider.code, dialect: "standard", allBrands: true, ipAllowList: [] });
    expect(JSON.stringify(mine.body)).not.toContain(provider.secret);
    expect((await staff(node, "POST", "/integration/providers", { code: provider.code, name: "again", dialect: "standard" })).body.error.code).toBe("conflict");
    const invalid = await staff(node, "POST", "/integration/providers", { code: "Bad Code", name: "x", dialect: "smoke-signals" });
    expect(invalid.http).toBe(400);
    expect(invalid.body.error.message).toContain("code");
    expect(invalid.body.error.message).toContain("dialect");
    const shortSecret = await staff(node, "POST", "/integration/providers", { code: "short-secret", name: "x", dialect: "standard", secret: "123" });
    expect(shortSecret.body.error.message).toContain("at least 32 characters");
  });

  test("games carry their category; enablement per brand decides launches and bets", async () => {
    const own = await registerProvider(node, "standard", { allBrands: false });
    const games = await staff(node, "GET", `/integration/games?provider=${own.code}`);
    expect(games.body).toEqual({
      items: [expect.objectContaining({ code: "slot-1", category: "slots" }), expect.objectContaining({ code: "slot-2", category: "slots" })],
      nextCursor: null,
    });
    expect((await staff(node, "GET", `/integration/games?brand=${brand}&provider=${own.code}`)).body.items).toEqual([]);
    const refused = await staff(node, "POST", `/integration/brands/${brand}/sessions`, { player: "p", provider: own.code, game: "slot-1" });
    expect(refused).toEqual({ http: 403, body: { error: { code: "forbidden", message: `${own.code}/slot-1 is not enabled for brand ${brand}` } } });

    await staff(node, "PUT", `/integration/providers/${own.code}/brands/${brand}`, { enabled: true });
    await staff(node, "PUT", `/integration/providers/${own.code}/games/slot-2/brands/${brand}`, { enabled: false });
    expect((await staff(node, "GET", `/integration/games?brand=${brand}&provider=${own.code}`)).body.items.map((g: any) => g.code)).toEqual(["slot-1"]);
    await fund(node, brand, "enabled-player", 100);
    const token = await launch(node, brand, "enabled-player", own.code, "slot-1");
    const bet = (uuid: string) => own.call("transaction/bet", { token, transaction_uuid: uuid, round: "r", game_code: "slot-1", amount: 10, currency: "KRW" });
    expect((await bet("e1")).body.status).toBe("RS_OK");
    await staff(node, "PUT", `/integration/providers/${own.code}/brands/${brand}`, { enabled: false });
    expect((await bet("e2")).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    const win = await own.call("transaction/win", {
      token,
      transaction_uuid: "e1w",
      reference_transaction_uuid: "e1",
      round: "r",
      game_code: "slot-1",
      amount: 30,
      currency: "KRW",
    });
    expect(win.body).toMatchObject({ status: "RS_OK", balance: 120 });
  });

  test("an unknown provider or game is 404 for updates and launches", async () => {
    expect((await staff(node, "PATCH", "/integration/providers/nobody", { name: "x" })).http).toBe(404);
    expect((await staff(node, "PUT", "/integration/providers/nobody/games/g1", { name: "x", category: "slots" })).http).toBe(404);
    expect((await staff(node, "POST", `/integration/brands/${brand}/sessions`, { player: "p", provider: provider.code, game: "nope" })).http).toBe(404);
  });
});

describe("integration tools: sessions and rounds", () => {
  test("sessions are listed per player; rounds project the wallet's events", async () => {
    await fund(node, brand, "rounds-player", 1000);
    const token = await launch(node, brand, "rounds-player", provider.code);
    const sessions = await staff(node, "GET", `/integration/brands/${brand}/sessions?player=rounds-player`);
    expect(sessions.body.items).toHaveLength(1);
    expect(sessions.body.items[0]).toMatchObject({ player: "rounds-player", provider: provider.code, game: "slot-1", revokedAt: null });
    const call = (op: string, body: Record<string, unknown>) => provider.call(op, { token, round: "rr-1", game_code: "slot-1", ...body });
    await call("transaction/bet", { transaction_uuid: "rb1", amount: 100, currency: "KRW" });
    await call("transaction/bet", { transaction_uuid: "rb2", amount: 50, currency: "KRW" });
    await call("transaction/rollback", { transaction_uuid: "rr2", reference_transaction_uuid: "rb2" });
    await call("transaction/win", { transaction_uuid: "rw1", reference_transaction_uuid: "rb1", amount: 300, currency: "KRW" });
    const round = await waitFor(
      async () => {
        node.ctx.relay.notify();
        const reply = await staff(node, "GET", `/integration/brands/${brand}/rounds/${provider.code}/rr-1`);
        return reply.http === 200 && reply.body.round.status === "closed" && reply.body.round.entries.length === 4 ? reply.body.round : undefined;
      },
      { what: "the round projection" },
    );
    expect(round).toMatchObject({ player: "rounds-player", game: "slot-1", betTotal: "150", winTotal: "300", refundTotal: "50", status: "closed" });
    expect(round.entries.map((e: any) => [e.kind, e.transactionUuid, e.amount])).toEqual([
      ["bet", "rb1", "100"],
      ["bet", "rb2", "50"],
      ["rollback", "rr2", "50"],
      ["win", "rw1", "300"],
    ]);
    const listed = await staff(node, "GET", `/integration/brands/${brand}/rounds?player=rounds-player&status=closed`);
    expect(listed.body.items.map((r: any) => r.round)).toEqual(["rr-1"]);
  });
});

describe("integration tools: scope, pages and hostile queries", () => {
  test("brand-scoped staff see the per-brand switches of their brands only, in every reply", async () => {
    const other = await node.addBrand();
    const own = await registerProvider(node, "standard", { allBrands: false });
    await staff(node, "PUT", `/integration/providers/${own.code}/brands/${other}`, { enabled: true });
    await staff(node, "PUT", `/integration/providers/${own.code}/games/slot-1/brands/${other}`, { enabled: false });
    const brandAdmin = await tokenFor("admin", brand);
    const everything = await staff(node, "GET", `/integration/providers/${own.code}`);
    expect(everything.body.provider.brands).toEqual({ [other]: true });

    const listed = await staff(node, "GET", `/integration/providers?limit=200`, undefined, brandAdmin);
    const seen = [...listed.body.items];
    for (let cursor = listed.body.nextCursor; cursor !== null; ) {
      const next = await staff(node, "GET", `/integration/providers?limit=200&cursor=${cursor}`, undefined, brandAdmin);
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(seen.find((p: any) => p.code === own.code).brands).toEqual({});
    expect(seen.every((p: any) => Object.keys(p.brands).every((b) => b === brand))).toBe(true);
    expect((await staff(node, "GET", `/integration/providers/${own.code}`, undefined, brandAdmin)).body.provider.brands).toEqual({});
    const switched = await staff(node, "PUT", `/integration/providers/${own.code}/brands/${brand}`, { enabled: true }, brandAdmin);
    expect(switched.body.provider.brands).toEqual({ [brand]: true });
    const games = await staff(node, "GET", `/integration/games?provider=${own.code}`, undefined, brandAdmin);
    expect(games.body.items.map((g: any) => g.brands)).toEqual([{}, {}]);
    const game = await staff(node, "PUT", `/integration/providers/${own.code}/games/slot-2/brands/${brand}`, { enabled: true }, brandAdmin);
    expect(game.body.game.brands).toEqual({ [brand]: true });
  });

  test("registry lists page by cursor: every provider once, in code order", async () => {
    for (let i = 0; i < 3; i++) await registerProvider(node, "batch");
    const codes: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await staff(node, "GET", `/integration/providers?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      codes.push(...page.body.items.map((p: any) => p.code));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(codes).toEqual([...new Set(codes)].sort());
    expect(codes).toContain(provider.code);
    const games = await staff(node, "GET", `/integration/games?provider=${provider.code}&limit=1`);
    expect(games.body).toEqual({ items: [expect.objectContaining({ code: "slot-1" })], nextCursor: `${provider.code}/slot-1` });
    const rest = await staff(node, "GET", `/integration/games?provider=${provider.code}&limit=1&cursor=${games.body.nextCursor}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ code: "slot-2" })], nextCursor: null });
  });

  test("hostile cursors, ids and limits are 400 at the edge; game@brand never sees them and goes on answering", async () => {
    const rounds = `/integration/brands/${brand}/rounds`;
    const hostile = [
      "cursor=9999999999999999999",
      "cursor=99999999999999999999.1",
      "cursor=1.2",
      "cursor=-1",
      "player=a%00b",
      "player=" + "x".repeat(201),
      "provider=Bad%20Code",
      "limit=0",
      "limit=201",
      "limit=abc",
      "status=gone",
    ];
    for (const query of hostile) {
      for (const path of [rounds, `/integration/brands/${brand}/sessions`]) {
        if (path.endsWith("sessions") && (query.startsWith("provider") || query.startsWith("status"))) continue;
        const reply = await staff(node, "GET", `${path}?${query}`);
        expect({ query, path, reply }).toEqual({ query, path, reply: { http: 400, body: { error: expect.objectContaining({ code: "validation_failed" }) } } });
      }
    }
    expect((await staff(node, "GET", `${rounds}/${provider.code}/round%00x`)).http).toBe(400);
    expect((await staff(node, "GET", `${rounds}?cursor=9223372036854775807&limit=200`)).http).toBe(200);
    const gameActor = node.ctx.system.status().find((a) => a.address === `game@${brand}`);
    expect(gameActor).toMatchObject({ restarts: 0, degradedUntil: null });
    expect((await node.ctx.system.transport.stats(`game@${brand}`)).deadLetters).toBe(0);
  });

  test("a brand nobody created is 404 brand_not_found, after the scope check", async () => {
    expect((await staff(node, "GET", "/integration/brands/no-such-brand/sessions")).body.error.code).toBe("brand_not_found");
    expect((await staff(node, "PUT", `/integration/providers/${provider.code}/brands/no-such-brand`, { enabled: true })).body.error.code).toBe("brand_not_found");
    const brandAdmin = await tokenFor("admin", brand);
    expect((await staff(node, "GET", "/integration/brands/no-such-brand/sessions", undefined, brandAdmin)).body.error.code).toBe("forbidden");
  });
});
