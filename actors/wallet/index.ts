import type { BrandDirectory } from "../catalog/index.ts";
import { type ActorKind, schemasOf } from "../runtime/actor.ts";
import { formatAddress } from "../runtime/address.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { type Client, protocolClient } from "../runtime/client.ts";
import { type EventBus, forwardToActor, type Subscription } from "../runtime/event-bus.ts";
import type { Messenger } from "../runtime/messenger.ts";
import type { RuntimeMetrics } from "../runtime/metrics.ts";
import { POSTGRES_OUTBOX } from "../runtime/outbox-postgres.ts";
import { WalletWriter } from "./actor.ts";
import { CONSUMED_EVENT_TYPES } from "./events.ts";
import { type WalletProtocol, walletProtocol } from "./messages.ts";
import { walletMetrics } from "./metrics.ts";
import { settingsFromCatalog } from "./settings.ts";

export { WalletWriter } from "./actor.ts";
export { FencedError } from "./commit.ts";
export { RS } from "./decide-provider.ts";
export { CONSUMED_EVENTS, type MoneyEventPayload, WALLET_EVENTS, type WalletEventType } from "./events.ts";
export type { PayoutAccount } from "./messages.ts";
export { type Body, type ReconciliationReport, type Reply, type WalletMessageType, type WalletProtocol, walletProtocol } from "./messages.ts";
export { walletMetrics } from "./metrics.ts";
export { reconcile } from "./reconcile.ts";
export { type WalletSettings, walletSettingsOf } from "./settings.ts";

/**
 * What the wallet needs from the node: the relay, when there is one, is woken after commits;
 * the brand catalog, when there is one, gives the settings the cashier enforces.
 */
export type WalletDeps = {
  store: CentralStore;
  metrics: RuntimeMetrics;
  config: { NODE_ID: string };
  relay?: { notify(source?: string): void };
  catalog?: Pick<BrandDirectory, "get">;
};

export type WalletKindOptions = {
  maxBatch?: number;
  pipeline?: number;
  idleMs?: number;
  /** the clock the daily withdrawal limits count by (tests move it across midnight) */
  now?: () => number;
};

export const WALLET_DOMAIN = "wallet";

/** The `wallet@brand` kind: group commit of up to `maxBatch` messages, hourly reconciliation. */
export function walletKind(ctx: WalletDeps, options: WalletKindOptions = {}): ActorKind {
  const metrics = walletMetrics(ctx.metrics.registry);
  const settings = ctx.catalog && settingsFromCatalog(ctx.catalog);
  return {
    domain: WALLET_DOMAIN,
    scope: "brand",
    messages: schemasOf(walletProtocol),
    maxBatch: options.maxBatch ?? 256,
    // the next batches are decided while the last ones commit
    pipeline: options.pipeline ?? 2,
    idleMs: options.idleMs,
    timers: [{ name: "reconcile", cron: "0 * * * *" }],
    // a new epoch as soon as the brand's lease is granted: a paused former holder commits nothing
    activateWhenPlaced: true,
    create: (actor) =>
      WalletWriter.activate(
        { store: ctx.store, metrics, holder: ctx.config.NODE_ID, onEvents: () => ctx.relay?.notify(POSTGRES_OUTBOX), settings, now: options.now },
        actor.brand!,
      ),
  };
}

/**
 * The wallet's consumer of other domains' events (its own group on the event bus): each is
 * told to `wallet@brand` as a message of its type, under the event's id, so the wallet takes
 * it once. Suspensions keep the list provider bets are refused by; registrations and bank
 * account changes keep the account withdrawals are paid to.
 */
export function startWalletFeed(events: EventBus, messenger: Pick<Messenger, "tell">): Promise<Subscription> {
  return events.subscribe(WALLET_DOMAIN, { types: [...CONSUMED_EVENT_TYPES] }, forwardToActor(messenger, WALLET_DOMAIN));
}

export const walletAddress = (brand: string) => formatAddress(WALLET_DOMAIN, brand);

/** Typed asks to `wallet@brand`, each answering its Outcome (refusals with their codes and details). */
export const walletClient = (messenger: Messenger, brand: string): WalletClient => protocolClient(messenger, walletProtocol, WALLET_DOMAIN, brand);
export type WalletClient = Client<WalletProtocol>;
