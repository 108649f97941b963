import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { promotionWorld } from "./promotion-world.ts";

/**
 * Coupons through `promotion@brand` on a whole node: redemptions counted in the actor's
 * commit (so parallel redemptions never pass a code's limit), bonuses granted by the wallet
 * from the outbox, their wagering opened by the rolling domain, a player giving one up.
 */

let node: TestPlatformNode;
let brand: string;
let world: ReturnType<typeof promotionWorld>;
beforeAll(async () => {
  node = await testNode({ label: "promo" });
  brand = await node.addBrand({ prefix: "pro" });
  world = promotionWorld(node, brand);
});
afterAll(() => node.stop());

const players = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());

describe("redemption limits under concurrency", () => {
  test("50 parallel redemptions of a single-use code: exactly one bonus", async () => {
    const coupon = await world.coupon({ amount: "5000", maxUses: 1, rollingMultiple: 1 });
    const code = coupon.codeList[0]!;
    const outcomes = await Promise.all(players(50).map((player) => world.promotions().redeem({ player, code })));
    const won = outcomes.filter((o) => o.ok);
    expect(won).toHaveLength(1);
    expect(new Set(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? "" : o.error.code)))).toEqual(new Set(["coupon_exhausted"]));
    const redemption = await world.granted(won[0]!.ok ? won[0]!.value.id : "");
    expect(redemption.amount).toBe("5000");
    expect((await world.balances(redemption.player)).bonus).toBe("5000");
    expect(expectOk(await world.promotions().coupon({ couponId: coupon.id })).uses).toBe(1);
  }, 20_000);

  test("50 parallel redemptions of a 10-use code by 50 players: exactly ten; a player redeems a coupon once", async () => {
    const coupon = await world.coupon({ amount: "700", maxUses: 10 });
    const code = coupon.codeList[0]!;
    const everyone = players(50);
    const outcomes = await Promise.all(everyone.map((player) => world.promotions().redeem({ player, code: code.toLowerCase() })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    const winner = everyone[outcomes.findIndex((o) => o.ok)]!;
    expect(await world.promotions().redeem({ player: winner, code })).toMatchObject({ ok: false, error: { code: "already_redeemed" } });
    await waitFor(async () => expectOk(await world.promotions().redemptions({ couponId: coupon.id, limit: 50 })).items.filter((r) => r.status === "granted").length === 10, {
      what: "ten grants",
      timeoutMs: 10_000,
    });
  });

  test("a batch of codes, each with its own uses; paused, unknown and expired coupons refuse", async () => {
    const batch = await world.coupon({ batch: 3, maxUses: 1, amount: "100" });
    expect(batch.codeList).toHaveLength(3);
    expect(expectOk(await world.promotions().couponCodes({ couponId: batch.id, limit: 10 })).items).toHaveLength(3);
    const [a, b] = players(2);
    expectOk(await world.promotions().redeem({ player: a!, code: batch.codeList[0]! }));
    expectOk(await world.promotions().redeem({ player: b!, code: batch.codeList[1]! }));
    expectOk(await world.promotions().setCouponStatus({ couponId: batch.id, status: "paused", by: TEST_SETUP }));
    expect(await world.promotions().redeem({ player: crypto.randomUUID(), code: batch.codeList[2]! })).toMatchObject({ ok: false, error: { code: "coupon_inactive" } });
    expect(await world.promotions().redeem({ player: a!, code: "NOSUCHCODE" })).toMatchObject({ ok: false, error: { code: "coupon_not_found" } });
    const past = await world.coupon({ validFrom: Date.now() - 10_000, validTo: Date.now() - 1 } as never);
    expect(await world.promotions().redeem({ player: a!, code: past.codeList[0]! })).toMatchObject({ ok: false, error: { code: "coupon_expired" } });
  });
});

