import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RS } from "../../actors/wallet/index.ts";
import { cashOf, createBrand, directWriter, fund, incoming, type WalletHarness, walletHarness } from "./harness.ts";

/** The batch dialect: a round step's actions apply all or none, each idempotent by action id. */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(() => h.close());

type Action = { action: "bet" | "win"; actionId: string; amount: number } | { action: "rollback"; actionId: string; originalActionId: string };

async function round() {
  const player = `p-${crypto.randomUUID().slice(0, 8)}`;
  const provider = `batchy-${crypto.randomUUID().slice(0, 6)}`;
  await fund(h, player, 100);
  const play = (actions: Action[], extra: Record<string, unknown> = {}) =>
    h.wallet.batch({ provider, player, round: "r1", gameCode: "slot", gameCategory: "slots", finished: true, actions, ...extra });
  return { player, play };
}

test("bet and win of one step apply together and name each action's transaction", async () => {
  const { player, play } = await round();
  const outcome = await play([
    { action: "bet", actionId: "a1", amount: 30 },
    { action: "win", actionId: "a2", amount: 50 },
  ]);
  expect(outcome).toMatchObject({ ok: true, value: { balance: "120", currency: "KRW", replayed: false } });
  expect(outcome.ok && outcome.value.transactions.map((t) => t.actionId)).toEqual(["a1", "a2"]);
  expect(await cashOf(h, player)).toBe(120n);
});

test("one refused action refuses the whole step: nothing moves, and the refused bet stays refused", async () => {
  const { player, play } = await round();
  const step: Action[] = [
    { action: "bet", actionId: "a1", amount: 10 },
    { action: "win", actionId: "a2", amount: 5 },
    { action: "bet", actionId: "a3", amount: 96 },
  ];
  const refused = await play(step);
  expect(refused).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney, details: { balance: "100", actionId: "a3" } } });
  expect(await cashOf(h, player)).toBe(100n);
  await fund(h, player, 1000);
  expect(await play(step)).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney, details: { balance: "1100", actionId: "a3" } } });
  expect(await play([{ action: "bet", actionId: "a1", amount: 10 }])).toMatchObject({ ok: true, value: { balance: "1090" } });
});

test("the same step again replays with the current balance; a changed action is a duplicate", async () => {
  const { player, play } = await round();
  const step: Action[] = [
    { action: "bet", actionId: "a1", amount: 30 },
    { action: "win", actionId: "a2", amount: 0 },
  ];
  const first = await play(step);
  await fund(h, player, 5);
  const again = await play(step);
  expect(again).toEqual({ ok: true, value: { ...(first.ok ? first.value : ({} as never)), balance: "75", replayed: true } });
  const changed = await play([step[0]!, { action: "win", actionId: "a2", amount: 1 }]);
  expect(changed).toMatchObject({ ok: false, error: { code: RS.duplicate, details: { actionId: "a2" } } });
  expect(await cashOf(h, player)).toBe(75n);
});

test("rollback actions refund their bets once", async () => {
  const { player, play } = await round();
  await play([{ action: "bet", actionId: "a1", amount: 40 }]);
  const rolled = await play([{ action: "rollback", actionId: "r1", originalActionId: "a1" }]);
  expect(rolled).toMatchObject({ ok: true, value: { balance: "100" } });
  expect(await play([{ action: "rollback", actionId: "r2", originalActionId: "a1" }])).toMatchObject({ ok: true, value: { balance: "100" } });
  const other = { round: "r2" };
  const step: Action[] = [
    { action: "bet", actionId: "b2", amount: 5 },
    { action: "win", actionId: "w1", amount: 10 },
    { action: "rollback", actionId: "r3", originalActionId: "late" },
  ];
  expect(await play(step, other)).toMatchObject({ ok: true });
  expect(await play([{ action: "bet", actionId: "late", amount: 5 }], other)).toMatchObject({ ok: false, error: { code: RS.rolledBack } });
  expect(await cashOf(h, player)).toBe(105n);
});

