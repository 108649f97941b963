import type { z } from "zod";
import { schemasOf, type ActorKind } from "../runtime/actor.ts";
import { formatAddress } from "../runtime/address.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { ActorSystem } from "../runtime/system.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { POSTGRES_OUTBOX } from "../runtime/outbox-postgres.ts";
import { WalletWriter } from "./actor.ts";
import { walletProtocol, type WalletMessageType, type WalletProtocol } from "./messages.ts";
import { walletMetrics } from "./metrics.ts";

export { walletProtocol, type WalletProtocol, type WalletMessageType, type Body, type Reply, type ReconciliationReport } from "./messages.ts";
export { WALLET_EVENTS, type WalletEventType, type MoneyEventPayload } from "./events.ts";
export { RS } from "./decide-provider.ts";
export { reconcile } from "./reconcile.ts";
export { FencedError } from "./commit.ts";
export { WalletWriter } from "./actor.ts";
export { walletMetrics } from "./metrics.ts";

/** What the wallet needs from the node (the relay, when there is one, is woken after commits). */
export type WalletDeps = Pick<NodeContext, "store" | "metrics"> & {
  config: Pick<NodeContext["config"], "NODE_ID">;
  relay?: Pick<NodeContext["relay"], "notify">;
};

export const WALLET_DOMAIN = "wallet";

/** The `wallet@brand` kind: group commit of up to `maxBatch` messages, hourly reconciliation. */
export function walletKind(ctx: WalletDeps, options: { maxBatch?: number; pipeline?: number; idleMs?: number } = {}): ActorKind {
  const metrics = walletMetrics(ctx.metrics.registry);
  return {
    domain: WALLET_DOMAIN,
    scope: "brand",
    messages: schemasOf(walletProtocol),
    maxBatch: options.maxBatch ?? 256,
    // the next batches are decided while the last ones commit
    pipeline: options.pipeline ?? 2,
    idleMs: options.idleMs,
    timers: [{ name: "reconcile", cron: "0 * * * *" }],
    create: (actor) =>
      WalletWriter.activate(
        { store: ctx.store, metrics, holder: ctx.config.NODE_ID, onEvents: () => ctx.relay?.notify(POSTGRES_OUTBOX) },
        actor.brand!,
      ),
  };
}

export const walletAddress = (brand: string) => formatAddress(WALLET_DOMAIN, brand);

type AskOptions = { id?: string; correlationId?: string; timeoutMs?: number };
type WalletOutcome<K extends WalletMessageType> = Outcome<z.infer<WalletProtocol[K]["reply"]>>;

/**
 * Typed asks to `wallet@brand` that return the outcome as a value (expected refusals
 * included, with their codes and details), which is what edges map to their responses.
 */
export function walletClient(system: ActorSystem, brand: string) {
  const address = walletAddress(brand);
  return {
    ask<K extends WalletMessageType>(type: K, body: z.input<WalletProtocol[K]["body"]>, options?: AskOptions): Promise<WalletOutcome<K>> {
      return system.askOutcome(address, type, body, options) as Promise<WalletOutcome<K>>;
    },
    /** throws a PlatformError on a refusal */
    typed: system.client(walletProtocol, address),
  };
}
