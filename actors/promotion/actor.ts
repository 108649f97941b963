import type { ShardPool } from "../../shards/index.ts";
import { answeringQueries, journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import { type BrandDirectory, brandSettings } from "../catalog/index.ts";
import { type ActorKind, type Incoming, schemasOf } from "../runtime/actor.ts";
import { fail, type Outcome } from "../runtime/errors.ts";
import type { RuntimeMetrics } from "../runtime/metrics.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { shardOutboxName } from "../runtime/outbox-shard.ts";
import { type RetryPolicy, SettlementBook, SettlementViews } from "../settlement/index.ts";
import { betSettled, rollback, rollingNews, SETTLEMENT_RESULT_HANDLERS, win } from "./activity.ts";
import { bonusGranted, bonusRefused, createCoupon, depositApproved, redeem, setCouponStatus } from "./coupons.ts";
import { CONSUMED_EVENT_TYPES, CONSUMED_EVENTS, fedEvent } from "./events.ts";
import { PROMOTION_QUERIES, type PromotionMessageType, promotionProtocol } from "./messages.ts";
import { observationsOf, promotionMetrics } from "./metrics.ts";
import { lateRollbacks, preview, requeueSettlement, runSettlement, SETTLE_TIMER, settlementLines, settlements, settleTimer } from "./settlement.ts";
import type { Handler, PromotionTurn } from "./turn.ts";
import { coupon, couponCodes, coupons, redemption, redemptions } from "./views.ts";

export const PROMOTION_DOMAIN = "promotion";

const COMMANDS: Record<PromotionMessageType, Handler> = {
  createCoupon,
  setCouponStatus,
  runSettlement,
  requeueSettlement,
  redeem,
  coupons,
  coupon,
  couponCodes,
  redemptions,
  redemption,
  preview,
  settlements,
  settlementLines,
  lateRollbacks,
};

/** Other domains' events, each a message of its type under the event's id. */
const EVENT_HANDLERS: Record<string, Handler> = {
  [CONSUMED_EVENTS.betSettled]: betSettled,
  [CONSUMED_EVENTS.win]: win,
  [CONSUMED_EVENTS.rollback]: rollback,
  [CONSUMED_EVENTS.depositApproved]: depositApproved,
  [CONSUMED_EVENTS.bonusGranted]: bonusGranted,
  [CONSUMED_EVENTS.bonusRefused]: bonusRefused,
  [CONSUMED_EVENTS.rollingCreated]: rollingNews,
  [CONSUMED_EVENTS.rollingProgressed]: rollingNews,
  [CONSUMED_EVENTS.rollingCompleted]: rollingNews,
  [CONSUMED_EVENTS.rollingExpired]: rollingNews,
  [CONSUMED_EVENTS.rollingCancelled]: rollingNews,
  ...SETTLEMENT_RESULT_HANDLERS,
  timer: settleTimer,
};

export type PromotionKindDeps = { shards: ShardPool; catalog: Pick<BrandDirectory, "get">; relay?: Pick<OutboxRelay, "notify">; metrics?: Pick<RuntimeMetrics, "registry"> };
export type PromotionKindOptions = { retry?: RetryPolicy; maxBatch?: number };

/**
 * `promotion@brand`: the brand's coupons and redemptions, the activity rebate and lossback
 * are computed from, and their settlements, in its shard. Commands and events run through the
 * journaled behavior (one SQLite transaction per batch, outcome and outbox events in the same
 * commit, the relay woken after it); queries read the shard directly and are not journaled.
 */
export function promotionKind(deps: PromotionKindDeps, options: PromotionKindOptions = {}): ActorKind {
  const metrics = deps.metrics && promotionMetrics(deps.metrics.registry);
  return {
    domain: PROMOTION_DOMAIN,
    scope: "brand",
    messages: { ...schemasOf(promotionProtocol), ...Object.fromEntries(CONSUMED_EVENT_TYPES.map((type) => [type, fedEvent])) },
    maxBatch: options.maxBatch ?? 256,
    timers: [SETTLE_TIMER],
    create: (actor) => {
      const brand = actor.brand!;
      const shard = deps.shards.acquire(brand);
      const book = new SettlementBook(shard.sqlite, PROMOTION_DOMAIN, options.retry);
      const settlementViews = new SettlementViews(shard.sqlite, PROMOTION_DOMAIN);
      const observations = observationsOf(metrics, brand);
      const handle = (m: Incoming, t: Pick<ShardTurn, "emit" | "now">): Outcome => {
        const turn: PromotionTurn = {
          sqlite: shard.sqlite,
          book,
          settlementViews,
          brand,
          settings: brandSettings(deps.catalog.get(brand)),
          emit: t.emit,
          now: t.now,
          observe: observations.observe,
        };
        const handler = Object.hasOwn(COMMANDS, m.type) ? COMMANDS[m.type as PromotionMessageType] : Object.hasOwn(EVENT_HANDLERS, m.type) ? EVENT_HANDLERS[m.type] : undefined;
        return handler ? handler(m.body, turn) : fail("unknown_message", `promotion does not take ${m.type} messages`);
      };
      const commands = journaledBehavior(shard, actor.address, handle, {
        passivate: async () => deps.shards.release(brand),
        // the wallet takes bonus and credit requests at once, not at the relay's fallback round
        emitted: () => deps.relay?.notify(shardOutboxName(brand)),
      });
      const query = (m: Incoming) =>
        handle(m, {
          now: Date.now(),
          emit: () => {
            throw new Error(`${m.type} is a query and may not emit events`);
          },
        });
      // what a batch observed is recorded once its transaction committed, never for one rolled back
      const receive = commands.receive;
      commands.receive = async (batch) => {
        try {
          const outcomes = await receive(batch);
          observations.committed();
          return outcomes;
        } catch (error) {
          observations.discarded();
          throw error;
        }
      };
      return answeringQueries(commands, { isQuery: (type) => PROMOTION_QUERIES.has(type), query });
    },
  };
}
