import { fail, ok, type Outcome } from "../runtime/errors.ts";
import type { TxRecord } from "./ledger.ts";
import type { Leg, Turn, TxEntry } from "./turn.ts";

/** A back-office money command: what it records, and what it moves or why it cannot. */
export type OnceSpec = Omit<TxEntry, "status" | "refusalCode" | "amount"> & {
  /** decided after the replay check; `refusal` is kept under the key (it stays refused) */
  plan(): { amount: bigint; legs: Leg[] } | { refusal: { code: string; message: string } };
  reply(transactionId: string, amount: bigint): Record<string, unknown>;
  event?(rec: TxRecord): [type: string, payload: Record<string, unknown>];
};

/**
 * Idempotency for non-provider commands: the same key and request replays (with current
 * balances), the same key with another request is `duplicate_request`, a refusal stays.
 */
export function applyOnce(turn: Turn, spec: OnceSpec): Outcome {
  const { plan, reply, event, ...entry } = spec;
  const known = turn.keyState(entry.key).record;
  if (known) return replayOnce(turn, known, entry.fingerprint, () => reply(known.id, known.amount));
  const decided = plan();
  if ("refusal" in decided) {
    const outcome = fail(decided.refusal.code, decided.refusal.message);
    turn.record({ ...entry, status: "refused", refusalCode: decided.refusal.code, amount: 0n }, [], () => outcome);
    return outcome;
  }
  const rec = turn.record({ ...entry, status: "accepted", amount: decided.amount }, decided.legs, (id) =>
    ok({ ...reply(id, decided.amount), replayed: false }),
  );
  if (event) turn.emit(...event(rec));
  return rec.outcome;
}

export function replayOnce(turn: Turn, known: TxRecord, print: string, reply: () => Record<string, unknown>): Outcome {
  const first = turn.firstOutcome(known);
  if (first) return first;
  if (known.fingerprint !== print) return fail("duplicate_request", `${known.key} was already used for a different request`);
  if (!known.outcome.ok) return known.outcome;
  return ok({ ...reply(), replayed: true });
}
