import { z } from "zod";
import { formatAddress } from "../runtime/address.ts";
import type { EventBus, Subscription } from "../runtime/event-bus.ts";
import type { ActorSystem } from "../runtime/system.ts";
import type { ItemKind } from "./top-info.ts";

/** How one event changes the open items: opens one, or closes one. */
type Effect = { op: "open" | "close"; kind: ItemKind; id: (e: FedEvent) => unknown; player?: (e: FedEvent) => unknown };
export type FedEvent = { eventId: string; at: number; payload: Record<string, unknown> };

const requestId = (e: FedEvent) => e.payload.requestId;

/**
 * The events that move the top-info counters. The names are the wallet's, the player
 * domain's and recon's published types (actors/wallet/events.ts, actors/player/events.ts,
 * actors/recon/events.ts).
 */
export const TOP_INFO_EFFECTS: Record<string, Effect> = {
  "wallet.deposit_requested": { op: "open", kind: "deposit", id: requestId },
  "wallet.deposit_approved": { op: "close", kind: "deposit", id: requestId },
  "wallet.deposit_rejected": { op: "close", kind: "deposit", id: requestId },
  "wallet.withdrawal_requested": { op: "open", kind: "withdrawal", id: requestId },
  "wallet.withdrawal_approved": { op: "close", kind: "withdrawal", id: requestId },
  "wallet.withdrawal_rejected": { op: "close", kind: "withdrawal", id: requestId },
  "wallet.agent_withdrawal_requested": { op: "open", kind: "agent_withdrawal", id: requestId },
  "wallet.agent_withdrawal_approved": { op: "close", kind: "agent_withdrawal", id: requestId },
  "wallet.agent_withdrawal_rejected": { op: "close", kind: "agent_withdrawal", id: requestId },
  "wallet.reconciliation_mismatch": { op: "open", kind: "alarm", id: (e) => e.eventId },
  "player.registered": { op: "open", kind: "new_player", id: (e) => e.payload.playerId },
  "player.logged_in": { op: "open", kind: "online", id: (e) => e.payload.sessionId, player: (e) => e.payload.playerId },
  "player.logged_out": { op: "close", kind: "online", id: (e) => e.payload.sessionId },
  "inquiry.created": { op: "open", kind: "inquiry", id: (e) => e.payload.inquiryId },
  "inquiry.answered": { op: "close", kind: "inquiry", id: (e) => e.payload.inquiryId },
  "recon.review_opened": { op: "open", kind: "recon_review", id: (e) => e.payload.messageId },
  "recon.review_closed": { op: "close", kind: "recon_review", id: (e) => e.payload.messageId },
  "recon.loop_down": { op: "open", kind: "recon_loop_down", id: (e) => e.payload.sourceId },
  "recon.loop_up": { op: "close", kind: "recon_loop_down", id: (e) => e.payload.sourceId },
};

export const TOP_INFO_EVENT_TYPES = Object.keys(TOP_INFO_EFFECTS);

/** The body an event arrives with at `admin@<brand>`: its payload and when it happened. */
export const fedEventBody = z.object({ at: z.number(), payload: z.record(z.string(), z.unknown()) });

/**
 * Feed the counters from domain events: the "admin" consumer group tells each event to
 * `admin@<brand>` with the event id as the message id. Call once per node at start.
 */
export function startTopInfoFeed(ctx: { events: EventBus; system: Pick<ActorSystem, "tell"> }): Promise<Subscription> {
  return ctx.events.subscribe("admin", { types: TOP_INFO_EVENT_TYPES }, async (event) => {
    if (event.brand === null) return;
    await ctx.system.tell(formatAddress("admin", event.brand), event.type, { at: event.at, payload: event.payload }, { id: event.id, correlationId: event.id });
  });
}

/** The item an event opens or closes, or undefined when its payload lacks the id. */
export function effectOf(type: string, e: FedEvent): { op: "open" | "close"; kind: ItemKind; id: string; playerId: string | null } | undefined {
  const effect = TOP_INFO_EFFECTS[type];
  if (!effect) return undefined;
  const id = effect.id(e);
  if (typeof id !== "string" && typeof id !== "number") return undefined;
  const player = effect.player?.(e);
  return { op: effect.op, kind: effect.kind, id: String(id), playerId: typeof player === "string" ? player : null };
}
