import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { addDays, endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { promotionWorld } from "./promotion-world.ts";

/**
 * Rebate and lossback from the wallet's events: activity per player, local day and category
 * (a rolled-back bet taken back from its own day), settled per period through the settlement
 * library and the wallet, once: a period run again pays nothing, and a rollback after its
 * period was paid is reported with what it overpaid, never taken back.
 */

let node: TestPlatformNode;
afterAll(() => node.stop());
beforeAll(async () => {
  node = await testNode({ label: "prset" });
});

const TERMS = { rebateRates: { slots: 100, live: 50 }, lossbackRate: 1000, lossbackMinLoss: "1000", lossbackCap: "5000" };
const yesterday = () => addDays(localDay(Date.now(), "UTC"), -1);
const atYesterday = () => Date.parse(`${yesterday()}T12:00:00Z`);

async function brandWithTerms() {
  const brand = await node.addBrand({ prefix: "prs" });
  const world = promotionWorld(node, brand);
  await world.configure(TERMS);
  let n = 0;
  const event = (type: string, player: string, fields: { amount: string; idempotencyKey: string } & Record<string, unknown>) => ({
    id: crypto.randomUUID(),
    type,
    brand,
    at: atYesterday() + n++,
    payload: { player, transactionId: Bun.randomUUIDv7(), balance: "0", currency: "KRW", ...fields },
  });
  const bet = (player: string, amount: number, gameCategory: string, key = `p:studio:${crypto.randomUUID()}`) =>
    event("wallet.bet_settled", player, { amount: String(amount), gameCategory, idempotencyKey: key });
  const win = (player: string, amount: number) => event("wallet.win", player, { amount: String(amount), gameCategory: "slots", idempotencyKey: `p:studio:${crypto.randomUUID()}` });
  const rollback = (player: string, amount: number, reference: string) =>
    event("wallet.rollback", player, { amount: String(amount), reference, idempotencyKey: `p:studio:${crypto.randomUUID()}` });
  const previewOf = async (kind: "rebate" | "lossback") => expectOk(await world.promotions().preview({ kind, day: yesterday(), limit: 10 }));
  return { brand, world, bet, win, rollback, previewOf };
}

const creditsOf = async (brand: string) => {
  const [row] = await node.parts.store.query<{ n: number }>("select count(*)::int as n from wallet_transactions where brand_id = $1 and kind = 'settlement_credit'", [brand]);
  return row!.n;
};

test("a period's rebate and lossback: previewed, settled once through the wallet, a late rollback reported", async () => {
  const { brand, world, bet, win, rollback, previewOf } = await brandWithTerms();
  const [p1, p2, p3] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const rolledBack = bet(p2, 10_000, "slots");
  const late = bet(p3, 5_000, "slots");
  await node.parts.events.publish([
    bet(p1, 100_000, "slots"),
    bet(p1, 20_000, "live"),
    win(p1, 30_000),
    bet(p2, 40_000, "slots"),
    rolledBack,
    win(p2, 60_000),
    late,
    rollback(p2, 10_000, String(rolledBack.payload.idempotencyKey)),
  ]);
  // rebate: p1 1% of 100000 + 0.5% of 20000, p2 1% of 40000 (its rolled-back bet left out), p3 1% of 5000
  const rebate = await waitFor(
    async () => {
      const p = await previewOf("rebate");
      return p.total === "1550" ? p : undefined;
    },
    { what: "the activity projected" },
  );
  expect(rebate).toMatchObject({ players: 3, settled: false });
  expect(rebate.lines.map((l) => [l.player, l.amount])).toEqual([
    [p1, "1100"],
    [p2, "400"],
    [p3, "50"],
  ]);
  // lossback: p1 10% of 90000 capped at 5000, p2 won, p3 10% of 5000
  const lossback = await previewOf("lossback");
  expect(lossback).toMatchObject({ total: "5500", players: 2 });

  for (const kind of ["rebate", "lossback"] as const) {
    const run = expectOk(await world.promotions().runSettlement({ kind, day: yesterday(), by: TEST_SETUP }));
    expect(run).toMatchObject({ id: `${kind}:${yesterday()}`, status: "crediting", total: kind === "rebate" ? "1550" : "5500" });
  }
  await waitFor(async () => expectOk(await world.promotions().settlements({ limit: 10 })).items.every((s) => s.status === "settled"), { what: "both settled", timeoutMs: 10_000 });
  expect((await world.balances(p1)).cash).toBe("6100");
  expect((await world.balances(p2)).cash).toBe("400");
  expect((await world.balances(p3)).cash).toBe("550");
  const lines = expectOk(await world.promotions().settlementLines({ player: p1, limit: 10 })).items;
  expect(lines.map((l) => l.lineId).sort()).toEqual([`promotion:${brand}:${yesterday()}:lossback:${p1}`, `promotion:${brand}:${yesterday()}:rebate:${p1}`]);
  expect((await previewOf("rebate")).settled).toBe(true);
  const series = await node.parts.metrics.registry.getSingleMetricAsString("promotion_credited_minor_units_total");
  expect(series).toContain(`promotion_credited_minor_units_total{brand="${brand}",kind="rebate"} 1550`);
  expect(series).toContain(`promotion_credited_minor_units_total{brand="${brand}",kind="lossback"} 5500`);
  expect(await node.parts.metrics.registry.getSingleMetricAsString("promotion_settlement_seconds")).toMatch(/promotion_settlement_seconds_count\{kind="rebate"\} [1-9]/);

  // run again: the same settlement, nothing paid
  const credits = await creditsOf(brand);
  expect(credits).toBe(5);
  expect(expectOk(await world.promotions().runSettlement({ kind: "rebate", day: yesterday(), by: TEST_SETUP }))).toMatchObject({ status: "settled", total: "1550" });
  await node.parts.system.fireTimer("promotion", "settle", endOf(periodOf(yesterday(), "daily"), "UTC") + 11 * 60_000);
  expect(await creditsOf(brand)).toBe(credits);

  // a rollback of a paid day's bet: reported with what each line overpaid, nothing taken back
  await node.parts.events.publish([rollback(p3, 5_000, String(late.payload.idempotencyKey))]);
  const reported = await waitFor(async () => expectOk(await world.promotions().lateRollbacks({ limit: 5 })).items[0], { what: "the late rollback" });
  expect(reported).toMatchObject({ player: p3, amount: "5000", overpaid: { [`rebate:${yesterday()}`]: "50", [`lossback:${yesterday()}`]: "500" } });
  expect((await world.balances(p3)).cash).toBe("550");
  const audit = await node.parts.store.query<{ action: string }>("select action from audit_log where brand_id = $1 and action like 'promotion.%'", [brand]);
  expect(audit.filter((a) => a.action === "promotion.settlement_run")).toHaveLength(2);
}, 30_000);

test("the timer settles each kind's ended periods in the brand's time zone; an open period refuses a run", async () => {
  const { world, bet } = await brandWithTerms();
  const player = crypto.randomUUID();
  await node.parts.events.publish([bet(player, 20_000, "slots")]);
  await waitFor(
    async () =>
      (await world.promotions().preview({ kind: "rebate", day: yesterday(), limit: 1 })).ok &&
      expectOk(await world.promotions().preview({ kind: "rebate", day: yesterday(), limit: 1 })).total === "200",
    {
      what: "the activity",
    },
  );
  expect(await world.promotions().runSettlement({ kind: "rebate", day: localDay(Date.now(), "UTC"), by: TEST_SETUP })).toMatchObject({ ok: false, error: { code: "period_open" } });
  await node.parts.system.fireTimer("promotion", "settle", endOf(periodOf(yesterday(), "daily"), "UTC") + 11 * 60_000);
  await waitFor(async () => expectOk(await world.promotions().settlements({ limit: 10 })).items.filter((s) => s.status === "settled" && s.period === yesterday()).length === 2, {
    what: "rebate and lossback settled",
    timeoutMs: 10_000,
  });
  expect((await world.balances(player)).cash).toBe(String(200 + 2000));
}, 30_000);

test("activity counts on the brand's local day: a bet at 20:00 UTC is the next day in Seoul, and that day is settled after Seoul's midnight", async () => {
  const { brand, world, bet } = await brandWithTerms();
  expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { timezone: "Asia/Seoul" }, by: TEST_SETUP }));
  await waitFor(() => node.edge.brands.get(brand)?.config.timezone === "Asia/Seoul", { what: "the catalog copy" });
  const seoulToday = localDay(Date.now(), "Asia/Seoul");
  const [dayBefore, seoulYesterday] = [addDays(seoulToday, -2), addDays(seoulToday, -1)];
  const player = crypto.randomUUID();
  const late = { ...bet(player, 30_000, "slots"), at: Date.parse(`${dayBefore}T20:00:00Z`) };
  await node.parts.events.publish([late]);
  const rebateOf = async (day: string) => expectOk(await world.promotions().preview({ kind: "rebate", day, limit: 1 })).total;
  await waitFor(async () => (await rebateOf(seoulYesterday)) === "300", { what: "the bet on Seoul's day" });
  expect(await rebateOf(dayBefore)).toBe("0");
  await node.parts.system.fireTimer("promotion", "settle", endOf(periodOf(seoulYesterday, "daily"), "Asia/Seoul") + 11 * 60_000);
  const settled = await waitFor(
    async () => expectOk(await world.promotions().settlements({ kind: "rebate", limit: 5 })).items.find((s) => s.period === seoulYesterday && s.status === "settled"),
    {
      what: "Seoul's yesterday settled",
      timeoutMs: 10_000,
    },
  );
  expect(settled).toMatchObject({ total: "300", from: seoulYesterday, to: seoulYesterday });
}, 30_000);
