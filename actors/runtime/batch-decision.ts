import { z } from "zod";
import type { ActorKind, Behavior, Decided, Incoming } from "./actor.ts";
import type { Delivery, Envelope } from "./envelope.ts";
import { fail, type Outcome } from "./errors.ts";

export const timerBody = z.object({ name: z.string(), firedAt: z.number() });

/**
 * One turn's outcomes, one per delivery in order: refusals for what the kind cannot take,
 * recorded outcomes for ids the behavior already processed (a redelivery), and the behavior's
 * decisions for the rest. An id twice in one batch is decided once and answered twice.
 * Resolves once the batch is decided; the outcomes hold when `committed` resolves.
 */
export async function decideBatch(kind: ActorKind, behavior: Behavior, address: string, batch: Delivery[]): Promise<Decided> {
  const bodies: unknown[] = [];
  const outcomes: (Outcome | undefined)[] = batch.map((d, i) => refusal(kind, d.envelope, (body) => (bodies[i] = body)));
  const candidates = batch.filter((_, i) => outcomes[i] === undefined);
  const recalled = candidates.length > 0 ? await behavior.recall(candidates.map((d) => d.envelope.id)) : new Map<string, Outcome>();
  const fresh: Incoming[] = [];
  const freshIndex: number[] = [];
  const seen = new Set<string>();
  batch.forEach((d, i) => {
    if (outcomes[i] !== undefined) return;
    const known = recalled.get(d.envelope.id);
    if (known) outcomes[i] = known;
    else if (!seen.has(d.envelope.id)) {
      seen.add(d.envelope.id);
      fresh.push({ id: d.envelope.id, type: d.envelope.type, body: bodies[i], envelope: d.envelope, deliveryCount: d.deliveryCount });
      freshIndex.push(i);
    }
  });
  const complete = (decided: Outcome[]) => {
    if (decided.length !== fresh.length) throw new Error(`${address} answered ${decided.length} of ${fresh.length} messages`);
    for (const [j, outcome] of decided.entries()) outcomes[freshIndex[j]!] = outcome;
    const byId = new Map<string, Outcome>();
    for (const [i, d] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome) byId.set(d.envelope.id, outcome);
    }
    return batch.map((d, i) => outcomes[i] ?? byId.get(d.envelope.id)!);
  };
  if (fresh.length === 0) return { committed: Promise.resolve(complete([])) };
  if (behavior.decide) {
    const { committed } = await behavior.decide(fresh);
    return { committed: committed.then(complete) };
  }
  return { committed: Promise.resolve(complete(await behavior.receive(fresh))) };
}

/** The refusal of an envelope its kind cannot take; otherwise hands over the parsed body (one parse per message). */
function refusal(kind: ActorKind, envelope: Envelope, valid: (body: unknown) => void): Outcome | undefined {
  // own keys only: a type named like an Object.prototype member would find a function, not a schema
  const schema = envelope.type === "timer" ? timerBody : Object.hasOwn(kind.messages, envelope.type) ? kind.messages[envelope.type] : undefined;
  if (!schema) return fail("unknown_message", `${kind.domain} does not take ${envelope.type} messages`);
  const parsed = schema.safeParse(envelope.body);
  if (parsed.success) {
    valid(parsed.data);
    return undefined;
  }
  return fail("validation_failed", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
}