describe("wins and rollbacks are settled against the player's round", () => {
  const bet = (actionId: string, amount: number): Action => ({ action: "bet", actionId, amount });
  const win = (actionId: string, amount: number): Action => ({ action: "win", actionId, amount });
  const rollback = (actionId: string, originalActionId: string): Action => ({ action: "rollback", actionId, originalActionId });

  test("a win in a round whose bets were all rolled back is refused; one bet standing is enough to pay", async () => {
    const { player, play } = await round();
    await play([bet("b1", 10), bet("b2", 20)]);
    await play([rollback("x1", "b1")]);
    expect(await play([win("w1", 5)])).toMatchObject({ ok: true, value: { balance: "85" } });
    await play([rollback("x2", "b2")], { round: "r1b" });
    expect(await play([bet("b3", 7)], { round: "r1b" })).toMatchObject({ ok: true, value: { balance: "78" } });
    await play([rollback("x3", "b3")], { round: "r1b" });
    expect(await play([win("w2", 50)], { round: "r1b" })).toMatchObject({ ok: false, error: { code: RS.rolledBack, details: { balance: "85", actionId: "w2" } } });
    expect(await cashOf(h, player)).toBe(85n);
  });

  test("a win after a rollback in the same call is refused and the call applies nothing", async () => {
    const { player, play } = await round();
    await play([bet("b1", 30)]);
    expect(await play([rollback("x1", "b1"), win("w1", 500)])).toMatchObject({ ok: false, error: { code: RS.rolledBack, details: { actionId: "w1" } } });
    expect(await cashOf(h, player)).toBe(70n);
    // a new bet makes the round live again
    expect(await play([bet("b2", 10), win("w2", 40)])).toMatchObject({ ok: true, value: { balance: "100" } });
  });

  test("a rollback of a bet whose round has a win is refused; one already rolled back is RS_OK with nothing moved", async () => {
    const { player, play } = await round();
    await play([bet("b1", 10), bet("b2", 20)]);
    await play([rollback("x1", "b1")]);
    await play([win("w1", 0)]);
    expect(await play([rollback("x2", "b2")])).toMatchObject({ ok: false, error: { code: RS.alreadySettled, details: { balance: "80", actionId: "x2" } } });
    expect(await play([rollback("x3", "b1")])).toMatchObject({ ok: true, value: { balance: "80" } });
    expect(await cashOf(h, player)).toBe(80n);
  });

  test("a bet of 0 is settled by its round's win too: its rollback is refused", async () => {
    const { play } = await round();
    await play([bet("b0", 0), win("w1", 25)]);
    expect(await play([rollback("x1", "b0")])).toMatchObject({ ok: false, error: { code: RS.alreadySettled, details: { balance: "125" } } });
  });

  test("a win in a round with no accepted bet is refused, all or none, and stays refused once a bet comes", async () => {
    const { player, play } = await round();
    expect(await play([bet("b1", 500)])).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney } });
    const winOnly = [win("w1", 900)];
    expect(await play(winOnly)).toMatchObject({ ok: false, error: { code: RS.doesNotExist, details: { balance: "100", currency: "KRW", actionId: "w1" } } });
    // wins after a bet of the same call are paid; a win before it takes the whole call with it
    expect(await play([bet("b2", 10), win("w2", 5), win("w3", 5)], { round: "r1c" })).toMatchObject({ ok: true, value: { balance: "100" } });
    expect(await play([win("w4", 50), bet("b3", 10)], { round: "r1d" })).toMatchObject({ ok: false, error: { code: RS.doesNotExist, details: { actionId: "w4" } } });
    // the refused call's bet id stays free
    expect(await play([bet("b3", 10)], { round: "r1d" })).toMatchObject({ ok: true, value: { balance: "90" } });
    expect(await play([bet("b4", 20)])).toMatchObject({ ok: true, value: { balance: "70" } });
    expect(await play(winOnly)).toMatchObject({ ok: false, error: { code: RS.doesNotExist, details: { balance: "70", actionId: "w1" } } });
    expect(await play([win("w1", 901)])).toMatchObject({ ok: false, error: { code: RS.duplicate } });
    expect(await play([win("w5", 30)])).toMatchObject({ ok: true, value: { balance: "100" } });
    expect(await cashOf(h, player)).toBe(100n);
  });

  test("a bet of 0 (a free spin) is an accepted bet: the round's win is paid", async () => {
    const { player, play } = await round();
    await play([bet("f0", 0)]);
    expect(await play([win("w1", 40)])).toMatchObject({ ok: true, value: { balance: "140" } });
    expect(await cashOf(h, player)).toBe(140n);
  });

  test("rounds are the player's: another player's round of the same id is not touched", async () => {
    const a = await round();
    const b = await round();
    const shared = (p: typeof a, actions: Action[]) => p.play(actions, { provider: "live-table", round: "table-7" });
    expect(await shared(a, [bet("a-b1", 10)])).toMatchObject({ ok: true });
    expect(await shared(b, [bet("b-b1", 10), win("b-w1", 30)])).toMatchObject({ ok: true, value: { balance: "120" } });
    expect(await shared(a, [rollback("a-x1", "a-b1")])).toMatchObject({ ok: true, value: { balance: "100" } });
    expect(await shared(a, [win("a-w1", 30)])).toMatchObject({ ok: false, error: { code: RS.rolledBack } });
    expect(await shared(b, [win("b-w2", 5)])).toMatchObject({ ok: true, value: { balance: "125" } });
  });

  test("a rollback naming another round than its bet's is refused", async () => {
    const { player, play } = await round();
    await play([bet("b1", 10), win("w1", 50)]);
    expect(await play([rollback("x1", "b1")], { round: "elsewhere" })).toMatchObject({ ok: false, error: { code: RS.doesNotExist } });
    expect(await cashOf(h, player)).toBe(140n);
  });

  test("round facts survive the cache: a fresh writer reads them from the store", async () => {
    const brand = await createBrand(h.store);
    const body = (round: string, actions: Action[]) => ({ provider: "evo", player: "p1", round, gameCode: "slot", finished: true, actions });
    const first = await directWriter(h.store, brand, "round-facts-1");
    const fundPlayer = incoming("adjust", { adjustmentId: "f1", owner: { kind: "player", id: "p1" }, amount: 100, reason: "test funding", by: { staffId: "s", username: "s" } });
    const played = await first.receive([
      fundPlayer,
      incoming("batch", body("s1", [bet("b1", 10), win("w1", 0)])),
      incoming("batch", body("s2", [bet("b2", 10)])),
      incoming("batch", body("s2", [rollback("x2", "b2")])),
      incoming("batch", body("s0", [bet("f0", 0)])),
    ]);
    expect(played.every((o) => o.ok)).toBe(true);
    const fresh = await directWriter(h.store, brand, "round-facts-2");
    const [settled, rolledBack, free, betless] = await fresh.receive([
      incoming("batch", body("s1", [rollback("x1", "b1")])),
      incoming("batch", body("s2", [win("w2", 70)])),
      incoming("batch", body("s0", [win("w0", 5)])),
      incoming("batch", body("s3", [win("w3", 70)])),
    ]);
    expect(settled).toMatchObject({ ok: false, error: { code: RS.alreadySettled } });
    expect(rolledBack).toMatchObject({ ok: false, error: { code: RS.rolledBack, details: { balance: "90" } } });
    expect(free).toMatchObject({ ok: true, value: { balance: "95" } });
    expect(betless).toMatchObject({ ok: false, error: { code: RS.doesNotExist, details: { balance: "95" } } });
    const again = await directWriter(h.store, brand, "round-facts-3");
    expect(await again.receive([incoming("batch", body("s3", [bet("b3", 10), win("w3", 70)]))])).toMatchObject([
      { ok: false, error: { code: RS.doesNotExist, details: { actionId: "w3" } } },
    ]);
  });
});

