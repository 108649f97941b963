import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { walletAddress } from "../../actors/wallet/index.ts";
import { type WalletNode, walletNode } from "../wallet/wallet-node.ts";

/**
 * The brand settings the wallet enforces, one test per key, set through the back office's
 * `PATCH /brands/:brand/config` and felt through the gateway's (and the internal edge's)
 * cashier routes. The wallet's clock is the test's, so a day can end on cue.
 */

const HOUR = 3_600_000;
let clock = Date.now();
let w: WalletNode;
let owner: { token: string };
let finance: { token: string };
beforeAll(async () => {
  w = await walletNode({ label: "lim", now: () => clock });
  owner = await w.staff("owner", null);
  finance = await w.staff("finance", null);
}, 60_000);
afterAll(() => w.close());

/** A fresh brand with `config`, and a player of it holding `cash`, with a payout account on file. */
async function brandWith(config: Record<string, unknown>, cash = 1_000_000) {
  const brand = await w.addBrand();
  expect((await w.admin("PATCH", `/brands/${brand}/config`, { token: owner.token, json: config })).status).toBe(200);
  const player = await w.player(brand);
  await w.bankAccountChanged(brand, player.id);
  if (cash > 0)
    expect((await w.admin("POST", `/brands/${brand}/players/${player.id}/adjustments`, { token: finance.token, json: { amount: cash, reason: "funds" } })).status).toBe(201);
  const withdraw = (amount: number, headers?: Record<string, string>) => w.gateway(brand, "POST", "/wallet/withdrawals", { token: player.token, json: { amount }, headers });
  const deposit = (amount: number) => w.gateway(brand, "POST", "/wallet/deposits", { token: player.token, json: { amount, depositorName: "Kim" } });
  const balance = async () => (await w.gateway(brand, "GET", "/wallet/balance", { token: player.token })).body;
  return { brand, player, withdraw, deposit, balance };
}

const refused = (code: string, details: Record<string, unknown>) => ({ status: 409, body: { error: { code, details } } });

describe("deposit limits", () => {
  test("limits.minDeposit: below it is refused with the limit; at it is accepted", async () => {
    const b = await brandWith({ limits: { minDeposit: 10_000 } }, 0);
    expect(await b.deposit(9_999)).toMatchObject(refused("amount_below_minimum", { setting: "limits.minDeposit", limit: "10000" }));
    expect((await b.deposit(10_000)).status).toBe(201);
  });

  test("limits.maxDeposit: above it is refused with the limit; at it is accepted", async () => {
    const b = await brandWith({ limits: { maxDeposit: 500_000 } }, 0);
    expect(await b.deposit(500_001)).toMatchObject(refused("amount_above_maximum", { setting: "limits.maxDeposit", limit: "500000" }));
    expect((await b.deposit(500_000)).status).toBe(201);
  });
});

