import { afterAll, beforeAll, expect, test } from "bun:test";
import { RS } from "../../actors/wallet/index.ts";
import { cashOf, fund, walletHarness, type WalletHarness } from "./harness.ts";

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
    h.wallet.ask("batch", { provider, player, round: "r1", gameCode: "slot", gameCategory: "slots", finished: true, actions, ...extra });
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
  expect(await play([{ action: "win", actionId: "w1", amount: 5 }, { action: "rollback", actionId: "r3", originalActionId: "late" }])).toMatchObject({ ok: true });
  expect(await play([{ action: "bet", actionId: "late", amount: 5 }])).toMatchObject({ ok: false, error: { code: RS.rolledBack } });
  expect(await cashOf(h, player)).toBe(105n);
});

test("a suspended player's step with a bet is refused", async () => {
  const { play } = await round();
  const outcome = await play([{ action: "bet", actionId: "a1", amount: 1 }], { playerSuspended: true });
  expect(outcome).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
});
