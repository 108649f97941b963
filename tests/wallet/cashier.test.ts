import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { reconcile } from "../../actors/wallet/index.ts";
import { createBrand, directWriter, fund, incoming, outboxOf, type WalletHarness, walletHarness } from "./harness.ts";

/** Deposits, withdrawals, bonuses, staff adjustments, agent transfers and the queries. */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(async () => {
  expect((await reconcile(h.store, h.brand)).ok).toBe(true);
  await h.close();
});

const id = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const balances = async (player: string) => {
  const outcome = await h.wallet.balance({ owner: { kind: "player", id: player } });
  return outcome.ok ? outcome.value : null;
};

describe("deposits", () => {
  test("a request waits in the queue and moves nothing; approval credits cash once", async () => {
    const player = id("p");
    const requestId = id("d");
    const requested = await h.wallet.depositRequest({ requestId, player, amount: 5000, depositorName: "KIM" });
    expect(requested).toMatchObject({ ok: true, value: { requestId, status: "pending", amount: "5000", balance: { cash: "0" }, replayed: false } });
    const queue = await h.wallet.pendingRequests({ kind: "deposit", limit: 200 });
    expect(queue.ok && queue.value.items.find((i) => i.requestId === requestId)).toMatchObject({ player, amount: "5000", details: { depositorName: "KIM" } });

    const approved = await h.wallet.depositApprove({ requestId, by: { staffId: "staff-1", username: "staff-1" } });
    expect(approved).toMatchObject({ ok: true, value: { status: "approved", balance: { cash: "5000" }, replayed: false } });
    expect(await h.wallet.depositApprove({ requestId, by: { staffId: "staff-2", username: "staff-2" } })).toMatchObject({
      ok: true,
      value: { status: "approved", replayed: true },
    });
    expect(await h.wallet.depositReject({ requestId, by: { staffId: "staff-1", username: "staff-1" }, reason: "late" })).toMatchObject({
      ok: false,
      error: { code: "invalid_state" },
    });
    expect((await balances(player))!.cash).toBe("5000");
    const after = await h.wallet.pendingRequests({ kind: "deposit", limit: 200 });
    expect(after.ok && after.value.items.some((i) => i.requestId === requestId)).toBe(false);
    const events = (await outboxOf(h.store, h.brand)).filter((e) => e.payload.player === player).map((e) => e.type);
    expect(events).toEqual(["wallet.deposit_requested", "wallet.deposit_approved"]);
  });

  test("a rejected request moves nothing and cannot be approved", async () => {
    const player = id("p");
    const requestId = id("d");
    await h.wallet.depositRequest({ requestId, player, amount: 100 });
    expect(await h.wallet.depositReject({ requestId, by: { staffId: "s", username: "s" }, reason: "no transfer arrived" })).toMatchObject({
      ok: true,
      value: { status: "rejected" },
    });
    expect(await h.wallet.depositApprove({ requestId, by: { staffId: "s", username: "s" } })).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    expect((await balances(player))!.cash).toBe("0");
  });

  test("a request id replays with the same fields and is a duplicate with others; unknown ids are not found", async () => {
    const player = id("p");
    const requestId = id("d");
    await h.wallet.depositRequest({ requestId, player, amount: 100 });
    expect(await h.wallet.depositRequest({ requestId, player, amount: 100 })).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await h.wallet.depositRequest({ requestId, player, amount: 200 })).toMatchObject({ ok: false, error: { code: "duplicate_request" } });
    expect(await h.wallet.withdrawalRequest({ requestId, player, amount: 1 })).toMatchObject({ ok: false, error: { code: "duplicate_request" } });
    expect(await h.wallet.depositApprove({ requestId: id("nope"), by: { staffId: "s", username: "s" } })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await h.wallet.withdrawalApprove({ requestId, by: { staffId: "s", username: "s" } })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});

describe("withdrawals", () => {
  test("a request holds the amount at once; approval pays it out of the hold", async () => {
    const player = id("p");
    await fund(h, player, 1000);
    const requestId = id("w");
    expect(await h.wallet.withdrawalRequest({ requestId, player, amount: 400 })).toMatchObject({
      ok: true,
      value: { status: "pending", balance: { cash: "600", locked: "400" } },
    });
    expect(await h.wallet.withdrawalApprove({ requestId, by: { staffId: "s", username: "s" } })).toMatchObject({
      ok: true,
      value: { status: "approved", balance: { cash: "600", locked: "0" } },
    });
  });

  test("a rejection returns the hold to cash", async () => {
    const player = id("p");
    await fund(h, player, 1000);
    const requestId = id("w");
    await h.wallet.withdrawalRequest({ requestId, player, amount: 400 });
    expect(await h.wallet.withdrawalReject({ requestId, by: { staffId: "s", username: "s" }, reason: "name mismatch" })).toMatchObject({
      ok: true,
      value: { status: "rejected", balance: { cash: "1000", locked: "0" } },
    });
  });

  test("more than the cash balance is refused, and stays refused under its id", async () => {
    const player = id("p");
    await fund(h, player, 100);
    const requestId = id("w");
    expect(await h.wallet.withdrawalRequest({ requestId, player, amount: 400 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    await fund(h, player, 1000);
    expect(await h.wallet.withdrawalRequest({ requestId, player, amount: 400 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    expect((await balances(player))!).toMatchObject({ cash: "1100", locked: "0" });
  });
});

describe("bonuses, adjustments and transfers", () => {
  test("a bonus is granted, converted in part, forfeited for the rest", async () => {
    const player = id("p");
    expect(await h.wallet.bonusGrant({ grantId: id("g"), player, amount: 300, source: "coupon" })).toMatchObject({ ok: true, value: { balance: { bonus: "300" } } });
    expect(await h.wallet.bonusConvert({ conversionId: id("c"), player, amount: 100 })).toMatchObject({ ok: true, value: { balance: { cash: "100", bonus: "200" } } });
    expect(await h.wallet.bonusConvert({ conversionId: id("c"), player, amount: 500 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    expect(await h.wallet.bonusForfeit({ forfeitId: id("f"), player, reason: "expired" })).toMatchObject({ ok: true, value: { amount: "200", balance: { bonus: "0" } } });
  });

  test("an adjustment keeps reason and staff, replays by id, and cannot take more than there is", async () => {
    const player = id("p");
    const adjustmentId = id("a");
    const body = { adjustmentId, owner: { kind: "player" as const, id: player }, amount: 700, reason: "goodwill", by: { staffId: "staff-9", username: "staff-9" } };
    expect(await h.wallet.adjust(body)).toMatchObject({ ok: true, value: { amount: "700", balance: { cash: "700" }, replayed: false } });
    expect(await h.wallet.adjust(body)).toMatchObject({ ok: true, value: { balance: { cash: "700" }, replayed: true } });
    expect(await h.wallet.adjust({ ...body, reason: "other" })).toMatchObject({ ok: false, error: { code: "duplicate_request" } });
    expect(await h.wallet.adjust({ ...body, adjustmentId: id("a"), amount: -701 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    expect(await h.wallet.adjust({ ...body, adjustmentId: id("a"), amount: -700 })).toMatchObject({ ok: true, value: { balance: { cash: "0" } } });
    const [event] = (await outboxOf(h.store, h.brand, "wallet.adjusted")).filter((e) => e.payload.player === player);
    expect(event!.payload).toMatchObject({ amount: "700", reason: "goodwill", staffId: "staff-9", account: "cash" });
  });

  test("agents hold cash only and move it to and from their players", async () => {
    const agent = id("agent");
    const player = id("p");
    expect(
      await h.wallet.adjust({ adjustmentId: id("a"), owner: { kind: "agent", id: agent }, account: "bonus", amount: 1, reason: "x", by: { staffId: "s", username: "s" } }),
    ).toMatchObject({
      ok: false,
      error: { code: "bad_request" },
    });
    await h.wallet.adjust({ adjustmentId: id("a"), owner: { kind: "agent", id: agent }, amount: 1000, reason: "float", by: { staffId: "s", username: "s" } });
    const out = await h.wallet.transfer({ transferId: id("t"), agent, player, direction: "agent_to_player", amount: 600 });
    expect(out).toMatchObject({ ok: true, value: { agentCash: "400", playerCash: "600" } });
    expect(await h.wallet.transfer({ transferId: id("t"), agent, player, direction: "player_to_agent", amount: 601 })).toMatchObject({
      ok: false,
      error: { code: "insufficient_funds" },
    });
    expect(await h.wallet.transfer({ transferId: id("t"), agent, player, direction: "player_to_agent", amount: 100 })).toMatchObject({
      ok: true,
      value: { agentCash: "500", playerCash: "500" },
    });
    expect(await h.wallet.balance({ owner: { kind: "agent", id: agent } })).toMatchObject({ ok: true, value: { cash: "500", bonus: "0", locked: "0" } });
  });
});

test("an account's transactions page from the newest, by cursor", async () => {
  const player = id("p");
  for (let i = 1; i <= 5; i++) await fund(h, player, i);
  const first = await h.wallet.transactions({ owner: { kind: "player", id: player }, limit: 2 });
  expect(first.ok && first.value.items.map((i) => [i.amount, i.balanceAfter])).toEqual([
    ["5", "15"],
    ["4", "10"],
  ]);
  const cursor = first.ok ? first.value.nextCursor! : "";
  const rest = await h.wallet.transactions({ owner: { kind: "player", id: player }, cursor, limit: 5 });
  expect(rest.ok && rest.value.items.map((i) => i.amount)).toEqual(["3", "2", "1"]);
  expect(rest.ok && rest.value.nextCursor).toBeNull();
  expect(await h.wallet.transactions({ owner: { kind: "player", id: id("nobody") } })).toEqual({ ok: true, value: { items: [], nextCursor: null } });
});

test("a player's own requests list newest first, with their decisions", async () => {
  const player = id("p");
  await fund(h, player, 1000);
  const first = id("w");
  const second = id("w");
  await h.wallet.withdrawalRequest({ requestId: first, player, amount: 100 });
  await h.wallet.withdrawalRequest({ requestId: second, player, amount: 200 });
  await h.wallet.withdrawalReject({ requestId: first, by: { staffId: "s", username: "s" }, reason: "wrong account" });
  const page = await h.wallet.playerRequests({ player, kind: "withdrawal", limit: 1 });
  expect(page).toMatchObject({ ok: true, value: { items: [{ requestId: second, amount: "200", status: "pending", decidedAt: null }] } });
  const rest = await h.wallet.playerRequests({ player, kind: "withdrawal", cursor: page.ok ? page.value.nextCursor! : "", limit: 5 });
  expect(rest).toMatchObject({ ok: true, value: { items: [{ requestId: first, status: "rejected", reason: "wrong account" }], nextCursor: null } });
  expect(await h.wallet.playerRequests({ player, kind: "deposit" })).toEqual({ ok: true, value: { items: [], nextCursor: null } });
});

describe("audit in the wallet's commit", () => {
  const by = { staffId: "staff-7", username: "kim", ip: "10.0.0.7" };
  const auditsOf = async (brand: string, target: string) => (await outboxOf(h.store, brand, "audit.recorded")).filter((e) => e.payload.target === target).map((e) => e.payload);

  test("a decision writes one audit.recorded with the change; its replay and a refused decision write none", async () => {
    const player = id("p");
    await fund(h, player, 500);
    const requestId = id("w");
    await h.wallet.withdrawalRequest({ requestId, player, amount: 200 });
    expect((await h.wallet.withdrawalApprove({ requestId, by })).ok).toBe(true);
    expect(await h.wallet.withdrawalApprove({ requestId, by })).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await h.wallet.withdrawalReject({ requestId, by, reason: "late" })).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    expect(await auditsOf(h.brand, `withdrawal:${requestId}`)).toEqual([
      {
        brand: h.brand,
        action: "withdrawal.approve",
        target: `withdrawal:${requestId}`,
        by,
        before: { status: "pending", amount: "200", balance: { cash: "300", bonus: "0", locked: "200", currency: "KRW" } },
        after: { status: "approved", amount: "200", balance: { cash: "300", bonus: "0", locked: "0", currency: "KRW" }, transactionId: expect.any(String) },
      },
    ]);
  });

  test("an adjustment redelivered to a fresh writer is answered from the store and audited once; a refused one is not audited", async () => {
    const brand = await createBrand(h.store);
    const player = id("p");
    const message = incoming("adjust", { adjustmentId: id("a"), owner: { kind: "player", id: player }, amount: 300, reason: "goodwill", by });
    const [first] = await (await directWriter(h.store, brand, "first")).receive([message]);
    const [again] = await (await directWriter(h.store, brand, "second")).receive([{ ...message, deliveryCount: 2 }]);
    expect(again).toEqual(first!);
    const refused = incoming("adjust", { adjustmentId: id("a"), owner: { kind: "player", id: player }, amount: -301, reason: "too much", by });
    const [poor] = await (await directWriter(h.store, brand, "third")).receive([refused]);
    expect(poor).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    const audits = await auditsOf(brand, `player:${player}`);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "wallet.adjust", before: { cash: "0" }, after: { cash: "300", amount: "300", reason: "goodwill" } });
  });
});
