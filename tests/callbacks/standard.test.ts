import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { setBrandStatus } from "../support/catalog.ts";
import type { CallbackNode } from "./callback-node.ts";
import { callbackFixture, cash, expiredToken, forgedToken, fund, launch, type ProviderClient, registerProvider, setSuspended } from "./provider-client.ts";

/** The contract's `standard` dialect, row by row, over HTTP against a running node. */

let node: CallbackNode;
let brand: string;
let provider: ProviderClient;

beforeAll(
  async () =>
    ({
      node,
      brand,
      providers: { standard: provider },
    } = await callbackFixture(["standard"])),
  30_000,
);
afterAll(() => node?.close());

/** A funded player with a live token, and shorthands for their calls. */
async function player(funds = 1000) {
  const id = `pl-${crypto.randomUUID().slice(0, 8)}`;
  if (funds > 0) await fund(node, brand, id, funds);
  const token = await launch(node, brand, id, provider.code);
  const round = `r-${crypto.randomUUID().slice(0, 8)}`;
  const base = (t: string) => ({ token: t, round, game_code: "slot-1" });
  return {
    id,
    token,
    round,
    cash: () => cash(node, brand, id),
    balance: (t = token) => provider.call("user/balance", { token: t }),
    bet: (uuid: string, amount: number, extra: Record<string, unknown> = {}, t = token) =>
      provider.call("transaction/bet", { ...base(t), transaction_uuid: uuid, amount, currency: "KRW", ...extra }),
    win: (uuid: string, bet: string, amount: number, extra: Record<string, unknown> = {}, t = token) =>
      provider.call("transaction/win", { ...base(t), transaction_uuid: uuid, reference_transaction_uuid: bet, amount, currency: "KRW", ...extra }),
    rollback: (uuid: string, bet: string, extra: Record<string, unknown> = {}, t = token) =>
      provider.call("transaction/rollback", { ...base(t), transaction_uuid: uuid, reference_transaction_uuid: bet, ...extra }),
  };
}

const uuid = () => crypto.randomUUID();