test("a suspended player's step with a bet is refused", async () => {
  const { play } = await round();
  const outcome = await play([{ action: "bet", actionId: "a1", amount: 1 }], { playerSuspended: true });
  expect(outcome).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
});

test("a step that repeats an action id keeps its whole reply for a redelivery of the same message", async () => {
  const brand = await createBrand(h.store);
  const funding = incoming("adjust", { adjustmentId: "fund", owner: { kind: "player", id: "p1" }, amount: 100, reason: "funding", by: { staffId: "s", username: "s" } });
  const bet = { action: "bet" as const, actionId: "a1", amount: 30 };
  const step = incoming("batch", { provider: "batchy", player: "p1", round: "r1", gameCode: "slot", gameCategory: "slots", finished: false, actions: [bet, bet] }, "step-1");
  const first = await directWriter(h.store, brand, "first");
  const [, original] = await first.receive([funding, step]);
  expect(original).toMatchObject({ ok: true, value: { balance: "70" } });
  // the step's reply is no transaction's own reply: it is kept as the message's outcome
  expect(await h.store.query("SELECT 1 FROM wallet_messages WHERE brand_id = $1 AND message_id = 'step-1'", [brand])).toHaveLength(1);
  const next = await directWriter(h.store, brand, "next");
  expect(await next.receive([{ ...step, deliveryCount: 2 }])).toEqual([original!]);
});
