import { formatAddress } from "../runtime/address.ts";
import { type Client, protocolClient } from "../runtime/client.ts";
import { applyInActor, type EventBus, type Subscription } from "../runtime/event-bus.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { ROLLING_BATCH, ROLLING_DOMAIN } from "./actor.ts";
import { FOLLOWED_EVENT_TYPES } from "./events.ts";
import { type RollingProtocol, rollingProtocol } from "./messages.ts";

export { ROLLING_DOMAIN, type RollingDeps, type RollingKindOptions, rollingKind, SWEEP_TIMER } from "./actor.ts";
export { FOLLOWED_EVENTS, ROLLING_EVENTS, type RollingEventPayload, type RollingEventType } from "./events.ts";
export {
  playerRollingsView,
  ROLLING_STATUSES,
  type RollingProtocol,
  type RollingStatus,
  type RollingView,
  rollingIdSchema,
  rollingMultipleSchema,
  rollingProtocol,
  rollingStatusSchema,
  rollingSummary,
  rollingView,
} from "./messages.ts";
export * as rollingTables from "./schema.ts";
export { contributionOf, ppmOf, type RollingTerms, type TermsSource, targetOf, termsFromCatalog, termsOf, UNCATEGORIZED } from "./terms.ts";

/**
 * Rolling's consumer of the wallet's events (its own group on the event bus): each is asked
 * of `rolling@brand` under its event id and acknowledged once applied, so the journal takes
 * it once and a backlog waits in the stream (see `applyInActor`). A read takes as many events
 * as one turn does, so each read is one shard transaction.
 */
export function startRollingFeed(events: EventBus, messenger: Pick<Messenger, "askOutcome">): Promise<Subscription> {
  return events.subscribe(ROLLING_DOMAIN, { types: FOLLOWED_EVENT_TYPES, batchSize: ROLLING_BATCH }, applyInActor(messenger, ROLLING_DOMAIN));
}

export const rollingAddress = (brand: string) => formatAddress(ROLLING_DOMAIN, brand);

/** Typed asks to `rolling@brand`. */
export const rollingClient = (messenger: Messenger, brand: string): RollingClient => protocolClient(messenger, rollingProtocol, ROLLING_DOMAIN, brand);
export type RollingClient = Client<RollingProtocol>;
