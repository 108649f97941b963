import { tellerOf } from "../runtime/client.ts";
import type { EventBus, Subscription } from "../runtime/event-bus.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { IDENTITY_ADDRESS } from "./actor.ts";
import { type ActingStaff, type AuditEntry, identityProtocol } from "./messages.ts";

/** The event type an owning actor writes to its outbox when staff change something it owns. */
export const AUDIT_RECORDED = "audit.recorded";

export type AuditRecorded = AuditEntry & { by: ActingStaff };

/**
 * The audit of a change staff caused, as the owning actor writes it: an `audit.recorded`
 * event in its outbox, in the same commit as the change, with the before and after it saw.
 * Identity (the one writer of the audit log) records it under the event's id, so a change
 * that rolls back leaves no audit row and a redelivered event writes one row.
 *
 *   turn.emit(auditEvent(body.by, { action: "player.suspend", brand, target: `player:${id}`, before, after }));
 */
export function auditEvent(by: ActingStaff, entry: AuditEntry): { type: typeof AUDIT_RECORDED; payload: AuditRecorded } {
  return { type: AUDIT_RECORDED, payload: { ...entry, by } };
}

/**
 * Identity's consumer of `audit.recorded` (its own group on the event bus): each event is
 * told to the global identity actor with the event id as the message id, so its journal
 * applies it once and the audit row's entry id is the event id.
 */
export function startAuditFeed(events: EventBus, messenger: Pick<Messenger, "tell">): Promise<Subscription> {
  const tell = (e: { id: string; at: number; payload: Record<string, unknown> }) =>
    tellerOf(messenger, identityProtocol, IDENTITY_ADDRESS, null).tell("recordAudit", { ...(e.payload as AuditRecorded), at: e.at }, { id: e.id, correlationId: e.id });
  return events.subscribe(
    "identity",
    { types: [AUDIT_RECORDED] },
    Object.assign(async (e: Parameters<typeof tell>[0]) => tell(e), { many: async (es: Parameters<typeof tell>[0][]) => void (await Promise.all(es.map(tell))) }),
  );
}