describe("the bonus's lifecycle", () => {
  test("a deposit coupon waits for a qualifying deposit, then grants its share (capped)", async () => {
    const coupon = await world.coupon({ kind: "deposit_percent", percentBp: 1000, cap: "3000", minDeposit: "10000", maxUses: 5, rollingMultiple: 2 });
    const player = crypto.randomUUID();
    const redeemed = expectOk(await world.promotions().redeem({ player, code: coupon.codeList[0]! }));
    expect(redeemed).toMatchObject({ status: "armed", amount: "0" });
    const deposit = async (amount: number) => {
      const requestId = crypto.randomUUID();
      expectOk(await world.wallet().depositRequest({ requestId, player, amount }));
      expectOk(await world.wallet().depositApprove({ requestId, by: TEST_SETUP }));
    };
    await deposit(5_000); // below the minimum: still armed
    await deposit(50_000); // 10% = 5000, capped at 3000
    const redemption = await world.granted(redeemed.id);
    expect(redemption.amount).toBe("3000");
    expect(redemption.rolling).toMatchObject({ target: "6000", progress: "0" });
  });

  test("the bonus converts to cash when its wagering completes", async () => {
    const coupon = await world.coupon({ amount: "1000", rollingMultiple: 2 });
    const player = crypto.randomUUID();
    const redeemed = expectOk(await world.promotions().redeem({ player, code: coupon.codeList[0]! }));
    await world.granted(redeemed.id);
    await world.play(player, [{ amount: 2000, category: "slots" }]);
    await world.granted(redeemed.id, "completed");
    await waitFor(async () => (await world.balances(player)).bonus === "0", { what: "the bonus converted" });
    expect((await world.balances(player)).cash).toBe("1001");
  });

  test("a player who gives up a bonus loses what is left of it and keeps their own cash", async () => {
    const coupon = await world.coupon({ amount: "2500", rollingMultiple: 10 });
    const player = crypto.randomUUID();
    const redeemed = expectOk(await world.promotions().redeem({ player, code: coupon.codeList[0]! }));
    const granted = await world.granted(redeemed.id);
    await world.play(player, [{ amount: 400, category: "slots" }], 900);
    const cash = (await world.balances(player)).cash;
    expect(await world.rolling().playerCancel({ rollingId: granted.rolling!.id, player: crypto.randomUUID() })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expectOk(await world.rolling().playerCancel({ rollingId: granted.rolling!.id, player }));
    await world.granted(redeemed.id, "cancelled");
    await waitFor(async () => (await world.balances(player)).bonus === "0", { what: "the bonus forfeited" });
    expect((await world.balances(player)).cash).toBe(cash);
    expect(await world.rolling().playerCancel({ rollingId: granted.rolling!.id, player })).toMatchObject({ ok: false, error: { code: "invalid_state" } });
  });
});

test("a bonus the wallet has not announced for ten minutes is asked for again by the timer, under the same grant id", async () => {
  // a node without a wallet: the ask goes unanswered
  await using alone = await testNode({ label: "promo-alone", domains: ["promotion"] });
  const lonely = await alone.addBrand({ prefix: "pra" });
  const w = promotionWorld(alone, lonely);
  const coupon = await w.coupon({ amount: "800" });
  const redeemed = expectOk(await w.promotions().redeem({ player: crypto.randomUUID(), code: coupon.codeList[0]! }));
  expect(redeemed.status).toBe("requested");
  await alone.parts.system.fireTimer("promotion", "settle", Date.now() + 11 * 60_000);
  const asks = await waitFor(
    () => {
      const shard = alone.parts.shards.acquire(lonely);
      try {
        const rows = shard.sqlite.query<{ event_id: string; payload: string }, []>("select event_id, payload from outbox where type = 'promotion.bonus_requested'").all();
        return rows.length === 2 ? rows : undefined;
      } finally {
        alone.parts.shards.release(lonely);
      }
    },
    { what: "the second ask" },
  );
  expect(new Set(asks.map((a) => a.event_id)).size).toBe(2);
  expect(asks.map((a) => JSON.parse(a.payload).grantId)).toEqual([redeemed.id, redeemed.id]);
});

test("the wallet grants a redemption's bonus once however often it is asked", async () => {
  const player = crypto.randomUUID();
  const ask = { grantId: crypto.randomUUID(), player, amount: 1200, source: "promotion", reason: "coupon Twice", rollingMultiple: 1 };
  const first = expectOk(await world.wallet()["promotion.bonus_requested"](ask));
  const again = expectOk(await world.wallet()["promotion.bonus_requested"](ask));
  expect(again.transactionId).toBe(first.transactionId);
  expect((await world.balances(player)).bonus).toBe("1200");
});
