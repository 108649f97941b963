import type { Cell } from "./cell.ts";
import type { Delivery } from "./envelope.ts";
import { fail, type Outcome } from "./errors.ts";
import type { Consumer, MailboxTransport } from "./transport.ts";

/**
 * A delivery an actor will not take now because its queue is full: an ask is answered
 * `overloaded` and acknowledged, a tell goes to the dead letters (nothing is lost silently).
 */
export async function refuseOverloaded(transport: MailboxTransport, consumer: Consumer | undefined, cell: Cell, delivery: Delivery) {
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
export async function refuseUnavailable(transport: MailboxTransport, consumer: Consumer | undefined, cell: Cell, delivery: Delivery) {
  const message = `${cell.address} is waiting for ${cell.lastError ?? "a dependency"}; nothing was applied, retry with the same id`;
  await transport.reply(delivery.envelope.replyTo!, { inReplyTo: delivery.envelope.id, outcome: fail("unavailable", message) });
  await consumer?.ack(cell.address, [delivery.streamId]);
}

/**
 * An ask that reaches an actor degraded by repeated crashes, whichever node it came from:
 * answered `degraded` at once with when to try again, and acknowledged (not applied).
 */
export async function refuseDegraded(transport: MailboxTransport, consumer: Consumer | undefined, cell: Cell, delivery: Delivery) {
  const retryAfterSeconds = Math.max(1, Math.ceil((cell.degradedUntil - Date.now()) / 1000));
  const message = `${cell.address} is recovering from repeated failures; nothing was applied, retry in ${retryAfterSeconds} s`;
  await transport.reply(delivery.envelope.replyTo!, { inReplyTo: delivery.envelope.id, outcome: fail("degraded", message, { retryAfterSeconds }) });
  await consumer?.ack(cell.address, [delivery.streamId]);
}

/**
 * A message that fails by itself every time: an ask is answered with the reason and
 * acknowledged, a tell goes to the dead letters with it. Nothing of it was applied.
 */
export async function refusePoison(transport: MailboxTransport, consumer: Consumer | undefined, cell: Cell, delivery: Delivery, reason: string) {
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
export async function retryAfterCrash(transport: MailboxTransport, cell: Cell, batch: Delivery[]): Promise<Delivery[]> {
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
