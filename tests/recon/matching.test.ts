import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { kbDeposit, kbWithdrawal, type ReconFixture, reconFixture, STAFF } from "./recon-fixture.ts";

let f: ReconFixture;
let sms: string;
let other: string;
beforeAll(async () => {
  f = await reconFixture();
  sms = (await f.source("webhook")).id;
  other = (await f.source("telegram")).id;
}, 30_000);
afterAll(() => f.close());

/** Each test its own amounts, so tests of one brand never match each other's requests. */
let amounts = 10_000;
const amount = () => (amounts += 1_000);

describe("matching", () => {
  test("one pending request of the same amount and name: approved through the wallet", async () => {
    const a = amount();
    const { player, requestId } = await f.deposit(a, "김철수");
    const stored = await f.ingest(sms, kbDeposit("김철수", a, 1_000_000));
    expect(stored.state).toBe("matched");
    await f.waitForCash(player, String(a));
    const m = await f.message(stored.messageId);
    expect(m.match).toMatchObject({ requestId, player, how: "auto" });
    await waitFor(async () => (await f.message(stored.messageId)).match?.state === "approved", { what: "the match to be approved" });
  });

  test("the same SMS again, from the same source or another phone, credits once", async () => {
    const a = amount();
    const { player } = await f.deposit(a, "이영호");
    const text = kbDeposit("이영호", a, 2_000_000);
    const first = await f.ingest(sms, text, "same-id-1");
    const redelivered = await f.ingest(sms, text, "same-id-1");
    const forwarded = await f.ingest(other, `보낸사람 : 16449999\n${text}`, "tg-77");
    expect([first.state, redelivered, forwarded.state]).toEqual(["matched", expect.objectContaining({ messageId: first.messageId, replayed: true }), "duplicate"]);
    expect((await f.message(forwarded.messageId)).duplicateOf).toBe(first.messageId);
    await f.waitForCash(player, String(a));
    // a second deposit of the same amount and name is another transfer: the balance differs
    const second = await f.ingest(sms, kbDeposit("이영호", a, 2_000_000 + a));
    expect(second.state).toBe("review");
    expect(await f.cash(player)).toBe(String(a));
  });

  test("two pending requests with the same amount and name: neither approved, both offered to staff", async () => {
    const a = amount();
    const one = await f.deposit(a, "박영희");
    const two = await f.deposit(a, "박영희");
    const stored = await f.ingest(sms, kbDeposit("박영희", a, 3_000_000));
    expect(stored.state).toBe("review");
    const queue = expectOk(await f.recon.reviewQueue({ limit: 200 }));
    const item = queue.items.find((i) => i.id === stored.messageId)!;
    expect(item.candidates!.map((c) => c.requestId).sort()).toEqual([one.requestId, two.requestId].sort());
    expect(item.candidates!.every((c) => c.nameRelation === "same")).toBe(true);
    expect([await f.cash(one.player), await f.cash(two.player)]).toEqual(["0", "0"]);
  });

  test("a transfer that arrives before its request matches when the request comes", async () => {
    const a = amount();
    const stored = await f.ingest(sms, kbDeposit("정효진", a, 4_000_000));
    expect(stored.state).toBe("review");
    const { player } = await f.deposit(a, "정효진");
    await f.waitForCash(player, String(a));
    expect((await f.message(stored.messageId)).state).toBe("matched");
  });

  test("a masked name is only a candidate; staff match it, the wallet approves, the alias is remembered", async () => {
    const a = amount();
    const { player, requestId } = await f.deposit(a, "김길동");
    const stored = await f.ingest(sms, kbDeposit("김*동", a, 5_000_000));
    expect(stored.state).toBe("review");
    expect((await f.message(stored.messageId)).candidates).toEqual([expect.objectContaining({ requestId, nameRelation: "masked" })]);
    const matched = expectOk(await f.recon.matchManually({ messageId: stored.messageId, requestId, rememberAlias: true, by: STAFF }));
    expect(matched.match).toMatchObject({ how: "manual", matchedBy: STAFF.username });
    await f.waitForCash(player, String(a));
    // the next notice under that print offers the player first, and still waits for staff
    const b = amount();
    const next = await f.deposit(b, "홍길순", player);
    const again = await f.ingest(sms, kbDeposit("김*동", b, 5_000_000 + a + b));
    expect(again.state).toBe("review");
    expect((await f.message(again.messageId)).candidates![0]).toMatchObject({ requestId: next.requestId, nameRelation: "alias" });
  });

  test("an approved match is never undone here; a rejected request is no candidate", async () => {
    const a = amount();
    const { player, requestId } = await f.deposit(a, "윤신한");
    const stored = await f.ingest(sms, kbDeposit("윤신한", a, 6_000_000));
    await f.waitForCash(player, String(a));
    await waitFor(async () => (await f.message(stored.messageId)).match?.state === "approved");
    const undo = await f.recon.unmatch({ messageId: stored.messageId, reason: "wrong player", by: STAFF });
    expect(undo).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    expect(undo.ok || undo.error.message).toContain("adjustment");

    // a request staff rejected is no candidate: the notice waits for staff
    const b = amount();
    const late = await f.deposit(b, "신동훈");
    await f.reject(late.requestId);
    const shard = f.node.parts.shards.acquire(f.brand).sqlite;
    await waitFor(() => shard.query("select 1 from recon_requests where request_id = ? and status = 'rejected'").get(late.requestId));
    const seen = await f.ingest(sms, kbDeposit("신동훈", b, 7_000_000));
    expect(seen.state).toBe("review");
    expect(await f.cash(late.player)).toBe("0");
    expect((await f.message(stored.messageId)).match?.requestId).toBe(requestId);
  });

  test("withdrawal notices never match deposits; unparsed text waits for staff", async () => {
    const a = amount();
    const { player } = await f.deposit(a, "남궁민");
    expect((await f.ingest(sms, kbWithdrawal("남궁민", a, 100))).state).toBe("ignored");
    const unreadable = await f.ingest(sms, "입금 확인 부탁드립니다");
    expect((await f.message(unreadable.messageId)).parsed.kind).toBe("unparsed");
    expect(unreadable.state).toBe("review");
    expectOk(await f.recon.dismiss({ messageId: unreadable.messageId, reason: "a customer's question", by: STAFF }));
    expect(await f.cash(player)).toBe("0");
  });

  test("a balance that does not follow from the bank's previous notice flags a missed SMS", async () => {
    const gapSource = (await f.source("webhook")).id;
    const first = await f.ingest(gapSource, kbWithdrawal("가나다", 1_000, 50_000));
    const follows = await f.ingest(gapSource, kbDeposit("라마바", 2_000, 52_000));
    const skips = await f.ingest(gapSource, kbDeposit("사아자", 3_000, 99_000));
    const flags = await Promise.all([first, follows, skips].map(async (s) => (await f.message(s.messageId)).parsed.balanceGap));
    expect(flags).toEqual([false, false, true]);
    // a forged notice's balance is no basis: the bank's next notice follows from the bank's last
    await f.ingest(gapSource, kbDeposit("차카타", 1_000, 1), undefined, Date.now(), "01055556666");
    const next = await f.ingest(gapSource, kbDeposit("파하", 1_000, 100_000));
    expect((await f.message(next.messageId)).parsed.balanceGap).toBe(false);
  });

  test("the window runs from when the player asked, however late recon hears of the request", async () => {
    const a = amount();
    const requestId = `dep-${crypto.randomUUID()}`;
    const askedAt = Date.now() - 4 * 3_600_000;
    await f.node.parts.events.publish([
      {
        id: crypto.randomUUID(),
        type: "wallet.deposit_requested",
        brand: f.brand,
        at: askedAt,
        payload: { requestId, player: "p-late", amount: String(a), depositorName: "문세윤" },
      },
    ]);
    const shard = f.node.parts.shards.acquire(f.brand).sqlite;
    await waitFor(() => shard.query<{ requested_at: number }, [string]>("select requested_at from recon_requests where request_id = ?").get(requestId), {
      what: "the late request",
    });
    expect(shard.query<{ requested_at: number }, [string]>("select requested_at from recon_requests where request_id = ?").get(requestId)!.requested_at).toBe(askedAt);
    const notice = await f.ingest(sms, kbDeposit("문세윤", a, 8_000_000));
    expect(notice.state).toBe("review");
    expect((await f.message(notice.messageId)).candidates).toEqual([]);
  });

  test("a paused or unknown source stores nothing", async () => {
    const paused = await f.source("webhook");
    expectOk(await f.recon.updateSource({ sourceId: paused.id, status: "paused", by: STAFF }));
    const refused = await f.recon.ingest({ sourceId: paused.id, items: [{ externalId: "x1", text: "hello", sender: null, receivedAt: Date.now() }] });
    expect(refused).toMatchObject({ ok: false, error: { code: "recon_source_paused" } });
    expect(await f.recon.ingest({ sourceId: "nope", items: [] })).toMatchObject({ ok: false, error: { code: "recon_source_not_found" } });
  });
});

