import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CallbackNode } from "./callback-node.ts";
import { callbackFixture, cash, expiredToken, forgedToken, fund, launch, type ProviderClient, registerProvider, setSuspended, staff } from "./provider-client.ts";

/** The contract's `batch` dialect, row by row, over HTTP against a running node. */

let node: CallbackNode;
let brand: string;
let provider: ProviderClient;

beforeAll(
  async () =>
    ({
      node,
      brand,
      providers: { batch: provider },
    } = await callbackFixture(["batch"])),
  30_000,
);
afterAll(() => node?.close());

type Action = { action: "bet" | "win"; action_id: string; amount: number };
const bet = (action_id: string, amount: number): Action => ({ action: "bet", action_id, amount });
const win = (action_id: string, amount: number): Action => ({ action: "win", action_id, amount });
const id = () => crypto.randomUUID();

async function player(funds = 1000) {
  const pid = `pl-${crypto.randomUUID().slice(0, 8)}`;
  if (funds > 0) await fund(node, brand, pid, funds);
  const token = await launch(node, brand, pid, provider.code);
  const round = `r-${crypto.randomUUID().slice(0, 8)}`;
  return {
    id: pid,
    token,
    round,
    cash: () => cash(node, brand, pid),
    play: (actions: Action[], extra: Record<string, unknown> = {}, t = token) =>
      provider.call("play", { token: t, round, game_code: "slot-1", currency: "KRW", finished: false, actions, ...extra }),
    rollback: (actions: { action_id: string; original_action_id: string }[], t = token) => provider.call("rollback", { token: t, round, actions }),
  };
}

