import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RS, reconcile } from "../../actors/wallet/index.ts";
import { cashOf, createBrand, directWriter, fund, incoming, outboxOf, type WalletHarness, walletHarness } from "./harness.ts";

/** Each rule of the provider contract (contracts/provider-wallet.md), one case each. */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(() => h.close());

let seq = 0;
const fresh = (label: string) => `${label}-${++seq}-${crypto.randomUUID().slice(0, 6)}`;

/** Each case plays with its own provider code, so transaction uuids never meet across cases. */
function table(provider = fresh("evo")) {
  const bet = (player: string, uuid: string, amount: number, extra: Record<string, unknown> = {}) =>
    h.wallet.bet({ provider, player, round: "r1", gameCode: "baccarat", gameCategory: "live", transactionUuid: uuid, amount, ...extra });
  const win = (player: string, uuid: string, betUuid: string | undefined, amount: number) =>
    h.wallet.win({ provider, player, round: "r1", transactionUuid: uuid, referenceTransactionUuid: betUuid, amount });
  const rollback = (player: string, uuid: string, betUuid: string) =>
    h.wallet.rollback({ provider, player, round: "r1", transactionUuid: uuid, referenceTransactionUuid: betUuid });
  return { provider, bet, win, rollback };
}

async function funded(amount = 1000) {
  const player = fresh("p");
  await fund(h, player, amount);
  return player;
}

describe("provider idempotency", () => {
  test("the same key and fields replay the first outcome with the current balance and move nothing", async () => {
    const { bet, win } = table();
    const player = await funded();
    const first = await bet(player, "b1", 100);
    expect(first).toMatchObject({ ok: true, value: { balance: "900", currency: "KRW", replayed: false } });
    await win(player, "w1", "b1", 50);
    const again = await bet(player, "b1", "100" as never);
    expect(again).toEqual({ ok: true, value: { ...(first.ok ? first.value : {}), balance: "950", replayed: true } } as never);
    expect(await cashOf(h, player)).toBe(950n);
  });

  test.each([
    ["amount", { amount: 101 }],
    ["round", { round: "r2" }],
  ])("the same key with another %s is a duplicate and moves nothing", async (_field, change) => {
    const { bet } = table();
    const player = await funded();
    await bet(player, "b1", 100);
    const changed = await bet(player, "b1", 100, change);
    expect(changed).toMatchObject({ ok: false, error: { code: RS.duplicate, details: { balance: "900", currency: "KRW" } } });
    expect(await cashOf(h, player)).toBe(900n);
  });

  test("the same key for another player or another type is a duplicate", async () => {
    const { bet, win } = table();
    const player = await funded();
    const other = await funded();
    await bet(player, "b1", 100);
    expect(await bet(other, "b1", 100)).toMatchObject({ ok: false, error: { code: RS.duplicate } });
    expect(await win(player, "b1", undefined, 100)).toMatchObject({ ok: false, error: { code: RS.duplicate } });
    expect(await cashOf(h, other)).toBe(1000n);
  });

  test("a refused bet stays refused under its key, even after a deposit", async () => {
    const { bet } = table();
    const player = await funded(50);
    const refused = await bet(player, "b1", 100);
    expect(refused).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney, details: { balance: "50", currency: "KRW" } } });
    await fund(h, player, 1000);
    const retried = await bet(player, "b1", 100);
    expect(retried).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney, details: { balance: "1050" } } });
    expect(await cashOf(h, player)).toBe(1050n);
    expect((await bet(player, "b2", 100)).ok).toBe(true);
  });

  test("the providers' keys are their own: the same uuid from two providers are two bets", async () => {
    const { provider, bet } = table();
    const player = await funded();
    await bet(player, "same", 100);
    const other = await h.wallet.bet({ provider: `${provider}-2`, player, round: "r1", transactionUuid: "same", amount: 100 });
    expect(other).toMatchObject({ ok: true, value: { balance: "800", replayed: false } });
  });
});