describe("only the bank's senders approve without staff", () => {
  test("a deposit notice from a sender the source does not list waits in review, now and when its request comes; staff may still match it", async () => {
    const a = amount();
    const { player, requestId } = await f.deposit(a, "강도윤");
    const forged = await f.ingest(sms, kbDeposit("강도윤", a, 6_000_000), undefined, Date.now(), "01099998888");
    expect(forged.state).toBe("review");
    expect((await f.message(forged.messageId)).note).toContain("not on the source's list");
    // sent before its request, with no sender at all
    const b = amount();
    const early = await f.ingest(sms, kbDeposit("윤서연", b, 6_100_000), undefined, Date.now(), null);
    const late = await f.deposit(b, "윤서연");
    expect([early.state, (await f.message(early.messageId)).state]).toEqual(["review", "review"]);
    expect([await f.cash(player), await f.cash(late.player)]).toEqual(["0", "0"]);

    expectOk(await f.recon.matchManually({ messageId: forged.messageId, requestId, by: STAFF }));
    await f.waitForCash(player, String(a));
  });

  test("a forged copy sent first does not make the bank's own notice a duplicate: the bank's matches, the copy stays for staff", async () => {
    const a = amount();
    const { player } = await f.deposit(a, "배수아");
    const text = kbDeposit("배수아", a, 6_500_000);
    const forged = await f.ingest(sms, text, undefined, Date.now(), "01012341234");
    const genuine = await f.ingest(other, `보낸사람 : 16449999\n${text}`, undefined, Date.now());
    expect([forged.state, genuine.state]).toEqual(["review", "matched"]);
    await f.waitForCash(player, String(a));
    // and a later forged copy of a genuine notice is only its duplicate
    expect((await f.ingest(sms, text, undefined, Date.now(), "01012341234")).state).toBe("duplicate");
  });

  test("a source that lists no senders vouches for none: its deposit notices wait for staff", async () => {
    const open = (await f.source("webhook", { senders: [] })).id;
    const a = amount();
    const { player } = await f.deposit(a, "임하늘");
    const stored = await f.ingest(open, kbDeposit("임하늘", a, 7_000_000));
    expect(stored.state).toBe("review");
    expect((await f.message(stored.messageId)).note).toContain("lists no bank senders");
    expect(await f.cash(player)).toBe("0");
  });

  test("a listed number written another way is the same sender; a name is compared as written, never by its (absent) digits", async () => {
    const apps = (await f.source("webhook", { senders: ["1588-2100", "com.kbstar.kbbank"] })).id;
    const a = amount();
    const { player } = await f.deposit(a, "서지우");
    expect((await f.ingest(apps, kbDeposit("서지우", a, 8_000_000), undefined, Date.now(), "15882100")).state).toBe("matched");
    await f.waitForCash(player, String(a));
    const b = amount();
    const other = await f.deposit(b, "한결");
    expect((await f.ingest(apps, kbDeposit("한결", b, 8_100_000), undefined, Date.now(), "evil.app")).state).toBe("review");
    expect(await f.cash(other.player)).toBe("0");
  });

  test("a source's lists take each entry once: the same number twice, however written, is refused", async () => {
    const made = await f.recon
      .createSource({
        sourceId: "webhook-twice",
        kind: "webhook",
        label: "twice",
        secret: "v1.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbb",
        settings: { chatIds: [], deviceIdens: [], senders: ["15882100", "1588-2100"] },
        by: STAFF,
      })
      .catch((error: Error) => ({ ok: false, error: { code: "validation_failed", message: error.message } }));
    expect(made).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const chats = await f.recon
      .createSource({
        sourceId: "telegram-twice",
        kind: "telegram",
        label: "twice",
        secret: "v1.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbb",
        settings: { chatIds: ["-1", "-1"], deviceIdens: [], senders: [] },
        by: STAFF,
      })
      .catch((error: Error) => ({ ok: false, error: { code: "validation_failed", message: error.message } }));
    expect(chats).toMatchObject({ ok: false, error: { code: "validation_failed" } });
  });
});
