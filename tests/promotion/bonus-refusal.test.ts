import { afterAll, beforeAll, expect, test } from "bun:test";
import type { RedemptionView } from "../../actors/promotion/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { promotionWorld } from "./promotion-world.ts";

/**
 * A coupon bonus the wallet refuses for good ends the redemption `refused`, with the wallet's
 * code and message, on the player's and staff's lists; the code's use is given back and the
 * timer stops asking. A refusal for the moment changes nothing (the timer asks again), and the
 * same refusal heard twice changes nothing the second time.
 */

let node: TestPlatformNode;
let brand: string;
let world: ReturnType<typeof promotionWorld>;
beforeAll(async () => {
  node = await testNode({ label: "promo-refusal" });
  brand = await node.addBrand({ prefix: "prr" });
  world = promotionWorld(node, brand);
});
afterAll(() => node.stop());

const refused = (w: ReturnType<typeof promotionWorld>, redemptionId: string) =>
  waitFor(
    async () => {
      const r = await w.promotions().redemption({ redemptionId });
      return r.ok && r.value.status === "refused" ? r.value : undefined;
    },
    { what: `redemption ${redemptionId} refused`, timeoutMs: 10_000 },
  );

/** The outcome `promotion@brand` journaled for a message (an event by its id), once it took it. */
function journaled(n: TestPlatformNode, b: string, messageId: string) {
  return waitFor(
    () => {
      const shard = n.parts.shards.acquire(b);
      try {
        const row = shard.sqlite.query<{ outcome: string }, [string]>("select outcome from actor_journal where message_id = ?").get(messageId);
        return row ? JSON.parse(row.outcome) : undefined;
      } finally {
        n.parts.shards.release(b);
      }
    },
    { what: `message ${messageId} taken` },
  );
}

function asksFor(n: TestPlatformNode, b: string, redemptionId: string): number {
  const shard = n.parts.shards.acquire(b);
  try {
    const rows = shard.sqlite.query<{ payload: string }, []>("select payload from outbox where type = 'promotion.bonus_requested'").all();
    return rows.filter((r) => JSON.parse(r.payload).grantId === redemptionId).length;
  } finally {
    n.parts.shards.release(b);
  }
}

test("a suspended player's coupon bonus is refused for good: listed with the wallet's code, the use given back, nothing granted", async () => {
  const coupon = await world.coupon({ amount: "900", maxUses: 1 });
  const code = coupon.codeList[0]!;
  const player = crypto.randomUUID();
  expectOk(await world.wallet().setPlayerStatus({ player, suspended: true }));
  const redeemed = expectOk(await world.promotions().redeem({ player, code }));
  const view = await refused(world, redeemed.id);
  expect(view).toMatchObject({ amount: "900", transactionId: null, refusal: { code: "account_suspended", message: expect.stringContaining("suspended") } });
  expect((await world.balances(player)).bonus).toBe("0");
  // the player's list and staff's, by status
  expect(expectOk(await world.promotions().redemptions({ player, limit: 10 })).items).toEqual([view]);
  expect(expectOk(await world.promotions().redemptions({ status: "refused", limit: 50 })).items.map((r) => r.id)).toContain(redeemed.id);
  // the single-use code is not burned: another player redeems it and is granted
  expect(expectOk(await world.promotions().coupon({ couponId: coupon.id })).uses).toBe(0);
  const other = expectOk(await world.promotions().redeem({ player: crypto.randomUUID(), code }));
  await waitFor(async () => expectOk(await world.promotions().redemption({ redemptionId: other.id })).status === "granted", { what: "the other player's grant" });
  expect(expectOk(await world.promotions().coupon({ couponId: coupon.id })).uses).toBe(1);

  // the wallet asked again answers the same refusal again; heard twice, it changes nothing
  const refusals = async () =>
    (await node.parts.store.query<{ n: number }>("select count(*)::int as n from outbox where type = 'wallet.bonus_refused' and payload->>'grantId' = $1", [redeemed.id]))[0]!.n;
  expect(await refusals()).toBe(1);
  const again = await world.wallet()["promotion.bonus_requested"]({ grantId: redeemed.id, player, amount: 900, source: "promotion", reason: `coupon ${coupon.name}` });
  expect(again).toMatchObject({ ok: false, error: { code: "account_suspended" } });
  expect(await refusals()).toBe(2);
  const event = {
    id: crypto.randomUUID(),
    type: "wallet.bonus_refused",
    brand,
    at: Date.now(),
    payload: { grantId: redeemed.id, player, source: "promotion", code: "account_suspended", message: "again" },
  };
  await node.parts.events.publish([event]);
  expect(await journaled(node, brand, event.id)).toMatchObject({ ok: true, value: { refused: false } });
  expect(expectOk(await world.promotions().redemption({ redemptionId: redeemed.id }))).toEqual(view);
  expect(expectOk(await world.promotions().coupon({ couponId: coupon.id })).uses).toBe(1);
}, 20_000);

