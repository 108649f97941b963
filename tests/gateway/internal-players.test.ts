import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signAccessToken } from "../../edges/shared/index.ts";
import { gatewayNode, loggedIn, type GatewayNode } from "./gateway-node.ts";

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
    expect(found.body).toMatchObject({ total: 1, items: [{ id: p.playerId, username: p.input.username }] });
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`)).body).toMatchObject({ id: p.playerId, status: "active" });
  });

  test("suspend, reinstate and reset a password; the acting staff member comes from the forwarded token", async () => {
    const p = await loggedIn(gw, acme);
    const staff = await signAccessToken(gw.node, { sub: "staff-42", brand: acme, role: "support", kind: "staff" }, 60);
    const suspended = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/suspend`, { json: { reason: "KYC" }, headers: { "x-access-token": staff } });
    expect(suspended.body.player.status).toBe("suspended");
    const event = gw.shard(acme).sqlite.query("select payload from outbox where type = 'player.suspended' order by seq desc limit 1").get() as { payload: string };
    expect(JSON.parse(event.payload)).toEqual({ playerId: p.playerId, reason: "KYC", by: "staff-42" });
    expect((await gw.internal(acme, "POST", `/internal/players/${p.playerId}/reinstate`, { json: {} })).body.player.status).toBe("active");

    const reset = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/reset-password`, { json: { password: "reset by staff 1" } });
    expect(reset.status).toBe(200);
    expect((await gw.call(acme, "GET", "/api/v1/me", { token: p.token })).status).toBe(401);
    expect((await gw.call(acme, "POST", "/api/v1/auth/login", { json: { username: p.input.username, password: "reset by staff 1" } })).status).toBe(200);
  });
});

describe("/internal/players bad input", () => {
  test("SQL-looking searches find nothing and change nothing; bad ids are 400", async () => {
    await loggedIn(gw, acme);
    for (const search of ["%' OR '1'='1", "_%", "\\"]) {
      const res = await gw.internal(acme, "GET", `/internal/players?search=${encodeURIComponent(search)}`);
      expect([res.status, res.body.total]).toEqual([200, 0]);
    }
    expect((await gw.internal(acme, "GET", "/internal/players/not-a-uuid")).status).toBe(400);
    expect((await gw.internal(acme, "POST", `/internal/players/${crypto.randomUUID()}/suspend`, { json: { reason: "x" } })).status).toBe(404);
    expect((await gw.internal(acme, "POST", `/internal/players/${crypto.randomUUID()}/suspend`, { json: {} })).status).toBe(400);
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
});
