import { formatAddress } from "../runtime/address.ts";
import { type Client, protocolClient } from "../runtime/client.ts";
import type { DomainEvent, EventBus, Subscription } from "../runtime/event-bus.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { isResultFor, SETTLEMENT_RESULT_TYPES } from "../settlement/index.ts";
import { PROMOTION_DOMAIN } from "./actor.ts";
import { CONSUMED_EVENT_TYPES } from "./events.ts";
import { type PromotionProtocol, promotionProtocol } from "./messages.ts";

export { PROMOTION_DOMAIN, type PromotionKindDeps, type PromotionKindOptions, promotionKind } from "./actor.ts";
export { type BonusRequested, CONSUMED_EVENT_TYPES as PROMOTION_CONSUMED_EVENT_TYPES, GRANT_SOURCE, PROMOTION_EVENTS } from "./events.ts";
export {
  type CouponView,
  couponCodeSchema,
  couponCodeView,
  couponIdSchema,
  couponInput,
  couponView,
  daySchema as promotionDaySchema,
  lateRollbackView,
  PROMOTION_KINDS,
  PROMOTION_QUERIES,
  type PromotionKind,
  type PromotionProtocol,
  promotionKindSchema,
  promotionProtocol,
  type RedemptionView,
  redemptionIdSchema,
  redemptionView,
  settlementPreview,
} from "./messages.ts";
export * as promotionTables from "./schema.ts";
export { lineIdOf, SETTLE_TIMER as PROMOTION_SETTLE_TIMER, SETTLEMENT_GRACE_MS as PROMOTION_SETTLEMENT_GRACE_MS } from "./settlement.ts";

/** Typed asks to `promotion@brand`. */
export const promotionClient = (messenger: Messenger, brand: string): PromotionClient => protocolClient(messenger, promotionProtocol, PROMOTION_DOMAIN, brand);
export type PromotionClient = Client<PromotionProtocol>;

/**
 * The promotion domain's consumer (its own group, `promotion`): the wallet's bets, wins,
 * rollbacks, deposits and bonus grants, the rolling domain's news of records, and the
 * wallet's answers to this domain's settlement lines (another owner's are left to it), each
 * told to `promotion@brand` with when it happened, under the event's id, so the actor's
 * journal applies each once. A read's events for one brand go out together (one turn).
 */
export function startPromotionFeed(events: EventBus, messenger: Pick<Messenger, "tell">): Promise<Subscription> {
  const results = new Set(SETTLEMENT_RESULT_TYPES);
  const tell = async (e: DomainEvent) => {
    if (e.brand === null || (results.has(e.type) && !isResultFor(PROMOTION_DOMAIN, e.payload))) return;
    await messenger.tell(formatAddress(PROMOTION_DOMAIN, e.brand), e.type, { at: e.at, payload: e.payload }, { id: e.id, correlationId: e.id });
  };
  const handler = Object.assign(tell, { many: async (es: DomainEvent[]) => void (await Promise.all(es.map(tell))) });
  return events.subscribe(PROMOTION_DOMAIN, { types: [...CONSUMED_EVENT_TYPES] }, handler);
}
