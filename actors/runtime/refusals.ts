import type { Cell } from "./cell.ts";
import type { Delivery } from "./envelope.ts";
import { fail, type Outcome } from "./errors.ts";
import { classifyFailure, describeFailure, neverWritten } from "./failure-class.ts";
import type { RuntimeMetrics } from "./metrics.ts";
import type { Acknowledger, TurnOutlet } from "./transport.ts";

/**
 * Deliveries arriving for a hosted actor: queued for its turns, or refused at once when it
 * cannot take them now. An ask is answered `unavailable` while the actor waits for a
 * dependency and `degraded` while it is degraded (edges check degradation before they ask,
 * but only of actors on their own node); past `maxQueued`, `overloaded`.
 */
export function admit(cell: Cell, deliveries: Delivery[], deps: { transport: TurnOutlet; consumer: Acknowledger | undefined; metrics: RuntimeMetrics; maxQueued: number }) {
  const { transport, consumer, metrics } = deps;
  const refused = (result: string) => metrics.turnMessages.inc({ domain: cell.domain, result });
  for (const delivery of deliveries) {
    const ask = delivery.envelope.replyTo !== undefined;
    if (ask && cell.state === "waiting") {
      void refuseUnavailable(transport, consumer, cell, delivery).catch(() => {});
      refused("unavailable");
    } else if (ask && cell.state === "degraded") {
      void refuseDegraded(transport, consumer, cell, delivery).catch(() => {});
      refused("degraded");
    } else if (cell.queue.length >= deps.maxQueued) {
      void refuseOverloaded(transport, consumer, cell, delivery);
      refused("overloaded");
    } else {
      cell.queue.push(delivery);
    }
  }
}

/**
 * An ask whose send failed. Refused before it left (too deep, or the connection was down so
 * it was never written): nothing was applied. Lost on a connection that closed after it was
 * written: the outcome is unknown.
 */
export function sendFailure(address: string, error: unknown): Outcome {
  if (classifyFailure(error) === "poison") return fail("validation_failed", `the message to ${address} cannot be sent: ${describeFailure(error)}`);
  if (neverWritten(error)) return fail("unavailable", `the mailbox of ${address} is unreachable; nothing was applied, retry with the same id`);
  return fail("timeout", `the mailbox of ${address} was lost while sending (${describeFailure(error)}); the outcome is unknown, retry with the same id`);
}

/**
 * A delivery an actor will not take now because its queue is full: an ask is answered
 * `overloaded` and acknowledged, a tell goes to the dead letters (nothing is lost silently).
 */
export async function refuseOverloaded(transport: TurnOutlet, consumer: Acknowledger | undefined, cell: Cell, delivery: Delivery) {
  const message = `${cell.address} has ${cell.queue.length} messages queued; retry later`;
  if (delivery.envelope.replyTo) {
    await transport.reply(delivery.envelope.replyTo, { inReplyTo: delivery.envelope.id, outcome: fail("overloaded", message) });
    await consumer?.ack(cell.address, [delivery.streamId]);
  } else {
    await transport.deadLetter(cell.address, delivery, "overloaded");
  }
}

/**
 * An ask that arrives while its actor waits for a dependency: answered `unavailable` at once
 * and acknowledged, so it is certainly not applied later (the caller retries with the same id).
 */
export async function refuseUnavailable(transport: TurnOutlet, consumer: Acknowledger | undefined, cell: Cell, delivery: Delivery) {
  const message = `${cell.address} is waiting for ${cell.lastError ?? "a dependency"}; nothing was applied, retry with the same id`;
  await transport.reply(delivery.envelope.replyTo!, { inReplyTo: delivery.envelope.id, outcome: fail("unavailable", message) });
  await consumer?.ack(cell.address, [delivery.streamId]);
}

/**
 * An ask that reaches an actor degraded by repeated crashes, whichever node it came from:
 * answered `degraded` at once with when to try again, and acknowledged (not applied).
 */
export async function refuseDegraded(transport: TurnOutlet, consumer: Acknowledger | undefined, cell: Cell, delivery: Delivery) {
  const retryAfterSeconds = Math.max(1, Math.ceil((cell.degradedUntil - Date.now()) / 1000));
  const message = `${cell.address} is recovering from repeated failures; nothing was applied, retry in ${retryAfterSeconds} s`;
  await transport.reply(delivery.envelope.replyTo!, { inReplyTo: delivery.envelope.id, outcome: fail("degraded", message, { retryAfterSeconds }) });
  await consumer?.ack(cell.address, [delivery.streamId]);
}

/**
 * A message that fails by itself every time: an ask is answered with the reason and
 * acknowledged, a tell goes to the dead letters with it. Nothing of it was applied.
 */
export async function refusePoison(transport: TurnOutlet, consumer: Acknowledger | undefined, cell: Cell, delivery: Delivery, reason: string) {
  if (delivery.envelope.replyTo) {
    const outcome: Outcome = fail("validation_failed", `${cell.address} cannot take this ${delivery.envelope.type} message: ${reason}`);
    await transport.reply(delivery.envelope.replyTo, { inReplyTo: delivery.envelope.id, outcome });
    await consumer?.ack(cell.address, [delivery.streamId]);
  } else {
    await transport.deadLetter(cell.address, delivery, `refused: ${reason}`);
  }
}

/**
 * After a crash: the batch's messages that may try again (with one more attempt counted), and
 * those past the delivery limit moved to the dead letters with their askers told so.
 */
export async function retryAfterCrash(transport: TurnOutlet, cell: Cell, batch: Delivery[]): Promise<Delivery[]> {
  const retry: Delivery[] = [];
  for (const d of batch) {
    const attempts = (cell.attempts.get(d.streamId) ?? d.deliveryCount) + 1;
    cell.attempts.set(d.streamId, attempts);
    if (attempts <= transport.limits.maxDeliveries) {
      retry.push({ ...d, deliveryCount: attempts });
      continue;
    }
    await transport.deadLetter(cell.address, d, `crashed ${attempts - 1} times: ${cell.lastError}`);
    if (d.envelope.replyTo) {
      const outcome = fail("dead_lettered", `${cell.address} failed on this message repeatedly; it was moved to the dead-letter stream`);
      await transport.reply(d.envelope.replyTo, { inReplyTo: d.envelope.id, outcome });
    }
  }
  return retry;
}
