import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, type GatewayNode, gatewayNode, loggedIn } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  [acme, beta] = gw.brands as [string, string];
});
afterAll(() => gw.close());

const sendTo = (brand: string, playerId: string, title: string) =>
  gw.internal(brand, "POST", `/internal/players/${playerId}/messages`, { json: { title, body: `${title} body`, senderId: "staff-1" } });

describe("/api/v1/messages and /inquiries happy", () => {
  test("staff write, the player lists, reads, and the unread count drops", async () => {
    const p = await loggedIn(gw, acme);
    const sent = await sendTo(acme, p.playerId, "Welcome");
    expect(sent.status).toBe(201);
    await gw.internal(acme, "POST", "/internal/players/messages/broadcast", { json: { title: "Event", body: "Weekend bonus" } });
    const inbox = await gw.call(acme, "GET", "/api/v1/messages?limit=10", { token: p.token });
    expect(inbox).toMatchObject({ status: 200, body: { total: 2, unread: 2, nextCursor: null } });
    const read = await gw.call(acme, "POST", `/api/v1/messages/${sent.body.messageId}/read`, { token: p.token });
    expect(read.body.readAt).toBeNumber();
    expect(await gw.call(acme, "GET", "/api/v1/messages/unread", { token: p.token })).toMatchObject({ body: { messages: 1 } });
    expect((await gw.call(acme, "GET", `/api/v1/messages/${sent.body.messageId}`, { token: p.token })).body.title).toBe("Welcome");
  });

  test("an inquiry, its answer from staff, and the player reading it", async () => {
    const p = await loggedIn(gw, acme);
    const asked = await gw.call(acme, "POST", "/api/v1/inquiries", { token: p.token, json: { title: "Deposit", body: "My deposit of 10000 is not in yet" } });
    expect(asked).toMatchObject({ status: 201, body: { status: "open" } });
    const queue = await gw.internal(acme, "GET", "/internal/players/inquiries?status=open");
    expect(queue.body.items.some((i: { id: number }) => i.id === asked.body.id)).toBe(true);
    const reply = await gw.internal(acme, "POST", `/internal/players/inquiries/${asked.body.id}/replies`, { json: { body: "Approved now", staffId: "staff-2" } });
    expect(reply).toMatchObject({ status: 201, body: { status: "answered" } });
    const mine = await gw.call(acme, "GET", `/api/v1/inquiries/${asked.body.id}`, { token: p.token });
    expect(mine.body.replies.map((r: { body: string }) => r.body)).toEqual(["Approved now"]);
    expect((await gw.call(acme, "GET", "/api/v1/inquiries", { token: p.token })).body).toMatchObject({ items: [{ id: asked.body.id }], nextCursor: null });
  });

  test("the inbox pages newest first: ?limit= and the nextCursor of the page before", async () => {
    const p = await loggedIn(gw, acme);
    for (const title of ["one", "two", "three"]) await sendTo(acme, p.playerId, title);
    const first = await gw.call(acme, "GET", "/api/v1/messages?limit=2", { token: p.token });
    expect(first.body.items.map((m: { title: string }) => m.title)).toEqual(["three", "two"]);
    const second = await gw.call(acme, "GET", `/api/v1/messages?limit=2&cursor=${first.body.nextCursor}`, { token: p.token });
    expect(second.body).toMatchObject({ items: [{ title: "one" }], nextCursor: null, total: 3, unread: 3 });
  });
});