describe("withdrawal limits", () => {
  test("limits.minWithdrawal: below it is refused, nothing held", async () => {
    const b = await brandWith({ limits: { minWithdrawal: 5_000 } });
    expect(await b.withdraw(4_999)).toMatchObject(refused("amount_below_minimum", { setting: "limits.minWithdrawal", limit: "5000" }));
    expect(await b.balance()).toMatchObject({ cash: "1000000", locked: "0" });
    expect((await b.withdraw(5_000)).status).toBe(201);
  });

  test("limits.maxWithdrawal: above it is refused, and the refusal stays with its Idempotency-Key after the limit is lifted", async () => {
    const b = await brandWith({ limits: { maxWithdrawal: 100_000 } });
    const headers = { "idempotency-key": `wd-${crypto.randomUUID()}` };
    expect(await b.withdraw(100_001, headers)).toMatchObject(refused("amount_above_maximum", { setting: "limits.maxWithdrawal", limit: "100000" }));
    expect((await w.admin("PATCH", `/brands/${b.brand}/config`, { token: owner.token, json: { limits: null } })).status).toBe(200);
    expect(await b.withdraw(100_001, headers)).toMatchObject(refused("amount_above_maximum", { limit: "100000" }));
    expect((await b.withdraw(100_001)).status).toBe(201);
    expect(await b.balance()).toMatchObject({ cash: "899999", locked: "100001" });
  });

  test("limits.dailyWithdrawal: counted per player per day in the brand's time zone; rejected requests do not count; a restart forgets nothing", async () => {
    // Asia/Seoul is UTC+9: its midnight falls at 15:00 UTC, inside one UTC day
    const seoulMidnight = Math.ceil((Date.now() + 9 * HOUR) / (24 * HOUR)) * 24 * HOUR - 9 * HOUR;
    clock = seoulMidnight - HOUR / 2;
    const b = await brandWith({ timezone: "Asia/Seoul", limits: { dailyWithdrawal: 300_000 } });
    const first = await b.withdraw(200_000);
    expect(first.status).toBe(201);
    expect(await b.withdraw(100_001)).toMatchObject(refused("daily_withdrawal_limit", { setting: "limits.dailyWithdrawal", limit: "300000", used: "200000" }));
    // a rejected request frees its share of the day
    expect((await w.admin("POST", `/brands/${b.brand}/withdrawals/${first.body.requestId}/reject`, { token: finance.token, json: { reason: "wrong account" } })).status).toBe(200);
    expect((await b.withdraw(250_000)).status).toBe(201);
    // a fresh writer reads the day's requests back from the store
    await w.node.parts.system.unhost(walletAddress(b.brand));
    await w.node.parts.system.host("wallet", b.brand);
    expect(await b.withdraw(50_001)).toMatchObject(refused("daily_withdrawal_limit", { used: "250000" }));
    expect((await b.withdraw(50_000)).status).toBe(201);
    // past Seoul's midnight (the same UTC day) the limit starts again
    clock = seoulMidnight + HOUR / 2;
    expect((await b.withdraw(300_000)).status).toBe(201);
    expect(await b.withdraw(1)).toMatchObject(refused("daily_withdrawal_limit", { used: "300000" }));
    clock = Date.now();
  });

  test("withdrawal.maxPerDay: the next request of the day is refused with the count; a rejected one does not count", async () => {
    clock = Date.now();
    const b = await brandWith({ withdrawal: { maxPerDay: 2 } });
    const first = await b.withdraw(1_000);
    expect((await b.withdraw(1_000)).status).toBe(201);
    expect(await b.withdraw(1_000)).toMatchObject(refused("daily_withdrawal_count_limit", { setting: "withdrawal.maxPerDay", limit: 2, used: 2 }));
    expect((await w.admin("POST", `/brands/${b.brand}/withdrawals/${first.body.requestId}/reject`, { token: finance.token, json: { reason: "duplicate" } })).status).toBe(200);
    expect((await b.withdraw(1_000)).status).toBe(201);
    expect(await b.withdraw(1_000)).toMatchObject(refused("daily_withdrawal_count_limit", { used: 2 }));
  });

  test("withdrawal.requireBankAccount: without a payout account on file the request is refused; with one it is paid there", async () => {
    const b = await brandWith({ withdrawal: { requireBankAccount: true } });
    // a player the wallet holds money for but no payout account (never registered through this brand's player domain)
    const stranger = `ext-${crypto.randomUUID()}`;
    const funding = `fund-${crypto.randomUUID()}`;
    expect((await w.internal(b.brand, "POST", "/deposits", { json: { requestId: funding, player: stranger, amount: 10_000 } })).status).toBe(201);
    expect((await w.internal(b.brand, "POST", `/deposits/${funding}/approve`, { json: {} })).status).toBe(200);
    const refusal = await w.internal(b.brand, "POST", "/withdrawals", { json: { requestId: `w-${crypto.randomUUID()}`, player: stranger, amount: 1_000 } });
    expect(refusal).toMatchObject(refused("bank_account_required", { setting: "withdrawal.requireBankAccount" }));
    expect((await w.internal(b.brand, "GET", `/players/${stranger}/balance`)).body).toMatchObject({ cash: "10000", locked: "0" });
    await w.bankAccountChanged(b.brand, stranger);
    expect((await w.internal(b.brand, "POST", "/withdrawals", { json: { requestId: `w-${crypto.randomUUID()}`, player: stranger, amount: 1_000 } })).status).toBe(201);
    // the registered player's account came with the player domain's event
    expect((await b.withdraw(1_000)).status).toBe(201);
  });
});
