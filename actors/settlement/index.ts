/**
 * Settlements: paying a period's computed amounts through the wallet, once, whatever crashes.
 * A library the owning domains (agent commission, promotions) use through this entry; it has
 * no actor of its own: its steps run in the owner's turns, its tables live in the owner's
 * shard (`settlementTables(domain)`), and the wallet's side is `settlement.credit_requested`.
 */
export { SettlementBook, DEFAULT_RETRY, type CreditLine, type RetryPolicy, type SettlementTurn } from "./book.ts";
export { settlementTables, type SettlementTables } from "./tables.ts";
export {
  SettlementViews,
  settlementView,
  settlementLineView,
  settlementPage,
  settlementLinePage,
  type SettlementView,
  type SettlementLineView,
} from "./views.ts";
export {
  SETTLEMENT_EVENTS,
  settlementReportTypes,
  creditRequestSchema,
  creditedSchema,
  refusedSchema,
  ownerSchema,
  type CreditOwner,
  type CreditRequest,
  type Credited,
  type Refused,
} from "./events.ts";
export { addDays, duePeriods, endOf, isDay, localDay, periodOf, previousPeriod, startOfDay, type Cadence, type Period } from "./periods.ts";

import { SETTLEMENT_EVENTS } from "./events.ts";

/** The wallet's answers an owner consumes; `resultFor(domain)` tells its own from another owner's. */
export const SETTLEMENT_RESULT_TYPES: readonly string[] = [SETTLEMENT_EVENTS.credited, SETTLEMENT_EVENTS.refused];
export const isResultFor = (domain: string, payload: Record<string, unknown>): boolean => payload.source === domain;