describe("/api/v1/messages bad input", () => {
  test("ids that are not ids and oversized inquiries are 400, nothing written", async () => {
    const p = await loggedIn(gw, acme);
    const reads = count(gw, acme, "message_reads");
    for (const id of ["abc", "1%20OR%201%3D1", "-1", "1.5", "99999999999999999999"]) {
      expect((await gw.call(acme, "GET", `/api/v1/messages/${id}`, { token: p.token })).status).toBe(400);
      expect((await gw.call(acme, "POST", `/api/v1/messages/${id}/read`, { token: p.token })).status).toBe(400);
    }
    const before = count(gw, acme, "inquiries");
    expect((await gw.call(acme, "POST", "/api/v1/inquiries", { token: p.token, json: { title: "t".repeat(201), body: "x" } })).status).toBe(400);
    expect((await gw.call(acme, "POST", "/api/v1/inquiries", { token: p.token, json: { title: "ok", body: "b".repeat(5001) } })).status).toBe(400);
    expect((await gw.call(acme, "POST", "/api/v1/inquiries", { token: p.token, json: { title: "  ", body: "x" } })).status).toBe(400);
    expect(count(gw, acme, "inquiries")).toBe(before);
    expect(count(gw, acme, "message_reads")).toBe(reads);
  });

  test("control characters in an inquiry are 400 validation_failed, nothing written", async () => {
    const p = await loggedIn(gw, acme);
    const before = count(gw, acme, "inquiries");
    for (const json of [
      { title: "nul\u0000", body: "x" },
      { title: "ok", body: "a\u0000b" },
      { title: "esc\u001b[2J", body: "x" },
      { title: "ok", body: "c1\u0085" },
    ]) {
      const res = await gw.call(acme, "POST", "/api/v1/inquiries", { token: p.token, json });
      expect(res).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    expect(count(gw, acme, "inquiries")).toBe(before);
  });

  test("cursors past int64 or not digits, and pages over 200, are 400 (the actor never sees them)", async () => {
    const p = await loggedIn(gw, acme);
    for (const path of ["/api/v1/messages", "/api/v1/inquiries"]) {
      for (const query of ["cursor=9223372036854775808", "cursor=99999999999999999999", "cursor=1e3", "cursor=-1", "limit=201", "limit=0"]) {
        expect(await gw.call(acme, "GET", `${path}?${query}`, { token: p.token })).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
      }
      expect((await gw.call(acme, "GET", `${path}?cursor=9223372036854775807`, { token: p.token })).status).toBe(200);
    }
  });
});

describe("/api/v1/messages security", () => {
  test("a player cannot read, mark or see another player's message or inquiry", async () => {
    const alice = await loggedIn(gw, acme);
    const bob = await loggedIn(gw, acme);
    const sent = await sendTo(acme, alice.playerId, "Private");
    const id = sent.body.messageId;
    expect(await gw.call(acme, "GET", `/api/v1/messages/${id}`, { token: bob.token })).toMatchObject({ status: 404, body: { error: { code: "message_not_found" } } });
    const reads = count(gw, acme, "message_reads");
    expect((await gw.call(acme, "POST", `/api/v1/messages/${id}/read`, { token: bob.token })).status).toBe(404);
    expect(count(gw, acme, "message_reads")).toBe(reads);
    expect((await gw.call(acme, "GET", "/api/v1/messages", { token: bob.token })).body.items.some((m: { id: number }) => m.id === id)).toBe(false);
    const asked = await gw.call(acme, "POST", "/api/v1/inquiries", { token: alice.token, json: { title: "Mine", body: "private question" } });
    expect((await gw.call(acme, "GET", `/api/v1/inquiries/${asked.body.id}`, { token: bob.token })).status).toBe(404);
  });

  test("no token, a token of another brand, and the internal edge without the service token", async () => {
    const p = await loggedIn(gw, acme);
    expect((await gw.call(acme, "GET", "/api/v1/messages")).status).toBe(401);
    expect((await gw.call(beta, "GET", "/api/v1/messages", { token: p.token })).status).toBe(403);
    const noService = await gw.internal(acme, "POST", `/internal/players/${p.playerId}/messages`, { token: "not-the-service-token", json: { title: "x", body: "y" } });
    expect(noService.status).toBe(401);
    // a player token is no service token either
    expect((await gw.internal(acme, "GET", `/internal/players/${p.playerId}`, { token: p.token })).status).toBe(401);
  });
});
