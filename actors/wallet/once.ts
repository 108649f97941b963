import type { AuditRecorded } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { TxRecord } from "./ledger.ts";
import type { Leg } from "./legs.ts";
import type { Refusal } from "./refusal.ts";
import type { Turn, TxEntry } from "./turn.ts";

/** A back-office money command: what it records, and what it moves or why it cannot. */
export type OnceSpec = Omit<TxEntry, "status" | "refusalCode" | "amount"> & {
  /** decided after the replay check; `refusal` is kept under the key (it stays refused) */
  plan(): { amount: bigint; legs: Leg[] } | { refusal: Refusal };
  reply(transactionId: string, amount: bigint): Record<string, unknown>;
  event?(rec: TxRecord): [type: string, payload: Record<string, unknown>];
  /** the audit of a change staff made, written with it (never for a replay or a refusal) */
  audit?(rec: TxRecord): { type: string; payload: AuditRecorded };
};

/**
 * Idempotency for non-provider commands: the same key and request replays (with current
 * balances), the same key with another request is `duplicate_request`, a refusal stays
 * (unless it is only for now: then the same key asks again later).
 */
export function applyOnce(turn: Turn, spec: OnceSpec): Outcome {
  const { plan, reply, event, audit, ...entry } = spec;
  const known = turn.keyState(entry.key).record;
  if (known) return replayOnce(turn, known, entry.fingerprint, () => reply(known.id, known.amount));
  const decided = plan();
  if ("refusal" in decided) {
    const { code, message, details, transient } = decided.refusal;
    const outcome = fail(code, message, details);
    if (transient) return outcome;
    turn.record({ ...entry, status: "refused", refusalCode: code, amount: 0n }, [], () => outcome);
    return outcome;
  }
  const rec = turn.record({ ...entry, status: "accepted", amount: decided.amount }, decided.legs, (id) => ok({ ...reply(id, decided.amount), replayed: false }));
  if (event) turn.emit(...event(rec));
  if (audit) {
    const { type, payload } = audit(rec);
    turn.emit(type, payload);
  }
  return rec.outcome;
}

export function replayOnce(turn: Turn, known: TxRecord, print: string, reply: () => Record<string, unknown>): Outcome {
  const first = turn.firstOutcome(known);
  if (first) return first;
  if (known.fingerprint !== print) return fail("duplicate_request", `${known.key} was already used for a different request`);
  if (!known.outcome.ok) return known.outcome;
  return ok({ ...reply(), replayed: true });
}
