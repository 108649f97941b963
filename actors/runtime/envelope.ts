import { z } from "zod";
import type { ErrorBody, Outcome } from "./errors.ts";

/** What travels through a mailbox. `id` is the idempotency key of the message. */
export const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  to: z.string().min(1),
  type: z.string().min(1),
  body: z.unknown(),
  brand: z.string().nullable(),
  correlationId: z.string(),
  replyTo: z.string().optional(),
  sentAt: z.number(),
  /** who put this message back from the dead letters (an operator, or staff): the owning actor audits what it then changes */
  replayedBy: z.object({ staffId: z.string().nullable(), username: z.string(), ip: z.string().nullable().optional() }).optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;
/** Who replays a dead letter, as the envelope carries it. */
export type ReplayedBy = NonNullable<Envelope["replayedBy"]>;

/** A reply routed back to the asking node's reply inbox. */
export type ReplyEnvelope = { inReplyTo: string; outcome: Outcome };

/** One message handed to a consumer. `deliveryCount` is 1 the first time. */
export type Delivery = { streamId: string; envelope: Envelope; deliveryCount: number };

export type DeadLetter = {
  streamId: string;
  address: string;
  envelope: Envelope;
  reason: string;
  deliveryCount: number;
  deadAt: number;
};

export type ErrorReply = { inReplyTo: string; error: ErrorBody };

/** A new envelope to `to`; its id is the idempotency key (random unless given). */
export function makeEnvelope(to: string, type: string, body: unknown, options: { id?: string; correlationId?: string }, brand: string | null, replyTo?: string): Envelope {
  const id = options.id ?? crypto.randomUUID();
  return { id, to, type, body, brand, correlationId: options.correlationId ?? id, replyTo, sentAt: Date.now() };
}