describe("wins", () => {
  test("a win credits the player and may be zero", async () => {
    const { bet, win } = table();
    const player = await funded();
    await bet(player, "b1", 100);
    expect(await win(player, "w0", "b1", 0)).toMatchObject({ ok: true, value: { balance: "900" } });
    expect(await win(player, "w1", "b1", 300)).toMatchObject({ ok: true, value: { balance: "1200" } });
  });

  test("a win for an unknown bet is refused and not kept: it succeeds once the bet exists", async () => {
    const { bet, win } = table();
    const player = await funded();
    expect(await win(player, "w1", "nope", 300)).toMatchObject({ ok: false, error: { code: RS.doesNotExist, details: { balance: "1000" } } });
    await bet(player, "nope", 100);
    expect(await win(player, "w1", "nope", 300)).toMatchObject({ ok: true, value: { balance: "1200" } });
  });

  test("a win for another player's bet does not exist for this player", async () => {
    const { bet, win } = table();
    const player = await funded();
    const other = await funded();
    await bet(player, "b1", 100);
    expect(await win(other, "w1", "b1", 300)).toMatchObject({ ok: false, error: { code: RS.doesNotExist } });
  });

  test("a win for a rolled-back bet is refused", async () => {
    const { bet, win, rollback } = table();
    const player = await funded();
    await bet(player, "b1", 100);
    await rollback(player, "rb1", "b1");
    expect(await win(player, "w1", "b1", 300)).toMatchObject({ ok: false, error: { code: RS.rolledBack, details: { balance: "1000" } } });
    expect(await cashOf(h, player)).toBe(1000n);
  });
});

describe("rollbacks", () => {
  test("a rollback refunds exactly the bet, once; a second one under a new uuid moves nothing", async () => {
    const { bet, rollback } = table();
    const player = await funded();
    await bet(player, "b1", 100);
    expect(await rollback(player, "rb1", "b1")).toMatchObject({ ok: true, value: { balance: "1000", replayed: false } });
    expect(await rollback(player, "rb1", "b1")).toMatchObject({ ok: true, value: { balance: "1000", replayed: true } });
    expect(await rollback(player, "rb2", "b1")).toMatchObject({ ok: true, value: { balance: "1000", replayed: false } });
    expect(await cashOf(h, player)).toBe(1000n);
    const rollbacks = (await outboxOf(h.store, h.brand, "wallet.rollback")).filter((e) => e.payload.player === player);
    expect(rollbacks).toHaveLength(1);
  });

  test("a rollback of a bet that has a win is refused", async () => {
    const { bet, win, rollback } = table();
    const player = await funded();
    await bet(player, "b1", 100);
    await win(player, "w1", "b1", 0);
    expect(await rollback(player, "rb1", "b1")).toMatchObject({ ok: false, error: { code: RS.alreadySettled, details: { balance: "900" } } });
    expect(await cashOf(h, player)).toBe(900n);
  });

  test("a rollback of an unknown bet is OK and a tombstone: the late bet is refused, and stays refused", async () => {
    const { bet, rollback } = table();
    const player = await funded();
    expect(await rollback(player, "rb1", "late")).toMatchObject({ ok: true, value: { balance: "1000" } });
    expect(await bet(player, "late", 100)).toMatchObject({ ok: false, error: { code: RS.rolledBack, details: { balance: "1000" } } });
    expect(await bet(player, "late", 100)).toMatchObject({ ok: false, error: { code: RS.rolledBack } });
    expect(await cashOf(h, player)).toBe(1000n);
  });

  test("a rollback of a refused bet moves nothing", async () => {
    const { bet, rollback } = table();
    const player = await funded(50);
    await bet(player, "b1", 100);
    expect(await rollback(player, "rb1", "b1")).toMatchObject({ ok: true, value: { balance: "50" } });
    expect(await cashOf(h, player)).toBe(50n);
  });
});

