import { afterAll, expect, test } from "bun:test";
import { brandSettings } from "../../actors/catalog/index.ts";
import { betSettled } from "../../actors/promotion/activity.ts";
import { observationsOf } from "../../actors/promotion/metrics.ts";
import { preview, runSettlement, SETTLEMENT_GRACE_MS } from "../../actors/promotion/settlement.ts";
import type { PromotionTurn } from "../../actors/promotion/turn.ts";
import { endOf, periodOf, SettlementBook, SettlementViews } from "../../actors/settlement/index.ts";
import { statusOf } from "../../edges/shared/error-status.ts";
import { openShard, type Shard } from "../../shards/index.ts";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { tempDir } from "../support/services.ts";

/**
 * A staff run of a period waits for what the timer waits for: the period's end and its grace
 * for late events and rollbacks. Before that a run is refused `period_not_closed` (409, with
 * when it may run) and settles nothing; the preview answers all along.
 */

const shard: Shard = openShard(tempDir("promotion-grace"), "promotion-grace");
afterAll(() => shard.sqlite.close());

const settings = brandSettings({ config: { timezone: "UTC", promotion: { rebateRates: { slots: 100 } } } });
const book = new SettlementBook(shard.sqlite, "promotion");
const settlementViews = new SettlementViews(shard.sqlite, "promotion");

function turnAt(now: number): PromotionTurn & { events: ShardEvent[] } {
  const events: ShardEvent[] = [];
  return {
    sqlite: shard.sqlite,
    book,
    settlementViews,
    brand: "grace",
    settings,
    now,
    events,
    emit: (e) => void events.push(e),
    observe: observationsOf(undefined, "grace").observe,
  };
}
/** a handler runs in a transaction, as the actor's turn runs it */
const inTurn = <T>(run: () => T) => shard.sqlite.transaction(run)();

test("a run within the period's grace is refused with when it may run; the preview answers; after the grace it settles", () => {
  const day = "2030-03-10";
  const end = endOf(periodOf(day, "daily"), "UTC");
  inTurn(() => betSettled({ at: end - 60_000, payload: { player: "p1", idempotencyKey: "bet-1", amount: "20000", gameCategory: "slots" } }, turnAt(end - 60_000)));

  const open = turnAt(end - 1);
  expect(inTurn(() => runSettlement({ kind: "rebate", day, by: TEST_SETUP }, open))).toMatchObject({ ok: false, error: { code: "period_open" } });

  const early = turnAt(end + 5 * 60_000);
  const refused = inTurn(() => runSettlement({ kind: "rebate", day, by: TEST_SETUP }, early));
  expect(refused).toMatchObject({ ok: false, error: { code: "period_not_closed", details: { notBefore: end + SETTLEMENT_GRACE_MS, retryAfterSeconds: 300 } } });
  expect(statusOf("period_not_closed")).toBe(409);
  expect(early.events).toHaveLength(0);
  expect(settlementViews.get(`rebate:${day}`)).toBeNull();
  expect(inTurn(() => preview({ kind: "rebate", day, limit: 5 }, early))).toMatchObject({ ok: true, value: { total: "200", settled: false } });

  const closed = turnAt(end + SETTLEMENT_GRACE_MS);
  expect(inTurn(() => runSettlement({ kind: "rebate", day, by: TEST_SETUP }, closed))).toMatchObject({ ok: true, value: { id: `rebate:${day}`, total: "200" } });
  expect(closed.events.map((e) => e.type)).toContain("audit.recorded");
});
