import { describe, expect, test } from "bun:test";
import { AUDIT_RECORDED } from "../../actors/identity/index.ts";
import { hashPassword, registerPlayer } from "../../actors/player/index.ts";
import { newPlayer, playerSystem, STAFF } from "./player-system.ts";

/**
 * Staff changes to players, the inbox and the site are audited by `player@brand` itself: an
 * `audit.recorded` event in the shard outbox, in the commit that makes the change, with the
 * before and after the turn saw. A refused change writes neither the change nor its audit.
 */

type System = Awaited<ReturnType<typeof playerSystem>>;
type Event = { type: string; payload: any };

const eventsAfter = (p: System, seq: number): Event[] =>
  (p.shard().sqlite.query("select type, payload from outbox where seq > ? order by seq").all(seq) as { type: string; payload: string }[]).map((e) => ({
    type: e.type,
    payload: JSON.parse(e.payload),
  }));
const lastSeq = (p: System) => (p.shard().sqlite.query("select coalesce(max(seq), 0) as seq from outbox").get() as { seq: number }).seq;

/** Send one command and return the outcome with the events its commit wrote. */
async function change(p: System, type: string, body: Record<string, unknown>) {
  const from = lastSeq(p);
  const outcome = await p.system.askOutcome(`player@${p.brand}`, type, body);
  return { outcome, events: eventsAfter(p, from) };
}
const audits = (events: Event[]) => events.filter((e) => e.type === AUDIT_RECORDED).map((e) => e.payload);

async function onePlayer(p: System) {
  const registered = await registerPlayer(p.auth(), newPlayer());
  if (!registered.ok) throw new Error(registered.error.message);
  return registered.value.id;
}

