import { describe, expect, test } from "bun:test";
import { registerPlayer } from "../../actors/player/index.ts";
import { newPlayer, outboxTypes, playerSystem, STAFF } from "./player-system.ts";

async function twoPlayers(p: Awaited<ReturnType<typeof playerSystem>>) {
  const a = await registerPlayer(p.auth(), newPlayer());
  const b = await registerPlayer(p.auth(), newPlayer());
  if (!a.ok || !b.ok) throw new Error("register failed");
  return { alice: a.value.id, bob: b.value.id };
}

describe("player inbox and inquiries", () => {
  test("direct and broadcast messages, unread counts, mark read", async () => {
    await using p = await playerSystem();
    const { alice, bob } = await twoPlayers(p);
    const at = `player@${p.brand}`;
    const direct = await p.system.ask<{ messageId: number }>(at, "sendMessage", { playerId: alice, title: "Welcome", body: "Hello Alice", by: STAFF });
    await p.system.ask(at, "sendMessage", { playerId: null, title: "Maintenance", body: "Tonight 2am", by: STAFF });
    const inbox = await p.system.ask<{ items: { id: number; broadcast: boolean; readAt: number | null }[]; nextCursor: string | null; total: number; unread: number }>(
      at,
      "listMessages",
      { playerId: alice },
    );
    expect(inbox).toMatchObject({ total: 2, unread: 2, nextCursor: null });
    expect(inbox.items.map((m) => m.broadcast)).toEqual([true, false]);
    const read = await p.system.ask<{ readAt: number | null }>(at, "readMessage", { playerId: alice, messageId: direct.messageId });
    expect(read.readAt).toBeNumber();
    expect(await p.system.ask(at, "unreadCounts", { playerId: alice })).toEqual({ messages: 1, openInquiries: 0 });
    // bob sees the broadcast, unread, and not alice's message
    const bobs = await p.system.ask<{ total: number; unread: number }>(at, "listMessages", { playerId: bob });
    expect(bobs).toMatchObject({ total: 1, unread: 1 });
    expect(outboxTypes(p.shard()).filter((t) => t === "message.sent")).toHaveLength(2);
  });

  test("a player cannot read or mark another player's message", async () => {
    await using p = await playerSystem();
    const { alice, bob } = await twoPlayers(p);
    const at = `player@${p.brand}`;
    const { messageId } = await p.system.ask<{ messageId: number }>(at, "sendMessage", { playerId: alice, title: "Private", body: "for alice", by: STAFF });
    expect(await p.system.askOutcome(at, "getMessage", { playerId: bob, messageId })).toMatchObject({ ok: false, error: { code: "message_not_found" } });
    expect(await p.system.askOutcome(at, "readMessage", { playerId: bob, messageId })).toMatchObject({ ok: false, error: { code: "message_not_found" } });
    expect(p.shard().sqlite.query("select count(*) as n from message_reads").get()).toEqual({ n: 0 });
  });

  test("a broadcast sent before a player signed up is not in their inbox", async () => {
    await using p = await playerSystem();
    const at = `player@${p.brand}`;
    await p.system.ask(at, "sendMessage", { playerId: null, title: "Old news", body: "before you came", by: STAFF });
    const late = await registerPlayer(p.auth(), newPlayer());
    if (!late.ok) throw new Error("register failed");
    // created_at is in ms; make the gap certain
    p.shard().sqlite.query("update player_messages set created_at = created_at - 10").run();
    expect(await p.system.ask(at, "listMessages", { playerId: late.value.id })).toMatchObject({ total: 0, unread: 0 });
  });

  test("inquiries: the player asks, staff reply, only the owner sees it", async () => {
    await using p = await playerSystem();
    const { alice, bob } = await twoPlayers(p);
    const at = `player@${p.brand}`;
    const body = "Robert'); DROP TABLE inquiries;-- my deposit is missing";
    const inquiry = await p.system.ask<{ id: number; status: string }>(at, "createInquiry", { playerId: alice, title: "Deposit", body });
    expect(inquiry.status).toBe("open");
    expect(await p.system.ask(at, "unreadCounts", { playerId: alice })).toEqual({ messages: 0, openInquiries: 1 });
    expect(await p.system.askOutcome(at, "getInquiry", { playerId: bob, inquiryId: inquiry.id })).toMatchObject({ ok: false, error: { code: "inquiry_not_found" } });
    const open = await p.system.ask<{ items: { id: number }[] }>(at, "listInquiries", { status: "open" });
    expect(open.items.map((i) => i.id)).toEqual([inquiry.id]);
    const answered = await p.system.ask<{ status: string; replies: { body: string; staffId: string }[] }>(at, "replyInquiry", {
      inquiryId: inquiry.id,
      body: "Found it",
      by: STAFF,
    });
    expect(answered).toMatchObject({ status: "answered", replies: [{ body: "Found it", staffId: STAFF.staffId }] });
    const mine = await p.system.ask<{ body: string; replies: { body: string }[] }>(at, "getInquiry", { playerId: alice, inquiryId: inquiry.id });
    expect(mine.body).toBe(body);
    expect(mine.replies.map((r) => r.body)).toEqual(["Found it"]);
    expect(outboxTypes(p.shard())).toContain("inquiry.created");
    expect(outboxTypes(p.shard())).toContain("inquiry.answered");
  });
});

