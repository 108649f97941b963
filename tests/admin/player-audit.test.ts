import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { waitFor } from "../support/services.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

/**
 * Staff changes to players, inboxes, inquiries and site content are audited by `player@brand`
 * in the commit that makes them; identity records the row from the event. Each action: the
 * row appears with the change, and a refused change leaves none (shown by a refused change,
 * then a good one: the good one's row arriving means the refused one's would have too, since
 * one brand's events arrive in order).
 */

type Row = { seq: string; staff_id: string | null; username: string; action: string; brand: string | null; target: string | null; before: any; after: any; ip: string | null };

let bo: BackOffice;
let owner: { token: string; username: string; staffId: string };
let brand: string;
let playerId: string;

beforeAll(async () => {
  bo = await backOffice();
  brand = bo.brands[0];
  owner = await bo.staff("owner", null);
  playerId = await newPlayer();
}, 60_000);
afterAll(() => bo.close());

async function newPlayer(): Promise<string> {
  const n = crypto.randomUUID().slice(0, 6);
  const bank = { name: "Kookmin", account: "123-456-7890", holder: "Hong Gildong" };
  const registered = await registerPlayer(
    { players: bo.edge.clients.player(brand), credentials: bo.edge.credentials },
    { username: `user_${n}`, password: "correct horse 1", nickname: `nick${n}`, phone: "010-1234-5678", bank },
  );
  if (!registered.ok) throw new Error(registered.error.message);
  return registered.value.id;
}

const rowsAfter = (seq: string) =>
  bo.node.store.query<Row>(
    "select seq::text as seq, staff_id, username, action, brand_id as brand, target, before, after, ip from audit_log where brand_id = $1 and seq > $2::bigint order by seq",
    [brand, seq],
  );
const lastSeq = async () => (await bo.node.store.query<{ seq: string }>("select coalesce(max(seq), 0)::text as seq from audit_log"))[0]!.seq;

