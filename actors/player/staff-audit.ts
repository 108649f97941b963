import { type ActingStaff, type AuditEntry, auditEvent } from "../identity/index.ts";
import type { PlayerTurn } from "./turn.ts";

/**
 * The audit of a change staff made to the brand's players or site, written to the shard outbox
 * in the same transaction as the change (identity records it from there), with the before and
 * after this turn saw. A refused message rolls back to its savepoint, audit event included.
 */
export function audited(turn: PlayerTurn, by: ActingStaff, entry: Omit<AuditEntry, "brand">): void {
  turn.emit(auditEvent(by, { ...entry, brand: turn.brand }));
}

/** How the player domain names who acted in its own rows and events: the staff id, else the name given. */
export const actorName = (by: ActingStaff): string => by.staffId ?? by.username;