describe("site content", () => {
  test("notices, banners and FAQ: hidden ones only for staff; settings merge", async () => {
    await using p = await playerSystem();
    const at = `player@${p.brand}`;
    const shown = await p.system.ask<{ id: number }>(at, "putContent", { kind: "notice", title: "Open", body: "Welcome", sort: 2, by: STAFF });
    await p.system.ask(at, "putContent", { kind: "notice", title: "Draft", published: false, by: STAFF });
    const banner = await p.system.ask<{ id: number }>(at, "putContent", {
      kind: "banner",
      title: "Promo",
      imageUrl: "https://cdn.example/b.png",
      linkUrl: "https://example/promo",
      by: STAFF,
    });
    expect(await p.system.askOutcome(at, "putContent", { kind: "banner", title: "x", imageUrl: "javascript:alert(1)", by: STAFF })).toMatchObject({ ok: false });
    // an entry keeps its kind: the banner is neither replaced nor removed as a notice
    expect(await p.system.askOutcome(at, "putContent", { id: banner.id, kind: "notice", title: "x", by: STAFF })).toMatchObject({
      ok: false,
      error: { code: "content_not_found" },
    });
    expect(await p.system.ask(at, "deleteContent", { id: banner.id, kind: "notice", by: STAFF })).toEqual({ deleted: false });
    const publicNotices = await p.system.ask<{ items: { title: string }[] }>(at, "listContent", { kind: "notice" });
    expect(publicNotices.items.map((n) => n.title)).toEqual(["Open"]);
    const all = await p.system.ask<{ items: unknown[] }>(at, "listContent", { kind: "notice", includeHidden: true });
    expect(all.items).toHaveLength(2);
    await p.system.ask(at, "putContent", { id: shown.id, kind: "notice", title: "Open now", by: STAFF });
    expect(await p.system.ask(at, "deleteContent", { id: shown.id, by: STAFF })).toEqual({ deleted: true });
    expect(await p.system.ask(at, "deleteContent", { id: shown.id, by: STAFF })).toEqual({ deleted: false });

    await p.system.ask(at, "putSiteSettings", { settings: { siteName: "Acme", minDeposit: 10000 }, by: STAFF });
    const merged = await p.system.ask(at, "putSiteSettings", { settings: { minDeposit: null, contact: { telegram: "@acme" } }, by: STAFF });
    expect(merged).toEqual({ settings: { contact: { telegram: "@acme" }, siteName: "Acme" } });
    expect(await p.system.askOutcome(at, "putSiteSettings", { settings: { "bad key;": 1 }, by: STAFF })).toMatchObject({ ok: false });
  });
});
