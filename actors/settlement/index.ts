/**
 * Settlements: paying a period's computed amounts through the wallet, once, whatever crashes.
 * A library the owning domains (agent commission, promotions) use through this entry; it has
 * no actor of its own: its steps run in the owner's turns, its tables live in the owner's
 * shard (`settlementTables(domain)`), and the wallet's side is `settlement.credit_requested`.
 */
export { type CreditLine, DEFAULT_RETRY, type RetryPolicy, SettlementBook, type SettlementTurn } from "./book.ts";
export {
  type Credited,
  type CreditOwner,
  type CreditRequest,
  creditedSchema,
  creditRequestSchema,
  ownerSchema,
  type Refused,
  refusedSchema,
  SETTLEMENT_EVENTS,
  settlementReportTypes,
} from "./events.ts";
export { addDays, type Cadence, duePeriods, endOf, isDay, localDay, type Period, periodOf, previousPeriod, startOfDay } from "./periods.ts";
export { type SettlementTables, settlementTables } from "./tables.ts";
export {
  type SettlementLineView,
  type SettlementView,
  SettlementViews,
  settlementLinePage,
  settlementLineView,
  settlementPage,
  settlementView,
} from "./views.ts";

import { SETTLEMENT_EVENTS } from "./events.ts";

/** The wallet's answers an owner consumes; `resultFor(domain)` tells its own from another owner's. */
export const SETTLEMENT_RESULT_TYPES: readonly string[] = [SETTLEMENT_EVENTS.credited, SETTLEMENT_EVENTS.refused];
export const isResultFor = (domain: string, payload: Record<string, unknown>): boolean => payload.source === domain;