describe("refusals", () => {
  test("a suspended player's bets are refused (edge flag or the wallet's list); wins still pay", async () => {
    const { bet, win } = table();
    const player = await funded();
    expect(await bet(player, "b1", 100, { playerSuspended: true })).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
    expect((await bet(player, "b2", 100)).ok).toBe(true);
    expect(await h.wallet.setPlayerStatus({ player, suspended: true })).toEqual({ ok: true, value: { player, suspended: true } });
    expect(await bet(player, "b3", 100)).toMatchObject({ ok: false, error: { code: RS.userDisabled, details: { balance: "900" } } });
    expect(await win(player, "w2", "b2", 500)).toMatchObject({ ok: true, value: { balance: "1400" } });
    await h.wallet.setPlayerStatus({ player, suspended: false });
    expect((await bet(player, "b4", 100)).ok).toBe(true);
  });

  test("a disabled brand refuses bets, from the edge's flag or from the catalog", async () => {
    const { provider, bet } = table();
    const player = await funded();
    expect(await bet(player, "b1", 100, { brandDisabled: true })).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
    const brand = await createBrand(h.store, { status: "disabled" });
    const writer = await directWriter(h.store, brand);
    const [refused] = await writer.receive([incoming("bet", { provider: "evo", player: "x", round: "r", transactionUuid: "b", amount: 0 })]);
    expect(refused).toMatchObject({ ok: false, error: { code: RS.userDisabled, message: "the brand is suspended" } });
  });

  test("a bet in another currency is refused and stays refused under its key", async () => {
    const { bet } = table();
    const player = await funded();
    expect(await bet(player, "b1", 100, { currency: "USD" })).toMatchObject({ ok: false, error: { code: RS.wrongCurrency } });
    expect(await bet(player, "b1", 100, { currency: "KRW" })).toMatchObject({ ok: false, error: { code: RS.wrongCurrency, details: { balance: "1000" } } });
    expect(await bet(player, "b2", 100, { currency: "KRW" })).toMatchObject({ ok: true, value: { balance: "900" } });
  });

  test.each([
    ["an expired session", { sessionExpired: true }, RS.tokenExpired],
    ["a game switched off for the brand", { gameDisabled: true }, RS.invalidToken],
    ["a disabled brand", { brandDisabled: true }, RS.userDisabled],
  ])("a bet refused for %s stays refused under its key once the session is good again", async (_why, standing, code) => {
    const { bet, win } = table();
    const player = await funded();
    expect(await bet(player, "b1", 100, standing)).toMatchObject({ ok: false, error: { code, details: { balance: "1000", currency: "KRW" } } });
    expect(await bet(player, "b1", 100)).toMatchObject({ ok: false, error: { code, details: { balance: "1000" } } });
    expect(await bet(player, "b1", 99)).toMatchObject({ ok: false, error: { code: RS.duplicate } });
    expect(await win(player, "w1", "b1", 500)).toMatchObject({ ok: false, error: { code: RS.doesNotExist } });
    expect(await cashOf(h, player)).toBe(1000n);
  });

  test("a bet accepted once replays even when the session has since expired", async () => {
    const { bet } = table();
    const player = await funded();
    expect(await bet(player, "b1", 100)).toMatchObject({ ok: true, value: { balance: "900" } });
    expect(await bet(player, "b1", 100, { sessionExpired: true, gameDisabled: true })).toMatchObject({ ok: true, value: { balance: "900", replayed: true } });
    expect(await cashOf(h, player)).toBe(900n);
  });
});

