import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_JOBS, nextRuns } from "../../actors/admin/index.ts";
import { localDay } from "../../actors/runtime/local-day.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { testStore, waitFor } from "../support/services.ts";
import { type TopInfoFixture, topInfoFixture } from "./top-info-fixture.ts";

let f: TopInfoFixture | undefined;
// the shared store starts (and migrates) once per process; that may take longer than one test
beforeAll(() => testStore(), 30_000);
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const counters = async (fx: TopInfoFixture) => (await fx.node.system.ask<{ counters: Record<string, number> }>(`admin@${fx.brand}`, "topInfo", {})).counters;

describe("top-info counters", () => {
  test("a deposit request opens a pending deposit; its approval closes it; a redelivered event changes nothing", async () => {
    f = await topInfoFixture();
    const requested = await f.publish("wallet.deposit_requested", { requestId: "d1", player: "p1", amount: "50000" });
    await f.announced({ pendingDeposits: 1 });
    await f.publish("wallet.deposit_requested", { requestId: "d1", player: "p1", amount: "50000" }, { id: requested });
    await f.publish("wallet.deposit_requested", { requestId: "d2", player: "p2", amount: "10000" });
    await f.announced({ pendingDeposits: 2 });
    await f.publish("wallet.deposit_approved", { requestId: "d1" });
    await f.publish("wallet.deposit_rejected", { requestId: "d2" });
    await f.announced({ pendingDeposits: 0 });
    expect(f.updates.map((u) => u.counters.pendingDeposits)).toEqual([1, 2, 1, 0]);
    const versions = f.updates.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  test("withdrawals, inquiries and reconciliation alarms; staff acknowledge alarms", async () => {
    f = await topInfoFixture();
    await f.publish("wallet.withdrawal_requested", { requestId: "w1" });
    await f.publish("inquiry.created", { inquiryId: 7, playerId: "p1", title: "hi" });
    await f.publish("wallet.reconciliation_mismatch", { accounts: 1 });
    await f.announced({ pendingWithdrawals: 1, unreadInquiries: 1, reconciliationAlarms: 1 });
    await f.publish("inquiry.answered", { inquiryId: 7, playerId: "p1" });
    await f.publish("wallet.withdrawal_approved", { requestId: "w1" });
    await f.announced({ pendingWithdrawals: 0, unreadInquiries: 0, reconciliationAlarms: 1 });
    expect(await f.node.system.ask(`admin@${f.brand}`, "acknowledgeAlarms", { by: TEST_SETUP })).toEqual({ cleared: 1 });
    await f.announced({ reconciliationAlarms: 0 });
  });

  test("online players count distinct players with a live session; the expiry job drops old ones", async () => {
    f = await topInfoFixture();
    await f.publish("player.logged_in", { playerId: "p1", sessionId: "s1" });
    await f.publish("player.logged_in", { playerId: "p1", sessionId: "s2" });
    await f.publish("player.logged_in", { playerId: "p2", sessionId: "s3" });
    await f.announced({ onlinePlayers: 2 });
    await f.publish("player.logged_out", { playerId: "p2", sessionId: "s3" });
    await f.announced({ onlinePlayers: 1 });
    f.clock.advance(30 * 60_000);
    // a real minute's timer may have announced zero before the first login: wait for a newer one
    const mark = f.updates.length;
    await f.node.system.fireTimer("admin", ADMIN_JOBS.onlineExpiry.name, f.clock.at);
    await f.announced({ onlinePlayers: 0 }, mark);
    const left = await f.node.store.query("select 1 from top_info_items where brand_id = $1 and kind = 'online'", [f.brand]);
    expect(left).toHaveLength(0);
  });

  test("new players today reset at the brand's local midnight", async () => {
    // 23:50 in Seoul is 14:50 UTC
    const beforeMidnight = Date.parse("2024-05-01T14:50:00Z");
    f = await topInfoFixture({ timezone: "Asia/Seoul" });
    f.clock.at = beforeMidnight;
    await f.publish("player.registered", { playerId: "p1" }, { at: beforeMidnight - 60_000 });
    await f.publish("player.registered", { playerId: "p2" }, { at: beforeMidnight });
    await f.announced({ newPlayersToday: 2 });
    // croner's schedule puts the next daily-reset run at local midnight
    const [run] = nextRuns(ADMIN_JOBS.dailyReset.cron, new Date(beforeMidnight), 1);
    expect(run!.toISOString()).toBe("2024-05-01T15:00:00.000Z");
    expect(localDay(run!.getTime(), "Asia/Seoul")).toBe("2024-05-02");
    f.clock.at = run!.getTime();
    const mark = f.updates.length;
    await f.node.system.fireTimer("admin", ADMIN_JOBS.dailyReset.name, run!.getTime());
    await f.announced({ newPlayersToday: 0 }, mark);
    await f.publish("player.registered", { playerId: "p3" }, { at: run!.getTime() + 1000 });
    await f.announced({ newPlayersToday: 1 });
  });

  test("counters survive a restart of the actor (they are stored, not only in memory)", async () => {
    f = await topInfoFixture();
    await f.publish("wallet.deposit_requested", { requestId: "d9" });
    await f.announced({ pendingDeposits: 1 });
    await f.node.system.restart(`admin@${f.brand}`);
    expect(await counters(f)).toMatchObject({ pendingDeposits: 1 });
    await f.publish("wallet.deposit_approved", { requestId: "d9" });
    await waitFor(async () => (await counters(f!)).pendingDeposits === 0, { what: "approval applied after restart" });
  });
});
