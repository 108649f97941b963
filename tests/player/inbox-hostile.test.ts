import { describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { newPlayer, playerSystem, STAFF } from "./player-system.ts";

/**
 * `player@brand` refuses what its edges would, so nothing hostile reaches the shard or the
 * audit row identity writes to PostgreSQL (which refuses a NUL in text or JSON, and a lone
 * surrogate in JSON): control characters and lone surrogates in any text, cursors past int64.
 */

type System = Awaited<ReturnType<typeof playerSystem>>;
const counts = (p: System) =>
  p
    .shard()
    .sqlite.query(
      "select (select count(*) from player_messages) m, (select count(*) from inquiries) i, (select count(*) from site_content) c, (select count(*) from site_settings) s, (select count(*) from outbox) o",
    )
    .get();

async function onePlayer(p: System) {
  const registered = await registerPlayer(p.auth(), newPlayer());
  if (!registered.ok) throw new Error(registered.error.message);
  return registered.value.id;
}

describe("control characters and lone surrogates are refused before a turn", () => {
  test("in messages, inquiries, replies, reasons, content, settings and who acted", async () => {
    await using p = await playerSystem();
    const playerId = await onePlayer(p);
    const inquiry = await p.system.ask<{ id: number }>(`player@${p.brand}`, "createInquiry", { playerId, title: "Deposit", body: "Where is it?" });
    const before = counts(p);
    const hostile: [string, Record<string, unknown>][] = [
      ["sendMessage", { playerId, title: "hi\u0000", body: "x", by: STAFF }],
      ["sendMessage", { playerId: null, title: "hi", body: "line\u0000", by: STAFF }],
      ["sendMessage", { playerId: null, title: "tab\u0007bell", body: "x", by: STAFF }],
      ["createInquiry", { playerId, title: "\u001b[31mred", body: "x" }],
      ["createInquiry", { playerId, title: "ok", body: "nul \u0000 inside" }],
      ["replyInquiry", { inquiryId: inquiry.id, body: "\u0000", by: STAFF }],
      ["suspend", { playerId, reason: "fraud\u0000", by: STAFF }],
      ["suspend", { playerId, reason: "fraud", by: { staffId: null, username: "evil\u0000" } }],
      ["putContent", { kind: "notice", title: "x", body: "a\u0000b", by: STAFF }],
      ["putContent", { kind: "faq", title: "x", category: "c\u0085", by: STAFF }],
      ["putContent", { kind: "banner", title: "x", imageUrl: "https://cdn.example/\u0000.png", by: STAFF }],
      ["putSiteSettings", { settings: { siteName: "Acme\u0000" }, by: STAFF }],
      ["putSiteSettings", { settings: { contact: { "tele\u0000gram": "@acme" } }, by: STAFF }],
      ["putSiteSettings", { settings: { banners: [["deep", "b\uFEFFom"]] }, by: STAFF }],
      // a lone surrogate is no character, and the audit of it would be refused by PostgreSQL's jsonb
      ["sendMessage", { playerId, title: "fuzz\ud800", body: "x", by: STAFF }],
      ["createInquiry", { playerId, title: "ok", body: "\udc00 alone" }],
      ["putSiteSettings", { settings: { siteName: "Acme\ud83d" }, by: STAFF }],
    ];
    for (const [type, body] of hostile) {
      expect({ type, outcome: await p.system.askOutcome(`player@${p.brand}`, type, body) }).toMatchObject({ type, outcome: { ok: false, error: { code: "validation_failed" } } });
    }
    expect(counts(p)).toEqual(before);
    // multiline text keeps its newlines and tabs
    const sent = await p.system.askOutcome(`player@${p.brand}`, "sendMessage", { playerId, title: "Hi", body: "line one\n\tline two", by: STAFF });
    expect(sent.ok).toBe(true);
  });
});

describe("lists are pages of { items, nextCursor }", () => {
  test("players, messages, inquiries and content page through every row once", async () => {
    await using p = await playerSystem();
    const at = `player@${p.brand}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await onePlayer(p));
    for (let i = 0; i < 5; i++) await p.system.ask(at, "sendMessage", { playerId: ids[0], title: `m${i}`, body: "x", by: STAFF });
    for (let i = 0; i < 5; i++) await p.system.ask(at, "createInquiry", { playerId: ids[i], title: `q${i}`, body: "x" });
    for (let i = 0; i < 5; i++) await p.system.ask(at, "putContent", { kind: "faq", title: `f${i}`, sort: i % 2, by: STAFF });

    const walk = async (type: string, body: Record<string, unknown>, key: (item: any) => unknown) => {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await p.system.ask<{ items: unknown[]; nextCursor: string | null }>(at, type, { ...body, limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map(key));
        if (page.nextCursor === null) return seen;
        cursor = page.nextCursor;
      }
      throw new Error(`${type} never ended`);
    };
    expect(await walk("listPlayers", {}, (x) => x.id)).toEqual([...ids].reverse());
    expect(await walk("listMessages", { playerId: ids[0] }, (x) => x.title)).toEqual(["m4", "m3", "m2", "m1", "m0"]);
    expect(await walk("listInquiries", {}, (x) => x.title)).toEqual(["q4", "q3", "q2", "q1", "q0"]);
    expect(await walk("listContent", { kind: "faq" }, (x) => x.title)).toEqual(["f4", "f2", "f0", "f3", "f1"]);
    const first = await p.system.ask<{ items: unknown[]; nextCursor: string | null; total: number; unread: number }>(at, "listMessages", { playerId: ids[0], limit: 2 });
    expect(first).toMatchObject({ total: 5, unread: 5 });
    expect(first.items).toHaveLength(2);
  });

  test("a cursor at the top of int64 is a page; past it, or not digits, it is refused", async () => {
    await using p = await playerSystem();
    const at = `player@${p.brand}`;
    const playerId = await onePlayer(p);
    await p.system.ask(at, "sendMessage", { playerId, title: "m", body: "x", by: STAFF });
    const top = "9223372036854775807";
    expect(await p.system.ask(at, "listMessages", { playerId, cursor: top })).toMatchObject({ items: [{ title: "m" }], nextCursor: null });
    expect(await p.system.ask(at, "listPlayers", { cursor: top })).toMatchObject({ items: [{ id: playerId }], nextCursor: null });
    expect(await p.system.ask(at, "listContent", { kind: "faq", cursor: top })).toEqual({ items: [], nextCursor: null });
    for (const cursor of ["9223372036854775808", "99999999999999999999", "-1", "1e3"]) {
      for (const [type, body] of [
        ["listMessages", { playerId }],
        ["listPlayers", {}],
        ["listInquiries", {}],
        ["listContent", { kind: "notice" }],
      ] as const) {
        expect(await p.system.askOutcome(at, type, { ...body, cursor })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
      }
    }
    expect(await p.system.askOutcome(at, "listPlayers", { limit: 201 })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
  });
});