describe("in one batch", () => {
  test("a replay arriving with its original in the same batch gets the same transaction, money moves once", async () => {
    const provider = "evo";
    const brand = await createBrand(h.store);
    const writer = await directWriter(h.store, brand, "same-batch");
    const player = fresh("p");
    const call = { provider, player, round: "r1", transactionUuid: "b1", amount: 100 };
    const [funding, first, replay, conflicting] = await writer.receive([
      incoming("adjust", { adjustmentId: fresh("adj"), owner: { kind: "player", id: player }, amount: 1000, reason: "funding", by: { staffId: "s1", username: "s1" } }),
      incoming("bet", call),
      incoming("bet", call),
      incoming("bet", { ...call, amount: 200 }),
    ]);
    expect(funding!.ok).toBe(true);
    expect(first).toMatchObject({ ok: true, value: { balance: "900", replayed: false } });
    expect(replay).toMatchObject({ ok: true, value: { balance: "900", replayed: true } });
    const transactionOf = (o: typeof first) => (o?.ok ? (o.value as { transactionId: string }).transactionId : undefined);
    expect(transactionOf(replay)).toBe(transactionOf(first)!);
    expect(conflicting).toMatchObject({ ok: false, error: { code: RS.duplicate } });
    const rows = await h.store.query<{ n: bigint }>("SELECT count(*) AS n FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key = $2", [brand, `p:${provider}:b1`]);
    expect(rows[0]!.n).toBe(1n);
  });

  test("a key from an earlier writer (a restart) replays from the store", async () => {
    const brand = await createBrand(h.store);
    const call = { provider: "evo", player: "p1", round: "r1", transactionUuid: "b1", amount: 100 };
    const before = await directWriter(h.store, brand, "before");
    const [funding, first] = await before.receive([
      incoming("adjust", { adjustmentId: "a1", owner: { kind: "player", id: "p1" }, amount: 1000, reason: "funding", by: { staffId: "s1", username: "s1" } }),
      incoming("bet", call),
    ]);
    expect(funding!.ok && first!.ok).toBe(true);
    const after = await directWriter(h.store, brand, "after");
    const [again, other] = await after.receive([incoming("bet", call), incoming("bet", { ...call, transactionUuid: "b2" })]);
    expect(again).toEqual({ ok: true, value: { ...(first?.ok ? (first.value as object) : {}), replayed: true } } as never);
    expect(other).toMatchObject({ ok: true, value: { balance: "800" } });
  });
});

test("a bet publishes wallet.bet_settled with the player, amounts as strings and the game", async () => {
  const { provider, bet } = table();
  const player = await funded();
  const placed = await bet(player, fresh("b"), 100);
  const [event] = (await outboxOf(h.store, h.brand, "wallet.bet_settled")).filter((e) => e.payload.player === player);
  expect(event!.payload).toMatchObject({
    brand: h.brand,
    player,
    amount: "100",
    balance: "900",
    currency: "KRW",
    provider,
    round: "r1",
    gameCode: "baccarat",
    gameCategory: "live",
    transactionId: placed.ok ? placed.value.transactionId : "",
  });
  expect(String(event!.payload.idempotencyKey)).toStartWith(`p:${provider}:`);
  expect(h.notified).toContain("pg");
  expect((await reconcile(h.store, h.brand)).ok).toBe(true);
});

describe("message ids", () => {
  test("a redelivered message gets its recorded outcome; a resent id on a first delivery gets the key's replay", async () => {
    const brand = await createBrand(h.store);
    const fundBody = { adjustmentId: "a1", owner: { kind: "player" as const, id: "p1" }, amount: 1000, reason: "funding", by: { staffId: "s1", username: "s1" } };
    const bet = incoming("bet", { provider: "evo", player: "p1", round: "r1", transactionUuid: "b1", amount: 100 }, "message-1");
    const before = await directWriter(h.store, brand, "before");
    const [, first] = await before.receive([incoming("adjust", fundBody), bet]);
    expect(await before.recall(["message-1", "unknown"])).toEqual(new Map([["message-1", first!]]));

    const after = await directWriter(h.store, brand, "after");
    expect(await after.recall(["message-1"])).toEqual(new Map());
    const [redelivered, resent] = await after.receive([
      { ...bet, deliveryCount: 2 },
      incoming("win", { provider: "evo", player: "p1", round: "r1", transactionUuid: "w1", referenceTransactionUuid: "b1", amount: 50 }),
    ]);
    expect(redelivered).toEqual(first!);
    expect(resent).toMatchObject({ ok: true, value: { balance: "950" } });
    const [again] = await after.receive([{ ...bet, deliveryCount: 1 }]);
    expect(again).toMatchObject({ ok: true, value: { transactionId: first?.ok ? (first.value as { transactionId: string }).transactionId : "", balance: "950", replayed: true } });
    // the bet's outcome is kept on its transaction row, which names the message: no message row
    const [row] = await h.store.query<{ reply: unknown }>("SELECT reply FROM wallet_transactions WHERE brand_id = $1 AND message_id = 'message-1'", [brand]);
    expect(row!.reply).toEqual(first!);
    expect(await h.store.query("SELECT 1 FROM wallet_messages WHERE brand_id = $1 AND message_id = 'message-1'", [brand])).toEqual([]);
  });
});