test("a grant id the wallet holds for another grant is refused for good (duplicate_request)", async () => {
  const coupon = await world.coupon({ kind: "deposit_percent", percentBp: 1000, cap: "5000", minDeposit: "1000", maxUses: 3 });
  const player = crypto.randomUUID();
  const redeemed = expectOk(await world.promotions().redeem({ player, code: coupon.codeList[0]! }));
  expect(redeemed.status).toBe("armed");
  // another grant under the redemption's id, made first
  expectOk(await world.wallet().bonusGrant({ grantId: redeemed.id, player, amount: 1, reason: "another grant" }));
  const requestId = crypto.randomUUID();
  expectOk(await world.wallet().depositRequest({ requestId, player, amount: 20_000 }));
  expectOk(await world.wallet().depositApprove({ requestId, by: TEST_SETUP }));
  expect(await refused(world, redeemed.id)).toMatchObject({ amount: "2000", refusal: { code: "duplicate_request" } });
  expect(expectOk(await world.promotions().coupon({ couponId: coupon.id })).uses).toBe(0);
  const [row] = await node.parts.store.query<{ n: number }>("select count(*)::int as n from outbox where type = 'wallet.bonus_granted' and payload->>'idempotencyKey' = $1", [
    `bonus-grant:${redeemed.id}`,
  ]);
  expect(row!.n).toBe(1);
}, 20_000);

test("a refusal for the moment leaves the grant asked for again; a final one stops the timer", async () => {
  // a node without a wallet: the promotion domain hears only the refusals published here
  await using alone = await testNode({ label: "promo-refusal-alone", domains: ["promotion"] });
  const lonely = await alone.addBrand({ prefix: "prq" });
  const w = promotionWorld(alone, lonely);
  const coupon = await w.coupon({ amount: "800" });
  const player = crypto.randomUUID();
  const redeemed = expectOk(await w.promotions().redeem({ player, code: coupon.codeList[0]! }));
  const refusal = (code: string) => ({
    id: crypto.randomUUID(),
    type: "wallet.bonus_refused",
    brand: lonely,
    at: Date.now(),
    payload: { grantId: redeemed.id, player, source: "promotion", code, message: code },
  });

  const notNow = refusal("settings_unavailable");
  await alone.parts.events.publish([notNow]);
  expect(await journaled(alone, lonely, notNow.id)).toMatchObject({ ok: true, value: { refused: false } });
  const stillAsked: RedemptionView = expectOk(await w.promotions().redemption({ redemptionId: redeemed.id }));
  expect(stillAsked).toMatchObject({ status: "requested", refusal: null });
  await alone.parts.system.fireTimer("promotion", "settle", Date.now() + 11 * 60_000);
  await waitFor(() => asksFor(alone, lonely, redeemed.id) === 2, { what: "the grant asked again" });

  const final = refusal("amount_out_of_range");
  await alone.parts.events.publish([final]);
  expect(await journaled(alone, lonely, final.id)).toMatchObject({ ok: true, value: { refused: true } });
  expect(expectOk(await w.promotions().redemption({ redemptionId: redeemed.id }))).toMatchObject({ status: "refused", refusal: { code: "amount_out_of_range" } });
  const later = Date.now() + 40 * 60_000;
  await alone.parts.system.fireTimer("promotion", "settle", later);
  const timer = await journaled(alone, lonely, `timer:settle:promotion@${lonely}:${Math.floor(later / 1000)}`);
  expect(timer).toMatchObject({ ok: true, value: { bonusesAskedAgain: 0 } });
  expect(asksFor(alone, lonely, redeemed.id)).toBe(2);
  expect(expectOk(await w.promotions().coupon({ couponId: coupon.id })).uses).toBe(0);

  // a grant an earlier ask made after all: the redemption is granted and its use counted again
  const grant = {
    id: crypto.randomUUID(),
    type: "wallet.bonus_granted",
    brand: lonely,
    at: Date.now(),
    payload: { player, transactionId: Bun.randomUUIDv7(), idempotencyKey: `bonus-grant:${redeemed.id}`, amount: "800", balance: "0", currency: "KRW", source: "promotion" },
  };
  await alone.parts.events.publish([grant]);
  expect(await journaled(alone, lonely, grant.id)).toMatchObject({ ok: true, value: { marked: true } });
  expect(expectOk(await w.promotions().redemption({ redemptionId: redeemed.id }))).toMatchObject({ status: "granted", refusal: null, transactionId: grant.payload.transactionId });
  expect(expectOk(await w.promotions().coupon({ couponId: coupon.id })).uses).toBe(1);
}, 20_000);
