import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { createEdges } from "../../edges/index.ts";
import { signAccessToken } from "../../edges/shared/index.ts";
import { testNode } from "../support/test-node.ts";
import { count, type GatewayNode, gatewayNode, loggedIn, PLAYER_MOUNTS, signup } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  [acme, beta] = gw.brands as [string, string];
});
afterAll(() => gw.close());

describe("/internal/players happy", () => {
  test("list and search players, read one", async () => {
    const p = await loggedIn(gw, acme);
    const found = await gw.internal(acme, "GET", `/internal/players?search=${p.input.username}`);
    expect(found.body).toEqual({ items: [expect.objectContaining({ id: p.playerId, username: p.input.username })], nextCursor: null });
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`)).body).toMatchObject({ id: p.playerId, status: "active" });
  });

  test("suspend, reinstate and reset a password; who acted comes from the caller when no staff token is forwarded", async () => {
    const p = await loggedIn(gw, acme);
    const suspended = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/suspend`, { json: { reason: "KYC", by: "migration-7" } });
    expect(suspended.body.player.status).toBe("suspended");
    const event = gw.shard(acme).sqlite.query("select payload from outbox where type = 'player.suspended' order by seq desc limit 1").get() as { payload: string };
    expect(JSON.parse(event.payload)).toEqual({ playerId: p.playerId, reason: "KYC", by: "service:migration-7" });
    expect((await gw.internal(acme, "POST", `/internal/players/${p.playerId}/reinstate`, { json: {} })).body.player.status).toBe("active");
    const reinstated = gw.shard(acme).sqlite.query("select payload from outbox where type = 'player.reinstated' order by seq desc limit 1").get() as { payload: string };
    expect(JSON.parse(reinstated.payload)).toEqual({ playerId: p.playerId, by: "service" });

    const reset = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/reset-password`, { json: { password: "reset by staff 1" } });
    expect(reset.status).toBe(200);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: p.token })).status).toBe(401);
    expect((await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: p.input.username, password: "reset by staff 1" } })).status).toBe(200);
  });

  test("players page newest first through nextCursor", async () => {
    const brand = await gw.addBrand();
    const made = [await loggedIn(gw, brand), await loggedIn(gw, brand), await loggedIn(gw, brand)];
    const first = await gw.internal(brand, "GET", "/internal/players?limit=2");
    const second = await gw.internal(brand, "GET", `/internal/players?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((p: { id: string }) => p.id)).toEqual(made.map((p) => p.playerId).reverse());
    expect(second.body.nextCursor).toBeNull();
  });
});

describe("/internal/players bad input", () => {
  test("SQL-looking searches find nothing and change nothing; bad ids are 400", async () => {
    await loggedIn(gw, acme);
    for (const search of ["%' OR '1'='1", "_%", "\\"]) {
      const res = await gw.internal(acme, "GET", `/internal/players?search=${encodeURIComponent(search)}`);
      expect([res.status, res.body.items]).toEqual([200, []]);
    }
    expect((await gw.internal(acme, "GET", "/internal/players/not-a-uuid")).status).toBe(400);
    expect((await gw.internal(acme, "POST", `/internal/players/${crypto.randomUUID()}/suspend`, { json: { reason: "x" } })).status).toBe(404);
    expect((await gw.internal(acme, "POST", `/internal/players/${crypto.randomUUID()}/suspend`, { json: {} })).status).toBe(400);
  });

  test("control characters in reasons, messages, replies, searches and names of who acted are 400, nothing written", async () => {
    const p = await loggedIn(gw, acme);
    const messages = count(gw, acme, "player_messages");
    const calls: [string, string, unknown][] = [
      ["POST", `/internal/players/${p.playerId}/suspend`, { reason: "fraud\u0000" }],
      ["POST", `/internal/players/${p.playerId}/suspend`, { reason: "fraud", by: "evil\u0000name" }],
      ["POST", `/internal/players/${p.playerId}/messages`, { title: "nul\u0000", body: "x" }],
      ["POST", "/internal/players/messages/broadcast", { title: "ok", body: "a\u0000b" }],
      ["POST", "/internal/players/messages/broadcast", { title: "ok", body: "b", senderId: "a b" }],
      ["POST", "/internal/players/inquiries/1/replies", { body: "\u0000" }],
    ];
    for (const [method, path, json] of calls) {
      expect(await gw.internal(acme, method, path, { json })).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    for (const query of ["search=a%00b", "cursor=9223372036854775808", "cursor=abc", "limit=500"]) {
      expect((await gw.internal(acme, "GET", `/internal/players?${query}`)).status).toBe(400);
      expect((await gw.internal(acme, "GET", `/internal/players/inquiries?${query}`)).status).toBe(query.startsWith("search") ? 200 : 400);
    }
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`)).body.status).toBe("active");
    expect(count(gw, acme, "player_messages")).toBe(messages);
  });
});

describe("/internal/players security", () => {
  test("another brand's player is not found; a forwarded token of another brand is refused", async () => {
    const p = await loggedIn(gw, acme);
    expect((await gw.internal(beta, "GET", `/internal/players/${p.playerId}`)).status).toBe(404);
    const staffOfBeta = await signAccessToken(gw.node, { sub: "staff-7", brand: beta, role: "support", kind: "staff" }, 60);
    const res = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/suspend`, { json: { reason: "x" }, headers: { "x-access-token": staffOfBeta } });
    expect(res).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`)).body.status).toBe("active");
  });

  test("a forwarded staff token whose session is not live is refused: nobody acts in its name", async () => {
    const p = await loggedIn(gw, acme);
    const noSession = await signAccessToken(gw.node, { sub: "staff-42", brand: acme, role: "support", kind: "staff" }, 60);
    const res = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/suspend`, { json: { reason: "x" }, headers: { "x-access-token": noSession } });
    expect(res).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`)).body.status).toBe("active");
  });
});

describe("suspension is one command to player@brand", () => {
  test("it succeeds on a node without the wallet: the wallet follows the event, not the edge", async () => {
    await using platform = await testNode({ label: "susp", domains: ["player"] });
    const brand = await platform.addBrand({ prefix: "susp", surfaces: ["gateway"] });
    const apps = createEdges(platform.edge, PLAYER_MOUNTS);
    const internal = (path: string, json: unknown) =>
      apps.internal.request(`http://internal.test${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${platform.parts.config.secrets.service}`, "x-brand-id": brand, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
    const registered = await registerPlayer({ players: platform.edge.clients.player(brand), credentials: platform.edge.credentials }, signup());
    if (!registered.ok) throw new Error(registered.error.message);
    const playerId = registered.value.id;
    const suspended = await internal(`/internal/players/${playerId}/suspend`, { reason: "fraud review" });
    expect(suspended.status).toBe(200);
    const reinstated = await internal(`/internal/players/${playerId}/reinstate`, {});
    expect(reinstated.status).toBe(200);
    const events = platform.parts.shards.acquire(brand).sqlite.query("select type, payload from outbox where type like 'player.%' order by seq").all() as {
      type: string;
      payload: string;
    }[];
    expect(events.slice(-2).map((e) => [e.type, JSON.parse(e.payload)])).toEqual([
      ["player.suspended", { playerId, reason: "fraud review", by: "service" }],
      ["player.reinstated", { playerId, by: "service" }],
    ]);
  });
});