describe("batch dialect", () => {
  test("a play applies bets and wins together and names each action's transaction", async () => {
    const p = await player(1000);
    const [b, w] = [id(), id()];
    const reply = await p.play([bet(b, 200), win(w, 500)], { finished: true });
    expect(reply).toEqual({
      http: 200,
      body: {
        status: "RS_OK",
        balance: 1300,
        currency: "KRW",
        transactions: [
          { action_id: b, transaction_id: expect.any(String) },
          { action_id: w, transaction_id: expect.any(String) },
        ],
      },
    });
    expect(await p.cash()).toBe(1300n);
  });

  test("replay: the same play again answers its first transactions with the current balance, nothing moves", async () => {
    const p = await player(1000);
    const actions = [bet(id(), 100), win(id(), 30)];
    const first = await p.play(actions);
    await p.play([bet(id(), 100)]);
    const again = await p.play(actions);
    expect(again.body).toEqual({ ...first.body, balance: 830 });
    expect(await p.cash()).toBe(830n);
  });

  test("mismatch: an action id reused with another amount or type is a duplicate, nothing moves", async () => {
    const p = await player(1000);
    const b = id();
    await p.play([bet(b, 100)]);
    expect((await p.play([bet(b, 101)])).body).toMatchObject({ status: "RS_ERROR_DUPLICATE_TRANSACTION", action_id: b, balance: 900 });
    expect((await p.play([win(b, 100)])).body).toMatchObject({ status: "RS_ERROR_DUPLICATE_TRANSACTION" });
    expect((await p.play([bet(id(), 50), bet(b, 999)])).body.status).toBe("RS_ERROR_DUPLICATE_TRANSACTION");
    expect(await p.cash()).toBe(900n);
  });

  test("atomicity: when one action is refused none applies, and the others' ids stay unused", async () => {
    const p = await player(300);
    const [b1, w1, b2] = [id(), id(), id()];
    const refused = await p.play([bet(b1, 100), win(w1, 1000), bet(b2, 5000)]);
    expect(refused.body).toMatchObject({ status: "RS_ERROR_NOT_ENOUGH_MONEY", action_id: b2, balance: 300, currency: "KRW" });
    expect(await p.cash()).toBe(300n);
    expect((await p.play([bet(b1, 100), win(w1, 1000)])).body).toMatchObject({ status: "RS_OK", balance: 1200 });
  });

  test("not enough money carries the balance; the refused bet stays refused after a deposit", async () => {
    const p = await player(50);
    const b = id();
    expect((await p.play([bet(b, 80)])).body).toMatchObject({ status: "RS_ERROR_NOT_ENOUGH_MONEY", balance: 50, currency: "KRW" });
    await fund(node, brand, p.id, 1000);
    expect((await p.play([bet(b, 80)])).body).toMatchObject({ status: "RS_ERROR_NOT_ENOUGH_MONEY", balance: 1050 });
    expect(await p.cash()).toBe(1050n);
  });

  test("an expired token refuses a play with a bet but settles wins and rollbacks", async () => {
    const p = await player(500);
    const [b1, b2] = [id(), id()];
    await p.play([bet(b1, 100), bet(b2, 100)]);
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.play([bet(id(), 10)], {}, expired)).body.status).toBe("RS_ERROR_TOKEN_EXPIRED");
    expect((await p.rollback([{ action_id: id(), original_action_id: b2 }], expired)).body).toMatchObject({ status: "RS_OK", balance: 400 });
    expect((await p.play([win(id(), 250)], {}, expired)).body).toMatchObject({ status: "RS_OK", balance: 650 });
  });

  test("a play refused for its expired token stays refused under its bet's action id, even with a fresh token", async () => {
    const p = await player(500);
    const [b, w] = [id(), id()];
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    const refused = await p.play([bet(b, 100), win(w, 300)], { finished: true }, expired);
    expect(refused.body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED", action_id: b, balance: 500, currency: "KRW" });
    const fresh = await launch(node, brand, p.id, provider.code);
    expect((await p.play([bet(b, 100), win(w, 300)], { finished: true }, fresh)).body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED", action_id: b, balance: 500 });
    expect((await p.play([bet(b, 100)], {}, fresh)).body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED", action_id: b });
    expect((await p.play([bet(b, 101)], {}, fresh)).body).toMatchObject({ status: "RS_ERROR_DUPLICATE_TRANSACTION", action_id: b });
    expect(await p.cash()).toBe(500n);
  });

  test("a play accepted once replays its outcome when retried with an expired token", async () => {
    const p = await player(500);
    const actions = [bet(id(), 100), win(id(), 40)];
    const first = await p.play(actions);
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.play(actions, {}, expired)).body).toEqual(first.body);
    expect(await p.cash()).toBe(440n);
  });

  test("a bet refused for a game switched off for the brand stays refused once the game is back", async () => {
    const own = await registerProvider(node, "batch");
    const pid = `pl-${crypto.randomUUID().slice(0, 8)}`;
    await fund(node, brand, pid, 300);
    const token = await launch(node, brand, pid, own.code);
    const play = (action_id: string) => own.call("play", { token, round: "r-off", game_code: "slot-1", currency: "KRW", finished: false, actions: [bet(action_id, 50)] });
    const b = id();
    await staff(node, "PUT", `/integration/providers/${own.code}/games/slot-1/brands/${brand}`, { enabled: false });
    expect((await play(b)).body).toMatchObject({ status: "RS_ERROR_INVALID_TOKEN", action_id: b, balance: 300 });
    await staff(node, "PUT", `/integration/providers/${own.code}/games/slot-1/brands/${brand}`, { enabled: true });
    expect((await play(b)).body).toMatchObject({ status: "RS_ERROR_INVALID_TOKEN", action_id: b });
    expect((await play(id())).body).toMatchObject({ status: "RS_OK", balance: 250 });
    expect(await cash(node, brand, pid)).toBe(250n);
  });

  test("a forged token, or one naming another provider or game, is refused", async () => {
    const p = await player(500);
    const forged = await forgedToken({ brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.play([bet(id(), 10)], {}, forged)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.play([win(id(), 10)], {}, forged)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.rollback([{ action_id: id(), original_action_id: id() }], forged)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    const other = await registerProvider(node, "batch");
    expect((await p.play([bet(id(), 10)], {}, await launch(node, brand, p.id, other.code))).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.play([bet(id(), 10)], { game_code: "slot-2" })).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect(await p.cash()).toBe(500n);
  });

  test("a forged token's play records nothing: its action ids are still free for the real player", async () => {
    const p = await player(500);
    const b = id();
    const forged = await forgedToken({ brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.play([bet(b, 100)], {}, forged)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.play([bet(b, 30)])).body).toMatchObject({ status: "RS_OK", balance: 470 });
  });

  test("a currency other than the player's is refused, and the play's bet stays refused", async () => {
    const p = await player(500);
    const b = id();
    expect((await p.play([win(id(), 5), bet(b, 10)], { currency: "EUR" })).body).toMatchObject({ status: "RS_ERROR_WRONG_CURRENCY", action_id: b, balance: 500 });
    expect((await p.play([bet(b, 10)])).body).toMatchObject({ status: "RS_ERROR_WRONG_CURRENCY", action_id: b, balance: 500 });
    expect((await p.play([win(id(), 5)], { currency: "EUR" })).body).toMatchObject({ status: "RS_ERROR_WRONG_CURRENCY", balance: 500 });
    expect(await p.cash()).toBe(500n);
  });

  test("rollback refunds once; again under a new action id is RS_OK with nothing moved; the same call replays", async () => {
    const p = await player(300);
    const b = id();
    await p.play([bet(b, 120)]);
    const r = [{ action_id: id(), original_action_id: b }];
    const first = await p.rollback(r);
    expect(first.body).toMatchObject({ status: "RS_OK", balance: 300, transactions: [{ action_id: r[0]!.action_id, transaction_id: expect.any(String) }] });
    expect((await p.rollback([{ action_id: id(), original_action_id: b }])).body).toMatchObject({ status: "RS_OK", balance: 300 });
    expect((await p.rollback(r)).body).toEqual(first.body);
    expect(await p.cash()).toBe(300n);
  });

  test("rollback of an unknown action is RS_OK and leaves a tombstone: the late bet is refused", async () => {
    const p = await player(300);
    const late = id();
    expect((await p.rollback([{ action_id: id(), original_action_id: late }])).body).toMatchObject({ status: "RS_OK", balance: 300 });
    expect((await p.play([bet(late, 100)])).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_ROLLED_BACK", action_id: late });
    expect(await p.cash()).toBe(300n);
  });

  test("a bet rolled back before it arrives refuses the whole play, its win never paid", async () => {
    const p = await player(300);
    const [b, w] = [id(), id()];
    await p.rollback([{ action_id: id(), original_action_id: b }]);
    expect((await p.play([bet(b, 100), win(w, 900)], { finished: true })).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_ROLLED_BACK", action_id: b, balance: 300 });
    expect(await p.cash()).toBe(300n);
  });

  // batch wins name no bet: the wallet settles them against the player's round
  test("win after rollback: a win in a round whose bet was rolled back is refused", async () => {
    const p = await player(300);
    const b = id();
    await p.play([bet(b, 100)]);
    await p.rollback([{ action_id: id(), original_action_id: b }]);
    expect((await p.play([win(id(), 900)], { finished: true })).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_ROLLED_BACK", balance: 300 });
  });

  test("a win-only play in a round whose bet was refused is RS_ERROR_TRANSACTION_DOES_NOT_EXIST and stays refused", async () => {
    const p = await player(50);
    expect((await p.play([bet(id(), 80)])).body).toMatchObject({ status: "RS_ERROR_NOT_ENOUGH_MONEY", balance: 50 });
    const w = id();
    const refused = await p.play([win(w, 900)], { finished: true });
    expect(refused.body).toMatchObject({ status: "RS_ERROR_TRANSACTION_DOES_NOT_EXIST", action_id: w, balance: 50, currency: "KRW" });
    expect(await p.cash()).toBe(50n);
    await p.play([bet(id(), 10)]);
    expect((await p.play([win(w, 900)], { finished: true })).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_DOES_NOT_EXIST", action_id: w, balance: 40 });
    expect(await p.cash()).toBe(40n);
  });

  test("a free-spin round (a bet of 0) pays its win", async () => {
    const p = await player(100);
    expect((await p.play([bet(id(), 0)])).body).toMatchObject({ status: "RS_OK", balance: 100 });
    expect((await p.play([win(id(), 70)], { finished: true })).body).toMatchObject({ status: "RS_OK", balance: 170 });
    expect(await p.cash()).toBe(170n);
  });

  test("a rollback of a bet whose round already has a win is refused", async () => {
    const p = await player(300);
    const b = id();
    await p.play([bet(b, 100), win(id(), 50)], { finished: true });
    expect((await p.rollback([{ action_id: id(), original_action_id: b }])).body).toMatchObject({ status: "RS_ERROR_BET_ALREADY_SETTLED", balance: 250 });
  });

  test("a suspended player cannot play a bet but is paid a win", async () => {
    const p = await player(300);
    await p.play([bet(id(), 100)]);
    await setSuspended(node, brand, p.id, true);
    expect((await p.play([bet(id(), 10)])).body.status).toBe("RS_ERROR_USER_DISABLED");
    expect((await p.play([win(id(), 40)], { finished: true })).body).toMatchObject({ status: "RS_OK", balance: 240 });
    await setSuspended(node, brand, p.id, false);
  });
});