describe("player@brand audits staff changes in their commit", () => {
  test("suspend and reinstate: the audit and the event the wallet and games follow; a repeat changes nothing", async () => {
    await using p = await playerSystem();
    const playerId = await onePlayer(p);
    const suspended = await change(p, "suspend", { playerId, reason: "chargeback", by: STAFF });
    expect(suspended.outcome).toMatchObject({ ok: true, value: { status: "suspended" } });
    expect(suspended.events.map((e) => e.type)).toEqual(["player.suspended", AUDIT_RECORDED]);
    expect(suspended.events[0]!.payload).toEqual({ playerId, reason: "chargeback", by: "staff-1" });
    expect(audits(suspended.events)).toEqual([
      { action: "player.suspend", brand: p.brand, target: `player:${playerId}`, before: { status: "active" }, after: { status: "suspended", reason: "chargeback" }, by: STAFF },
    ]);
    expect((await change(p, "suspend", { playerId, reason: "again", by: STAFF })).events).toEqual([]);

    const reinstated = await change(p, "reinstate", { playerId, by: { staffId: null, username: "ops-bot" } });
    expect(reinstated.events.map((e) => e.type)).toEqual(["player.reinstated", AUDIT_RECORDED]);
    expect(reinstated.events[0]!.payload).toEqual({ playerId, by: "ops-bot" });
    expect(audits(reinstated.events)).toEqual([
      expect.objectContaining({ action: "player.reinstate", before: { status: "suspended" }, after: { status: "active" }, by: { staffId: null, username: "ops-bot" } }),
    ]);
  });

  test("a password reset is audited by its version, never its hash", async () => {
    await using p = await playerSystem();
    const playerId = await onePlayer(p);
    const passwordHash = await hashPassword("a temporary one");
    const { outcome, events } = await change(p, "resetPassword", { playerId, passwordHash, by: STAFF });
    expect(outcome).toEqual({ ok: true, value: { passwordVersion: 2 } });
    expect(audits(events)).toEqual([
      expect.objectContaining({ action: "player.reset_password", target: `player:${playerId}`, before: { passwordVersion: 1 }, after: { passwordVersion: 2 } }),
    ]);
    expect(JSON.stringify(events)).not.toContain(passwordHash);
  });

  test("messages, broadcasts and inquiry replies", async () => {
    await using p = await playerSystem();
    const playerId = await onePlayer(p);
    const direct = await change(p, "sendMessage", { playerId, title: "Hello", body: "Your deposit is in.", by: STAFF });
    const messageId = (direct.outcome as { value: { messageId: number } }).value.messageId;
    expect(audits(direct.events)).toEqual([expect.objectContaining({ action: "player.message", target: `player:${playerId}`, after: { messageId, title: "Hello" } })]);
    const broadcast = await change(p, "sendMessage", { playerId: null, title: "Maintenance", body: "Tonight.", by: STAFF });
    expect(audits(broadcast.events)).toEqual([expect.objectContaining({ action: "player.broadcast", target: expect.stringMatching(/^message:\d+$/) })]);

    const inquiry = await p.system.ask<{ id: number }>(`player@${p.brand}`, "createInquiry", { playerId, title: "Deposit", body: "Where is it?" });
    const replied = await change(p, "replyInquiry", { inquiryId: inquiry.id, body: "Credited now.", by: STAFF });
    expect(audits(replied.events)).toEqual([
      expect.objectContaining({ action: "inquiry.reply", target: `inquiry:${inquiry.id}`, before: { status: "open" }, after: { status: "answered", body: "Credited now." } }),
    ]);
  });

  test("content and site settings, with the rows before and after", async () => {
    await using p = await playerSystem();
    const created = await change(p, "putContent", { kind: "notice", title: "Welcome", body: "Hi", by: STAFF });
    const row = (created.outcome as { value: { id: number } }).value;
    expect(audits(created.events)).toEqual([expect.objectContaining({ action: "content.create", target: `notice:${row.id}`, after: row })]);
    const updated = await change(p, "putContent", { id: row.id, kind: "notice", title: "Welcome!", by: STAFF });
    expect(audits(updated.events)).toEqual([expect.objectContaining({ action: "content.update", before: row, after: expect.objectContaining({ title: "Welcome!" }) })]);
    const deleted = await change(p, "deleteContent", { id: row.id, by: STAFF });
    expect(audits(deleted.events)).toEqual([expect.objectContaining({ action: "content.delete", before: expect.objectContaining({ title: "Welcome!" }) })]);
    await change(p, "putSiteSettings", { settings: { siteName: "Acme" }, by: STAFF });
    const settings = await change(p, "putSiteSettings", { settings: { siteName: null, contact: "@acme" }, by: STAFF });
    expect(audits(settings.events)).toEqual([
      expect.objectContaining({ action: "content.site_settings", target: `brand:${p.brand}`, before: { siteName: "Acme" }, after: { contact: "@acme" } }),
    ]);
  });

  test("a refused change writes no audit and no event", async () => {
    await using p = await playerSystem();
    const nobody = crypto.randomUUID();
    const refusals = [
      await change(p, "suspend", { playerId: nobody, reason: "x", by: STAFF }),
      await change(p, "reinstate", { playerId: nobody, by: STAFF }),
      await change(p, "resetPassword", { playerId: nobody, passwordHash: await hashPassword("whatever 123"), by: STAFF }),
      await change(p, "sendMessage", { playerId: nobody, title: "x", body: "y", by: STAFF }),
      await change(p, "replyInquiry", { inquiryId: 999, body: "y", by: STAFF }),
      await change(p, "putContent", { id: 999, kind: "faq", title: "x", by: STAFF }),
      await change(p, "deleteContent", { id: 999, by: STAFF }),
    ];
    expect(refusals.map((r) => r.outcome.ok)).toEqual([false, false, false, false, false, false, true]);
    expect(refusals.flatMap((r) => r.events)).toEqual([]);
  });
});

describe("events the wallet keeps a player's payout account from", () => {
  test("player.registered and player.bank_account_changed carry the bank account", async () => {
    await using p = await playerSystem();
    const input = newPlayer();
    const from = lastSeq(p);
    const registered = await registerPlayer(p.auth(), input);
    if (!registered.ok) throw new Error(registered.error.message);
    const playerId = registered.value.id;
    expect(eventsAfter(p, from)).toEqual([
      { type: "player.registered", payload: { playerId, username: input.username, nickname: input.nickname, signupCode: null, referredBy: null, bank: input.bank } },
    ]);
    const bank = { name: "Woori", account: "1002-333-444555", holder: "Hong Gildong" };
    const changed = await change(p, "changeBank", { playerId, passwordVersion: 1, bank });
    expect(changed.events).toEqual([{ type: "player.bank_account_changed", payload: { playerId, bank } }]);
    // a change decided against an old password writes no event
    expect((await change(p, "changeBank", { playerId, passwordVersion: 7, bank: input.bank })).events).toEqual([]);
  });
});