describe("standard dialect", () => {
  test("balance names the user, currency and cash balance", async () => {
    const p = await player(1234);
    expect(await p.balance()).toEqual({ http: 200, body: { status: "RS_OK", user: p.id, currency: "KRW", balance: 1234 } });
  });

  test("bet, win and rollback answer RS_OK with the balance after and a transaction id", async () => {
    const p = await player(1000);
    const [b1, b2] = [uuid(), uuid()];
    const bet = await p.bet(b1, 300);
    expect(bet).toEqual({ http: 200, body: { status: "RS_OK", user: p.id, currency: "KRW", balance: 700, transaction_id: expect.any(String) } });
    expect((await p.win(uuid(), b1, 500)).body).toMatchObject({ status: "RS_OK", balance: 1200 });
    expect((await p.bet(b2, 200)).body.balance).toBe(1000);
    expect((await p.rollback(uuid(), b2)).body).toMatchObject({ status: "RS_OK", balance: 1200 });
    expect(await p.cash()).toBe(1200n);
  });

  test("a win of 0 is accepted", async () => {
    const p = await player(100);
    const b = uuid();
    await p.bet(b, 100);
    expect((await p.win(uuid(), b, 0)).body).toMatchObject({ status: "RS_OK", balance: 0 });
  });

  test("replay: the same key and fields answer the first outcome with the current balance, nothing moves", async () => {
    const p = await player(1000);
    const b = uuid();
    const first = await p.bet(b, 100);
    await p.win(uuid(), b, 40);
    const again = await p.bet(b, 100);
    expect(again.body).toEqual({ ...first.body, balance: 940 });
    const w = uuid();
    const win = await p.win(w, b, 60);
    expect((await p.win(w, b, 60)).body).toEqual(win.body);
    expect(await p.cash()).toBe(1000n);
  });

  test("mismatch: the same key with another amount, round, type or reference is a duplicate, nothing moves", async () => {
    const p = await player(1000);
    const [b, other] = [uuid(), uuid()];
    await p.bet(b, 100);
    await p.bet(other, 100);
    const duplicate = { status: "RS_ERROR_DUPLICATE_TRANSACTION", balance: 800, currency: "KRW" };
    expect((await p.bet(b, 101)).body).toMatchObject(duplicate);
    expect((await p.bet(b, 100, { round: "another-round" })).body).toMatchObject(duplicate);
    expect((await p.win(b, other, 100)).body).toMatchObject(duplicate);
    const w = uuid();
    await p.win(w, b, 10);
    expect((await p.win(w, other, 10)).body).toMatchObject({ status: "RS_ERROR_DUPLICATE_TRANSACTION" });
    expect(await p.cash()).toBe(810n);
    const someoneElse = await player(1000);
    expect((await someoneElse.bet(b, 100, { round: p.round })).body).toMatchObject({ status: "RS_ERROR_DUPLICATE_TRANSACTION", balance: 1000 });
    expect(await someoneElse.cash()).toBe(1000n);
  });

  test("not enough money carries the balance; the refused bet stays refused after a deposit", async () => {
    const p = await player(50);
    const b = uuid();
    const refused = await p.bet(b, 80);
    expect(refused).toEqual({ http: 200, body: { status: "RS_ERROR_NOT_ENOUGH_MONEY", balance: 50, currency: "KRW", message: expect.any(String) } });
    await fund(node, brand, p.id, 1000);
    expect((await p.bet(b, 80)).body).toMatchObject({ status: "RS_ERROR_NOT_ENOUGH_MONEY", balance: 1050 });
    expect(await p.cash()).toBe(1050n);
    expect((await p.bet(uuid(), 80)).body).toMatchObject({ status: "RS_OK", balance: 970 });
  });

  test("an expired token refuses a bet but settles wins and rollbacks", async () => {
    const p = await player(500);
    const [b1, b2] = [uuid(), uuid()];
    await p.bet(b1, 100);
    await p.bet(b2, 100);
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.bet(uuid(), 10, {}, expired)).body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED" });
    expect((await p.win(uuid(), b1, 250, {}, expired)).body).toMatchObject({ status: "RS_OK", balance: 550 });
    expect((await p.rollback(uuid(), b2, {}, expired)).body).toMatchObject({ status: "RS_OK", balance: 650 });
    expect(await p.cash()).toBe(650n);
  });

  test("a bet refused for its expired token stays refused under its uuid, even with a fresh token", async () => {
    const p = await player(500);
    const b = uuid();
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.bet(b, 100, {}, expired)).body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED", balance: 500, currency: "KRW" });
    const fresh = await launch(node, brand, p.id, provider.code);
    expect((await p.bet(b, 100, {}, fresh)).body).toMatchObject({ status: "RS_ERROR_TOKEN_EXPIRED", balance: 500 });
    expect((await p.bet(b, 100)).body.status).toBe("RS_ERROR_TOKEN_EXPIRED");
    expect((await p.bet(b, 90, {}, fresh)).body.status).toBe("RS_ERROR_DUPLICATE_TRANSACTION");
    expect((await p.win(uuid(), b, 300, {}, fresh)).body.status).toBe("RS_ERROR_TRANSACTION_DOES_NOT_EXIST");
    expect(await p.cash()).toBe(500n);
  });

  test("an accepted bet retried with an expired token replays its first outcome", async () => {
    const p = await player(500);
    const b = uuid();
    const first = await p.bet(b, 100);
    const expired = await expiredToken(node, { brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.bet(b, 100, {}, expired)).body).toEqual(first.body);
    expect(await p.cash()).toBe(400n);
  });

  test("a forged token, or one naming another provider or game, is refused for every operation", async () => {
    const p = await player(500);
    const b = uuid();
    await p.bet(b, 100);
    const forged = await forgedToken({ brand, player: p.id, provider: provider.code, game: "slot-1" });
    const tampered = `${p.token.slice(0, -4)}${p.token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    for (const t of [forged, tampered, "not-a-token"]) {
      expect((await p.balance(t)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
      expect((await p.bet(uuid(), 10, {}, t)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
      expect((await p.win(uuid(), b, 10, {}, t)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
      expect((await p.rollback(uuid(), b, {}, t)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    }
    const otherProvider = await registerProvider(node, "standard");
    const foreign = await launch(node, brand, p.id, otherProvider.code);
    expect((await p.bet(uuid(), 10, {}, foreign)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.bet(uuid(), 10, { game_code: "slot-2" })).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.win(uuid(), b, 10, { game_code: "slot-2" })).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect(await p.cash()).toBe(400n);
  });

  test("a forged token's bet records nothing: its uuid is still free for the real player", async () => {
    const p = await player(500);
    const b = uuid();
    const forged = await forgedToken({ brand, player: p.id, provider: provider.code, game: "slot-1" });
    expect((await p.bet(b, 100, {}, forged)).body.status).toBe("RS_ERROR_INVALID_TOKEN");
    expect((await p.bet(b, 30)).body).toMatchObject({ status: "RS_OK", balance: 470 });
    expect(await p.cash()).toBe(470n);
  });

  test("a currency other than the player's is refused, nothing moves", async () => {
    const p = await player(500);
    const b = uuid();
    expect((await p.bet(b, 100, { currency: "EUR" })).body).toMatchObject({ status: "RS_ERROR_WRONG_CURRENCY", balance: 500, currency: "KRW" });
    // a refused bet stays refused under its key
    expect((await p.bet(b, 100)).body).toMatchObject({ status: "RS_ERROR_WRONG_CURRENCY", balance: 500 });
    const accepted = uuid();
    await p.bet(accepted, 100);
    expect((await p.win(uuid(), accepted, 100, { currency: "USD" })).body.status).toBe("RS_ERROR_WRONG_CURRENCY");
    expect(await p.cash()).toBe(400n);
  });

  test("rollback refunds the bet once; a second rollback under a new uuid is RS_OK with nothing moved", async () => {
    const p = await player(300);
    const b = uuid();
    await p.bet(b, 120);
    const r = uuid();
    const first = await p.rollback(r, b);
    expect(first.body).toMatchObject({ status: "RS_OK", balance: 300 });
    expect((await p.rollback(uuid(), b)).body).toMatchObject({ status: "RS_OK", balance: 300 });
    expect((await p.rollback(r, b)).body).toEqual(first.body);
    expect(await p.cash()).toBe(300n);
  });

  test("rollback of an unknown bet is RS_OK and leaves a tombstone: the late bet is refused", async () => {
    const p = await player(300);
    const late = uuid();
    expect((await p.rollback(uuid(), late)).body).toMatchObject({ status: "RS_OK", balance: 300 });
    expect((await p.bet(late, 100)).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_ROLLED_BACK" });
    expect(await p.cash()).toBe(300n);
  });

  test("a win for a rolled-back bet is refused; a win for an unknown bet does not exist", async () => {
    const p = await player(300);
    const b = uuid();
    await p.bet(b, 100);
    await p.rollback(uuid(), b);
    expect((await p.win(uuid(), b, 500)).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_ROLLED_BACK", balance: 300 });
    expect((await p.win(uuid(), uuid(), 500)).body).toMatchObject({ status: "RS_ERROR_TRANSACTION_DOES_NOT_EXIST", balance: 300 });
    expect(await p.cash()).toBe(300n);
  });

  test("a rollback of a bet that already has a win is refused", async () => {
    const p = await player(300);
    const b = uuid();
    await p.bet(b, 100);
    await p.win(uuid(), b, 50);
    expect((await p.rollback(uuid(), b)).body).toMatchObject({ status: "RS_ERROR_BET_ALREADY_SETTLED", balance: 250 });
    expect(await p.cash()).toBe(250n);
  });

  test("a suspended player cannot bet but is paid; a suspended brand refuses bets", async () => {
    const p = await player(300);
    const b = uuid();
    await p.bet(b, 100);
    await setSuspended(node, brand, p.id, true);
    expect((await p.bet(uuid(), 10)).body.status).toBe("RS_ERROR_USER_DISABLED");
    expect((await p.win(uuid(), b, 70)).body).toMatchObject({ status: "RS_OK", balance: 270 });
    await setSuspended(node, brand, p.id, false);
    expect((await p.bet(uuid(), 10)).body.status).toBe("RS_OK");

    const closed = await node.addBrand();
    await fund(node, closed, p.id, 100);
    const token = await launch(node, closed, p.id, provider.code);
    await setBrandStatus(node.ctx.system, closed, "disabled");
    const bet = () => provider.call("transaction/bet", { token, transaction_uuid: "closed-1", round: "r", game_code: "slot-1", amount: 10, currency: "KRW" });
    expect((await bet()).body).toMatchObject({ status: "RS_ERROR_USER_DISABLED", balance: 100 });
    await setBrandStatus(node.ctx.system, closed, "active");
    expect((await bet()).body).toMatchObject({ status: "RS_ERROR_USER_DISABLED", balance: 100 });
    expect(await cash(node, closed, p.id)).toBe(100n);
  });
});