async function admin(method: string, path: string, body?: unknown) {
  const res = await bo.admin(method, path, { token: owner.token, body });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Run the refused calls, then the good one; wait for the good one's row and return every row
 * written since the first call (so a refused call's row would be among them).
 */
async function refusedThenDone(refused: (() => Promise<{ status: number; body: any }>)[], done: () => Promise<{ status: number; body: any }>) {
  const from = await lastSeq();
  for (const call of refused) {
    const answer = await call();
    // refused, or (a delete of nothing) answered as no change
    expect(answer.status >= 400 || answer.body.deleted === false).toBe(true);
  }
  const reply = await done();
  expect(reply.status).toBeLessThan(300);
  const written = await waitFor(
    async () => {
      const found = await rowsAfter(from);
      return found.length > 0 ? found : undefined;
    },
    { what: "the audit rows" },
  );
  return { reply: reply.body, rows: written };
}

const nobody = () => crypto.randomUUID();

describe("admin player routes: the audit row is written with the change, never for a refused one", () => {
  test("suspend and reinstate", async () => {
    const p = `/api/v1/brands/${brand}/players`;
    let { reply, rows } = await refusedThenDone(
      [() => admin("POST", `${p}/${nobody()}/suspend`, { reason: "x" }), () => admin("POST", `${p}/${playerId}/suspend`, { reason: "nul\u0000" })],
      () => admin("POST", `${p}/${playerId}/suspend`, { reason: "chargeback" }),
    );
    expect(reply.status).toBe("suspended");
    expect(rows).toEqual([
      expect.objectContaining({
        staff_id: owner.staffId,
        username: owner.username,
        action: "player.suspend",
        brand,
        target: `player:${playerId}`,
        before: { status: "active" },
        after: { status: "suspended", reason: "chargeback" },
      }),
    ]);
    ({ reply, rows } = await refusedThenDone([() => admin("POST", `${p}/${nobody()}/reinstate`)], () => admin("POST", `${p}/${playerId}/reinstate`)));
    expect(rows).toEqual([expect.objectContaining({ action: "player.reinstate", before: { status: "suspended" }, after: { status: "active" } })]);
  });

  test("a password reset, without the password", async () => {
    const p = `/api/v1/brands/${brand}/players`;
    const { reply, rows } = await refusedThenDone([() => admin("POST", `${p}/${nobody()}/reset-password`)], () => admin("POST", `${p}/${playerId}/reset-password`));
    expect(reply.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(rows).toEqual([expect.objectContaining({ action: "player.reset_password", target: `player:${playerId}`, after: { passwordVersion: reply.passwordVersion } })]);
    expect(JSON.stringify(rows)).not.toContain(reply.temporaryPassword);
  });

  test("a message, a broadcast and an inquiry reply", async () => {
    const b = `/api/v1/brands/${brand}`;
    let { reply, rows } = await refusedThenDone([() => admin("POST", `${b}/players/${nobody()}/messages`, { title: "Hello", body: "x" })], () =>
      admin("POST", `${b}/players/${playerId}/messages`, { title: "Hello", body: "Your deposit is in." }),
    );
    expect(rows).toEqual([expect.objectContaining({ action: "player.message", target: `player:${playerId}`, after: { messageId: reply.messageId, title: "Hello" } })]);
    ({ reply, rows } = await refusedThenDone([() => admin("POST", `${b}/messages`, { title: "nul\u0000", body: "x" })], () =>
      admin("POST", `${b}/messages`, { title: "Maintenance", body: "Tonight at 2am." }),
    ));
    expect(rows).toEqual([
      expect.objectContaining({ action: "player.broadcast", target: `message:${reply.messageId}`, after: { messageId: reply.messageId, title: "Maintenance" } }),
    ]);

    const inquiry = await bo.edge.clients.player(brand).createInquiry({ playerId, title: "Where is my deposit", body: "I sent 30000" });
    if (!inquiry.ok) throw new Error(inquiry.error.message);
    ({ rows } = await refusedThenDone([() => admin("POST", `${b}/inquiries/999999/reply`, { body: "x" })], () =>
      admin("POST", `${b}/inquiries/${inquiry.value.id}/reply`, { body: "It is credited now." }),
    ));
    expect(rows).toEqual([
      expect.objectContaining({
        action: "inquiry.reply",
        target: `inquiry:${inquiry.value.id}`,
        before: { status: "open" },
        after: { status: "answered", body: "It is credited now." },
      }),
    ]);
  });
});

describe("admin player routes refuse control characters before any actor sees them", () => {
  test("in notes (which admin@brand writes to PostgreSQL), reasons, messages, replies and searches", async () => {
    const b = `/api/v1/brands/${brand}`;
    const calls: [string, string, unknown][] = [
      ["POST", `${b}/players/${playerId}/notes`, { body: "called\u0000" }],
      ["POST", `${b}/players/${playerId}/suspend`, { reason: "\u001b[2J" }],
      ["POST", `${b}/players/${playerId}/messages`, { title: "ok", body: "nul\u0000" }],
      ["POST", `${b}/inquiries/1/reply`, { body: "\u0000" }],
      ["GET", `${b}/players?search=a%00b`, undefined],
      ["GET", `${b}/inquiries?cursor=9223372036854775808`, undefined],
    ];
    for (const [method, path, body] of calls) expect(await admin(method, path, body)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    expect((await admin("GET", `${b}/players/${playerId}/notes`)).body.items).toEqual([]);
  });
});

describe("admin content routes: the audit row is written with the change, never for a refused one", () => {
  test("notices created, updated and deleted; banners", async () => {
    const b = `/api/v1/brands/${brand}`;
    let { reply, rows } = await refusedThenDone([() => admin("POST", `${b}/notices`, { title: "x", body: "a\u0000b" })], () =>
      admin("POST", `${b}/notices`, { title: "Welcome", body: "Hi" }),
    );
    const id = reply.id;
    expect(rows).toEqual([expect.objectContaining({ action: "content.create", target: `notice:${id}`, after: expect.objectContaining({ id, title: "Welcome" }) })]);
    // a banner is not a notice: replacing it through the notices is refused, deleting it there removes nothing
    const banner = (await refusedThenDone([], () => admin("POST", `${b}/banners`, { title: "Promo", imageUrl: "https://cdn.example/p.png" }))).reply;
    ({ rows } = await refusedThenDone([() => admin("PUT", `${b}/notices/${banner.id}`, { title: "Hijack" }), () => admin("PUT", `${b}/notices/999999`, { title: "x" })], () =>
      admin("PUT", `${b}/notices/${id}`, { title: "Welcome!", body: "Hi" }),
    ));
    expect(rows).toEqual([
      expect.objectContaining({
        action: "content.update",
        target: `notice:${id}`,
        before: expect.objectContaining({ title: "Welcome" }),
        after: expect.objectContaining({ title: "Welcome!" }),
      }),
    ]);
    ({ rows } = await refusedThenDone([() => admin("DELETE", `${b}/notices/${banner.id}`)], () => admin("DELETE", `${b}/notices/${id}`)));
    expect(rows).toEqual([expect.objectContaining({ action: "content.delete", target: `notice:${id}`, before: expect.objectContaining({ title: "Welcome!" }) })]);
  });

  test("site settings, with the settings before and after", async () => {
    const b = `/api/v1/brands/${brand}`;
    await refusedThenDone([], () => admin("PUT", `${b}/site-settings`, { settings: { siteName: "Acme" } }));
    const { rows } = await refusedThenDone(
      [() => admin("PUT", `${b}/site-settings`, { settings: { "bad key": 1 } }), () => admin("PUT", `${b}/site-settings`, { settings: { siteName: "nul\u0000" } })],
      () => admin("PUT", `${b}/site-settings`, { settings: { siteName: "Acme Casino", contact: "@acme" } }),
    );
    expect(rows).toEqual([
      expect.objectContaining({ action: "content.site_settings", target: `brand:${brand}`, before: { siteName: "Acme" }, after: { siteName: "Acme Casino", contact: "@acme" } }),
    ]);
  });
});

describe("internal routes are audited too, in the name of the forwarded staff token or of who the caller says acted", () => {
  const internal = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    const res = await bo.apps.internal.request(`http://internal.test${path}`, {
      method,
      headers: { authorization: `Bearer ${bo.node.config.secrets.service}`, "x-brand-id": brand, "content-type": "application/json", ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  test("a forwarded staff token names its member; a name in the body names itself, with no staff id", async () => {
    const support = await bo.staff("support", [brand]);
    const target = await newPlayer();
    let { rows } = await refusedThenDone([() => internal("POST", `/internal/players/${nobody()}/suspend`, { reason: "KYC" }, { "x-access-token": support.token })], () =>
      internal("POST", `/internal/players/${target}/suspend`, { reason: "KYC" }, { "x-access-token": support.token }),
    );
    expect(rows).toEqual([expect.objectContaining({ staff_id: support.staffId, username: support.username, action: "player.suspend", target: `player:${target}` })]);
    ({ rows } = await refusedThenDone([], () => internal("POST", `/internal/players/${target}/reinstate`, { by: "migration-7" })));
    expect(rows).toEqual([expect.objectContaining({ staff_id: null, username: "service:migration-7", action: "player.reinstate" })]);
    ({ rows } = await refusedThenDone([() => internal("POST", "/internal/common/content", { kind: "faq", title: "x", imageUrl: "javascript:alert(1)" })], () =>
      internal("POST", "/internal/common/content", { kind: "faq", title: "How to deposit?" }),
    ));
    expect(rows).toEqual([expect.objectContaining({ staff_id: null, username: "service", action: "content.create", target: expect.stringMatching(/^faq:\d+$/) })]);
  });
});
