import type { DeadLetter, Delivery, Envelope, ReplayedBy, ReplyEnvelope } from "./envelope.ts";

/**
 * Where deliveries for the mailboxes a consumer watches arrive. Called in mailbox order for
 * each address; the receiver acknowledges with `Consumer.ack` only after the turn committed.
 */
export type DeliveryHandler = (address: string, deliveries: Delivery[]) => void;

export type MailboxStats = {
  address: string;
  /** entries still in the stream (acknowledged ones not yet trimmed included) */
  length: number;
  /** delivered to a consumer and not yet acknowledged */
  pending: number;
  /** entries not yet delivered to any consumer */
  lag: number;
  deadLetters: number;
};

export type TransportLimits = {
  /** after this many deliveries without an ack a message goes to the dead-letter stream */
  maxDeliveries: number;
  /** a pending message idle this long is claimed by a live consumer */
  claimIdleMs: number;
};

/**
 * One consumer (a node) reading many mailboxes. It holds no connection or loop per mailbox:
 * watching an address only adds it to the set one reader serves.
 */
export interface Consumer {
  readonly name: string;
  watch(address: string): Promise<void>;
  unwatch(address: string): Promise<void>;
  /** Acknowledge processed deliveries; only then may the transport forget or trim them. */
  ack(address: string, streamIds: string[]): Promise<void>;
  /** Claim pending messages of dead consumers idle past `claimIdleMs` (also runs by itself). */
  reclaim(): Promise<number>;
  /**
   * Claim at once, whatever their idle time, the messages other consumers hold pending in
   * these watched mailboxes: for a node that has just taken the mailboxes over (their former
   * reader died, or handed them over), so they need not wait out `claimIdleMs`.
   */
  claimNow(addresses: string[]): Promise<number>;
  /** Stop reading. Unacknowledged deliveries stay pending for another consumer to claim. */
  stop(): Promise<void>;
}

/** A mailbox transport: Redis Streams in production, in memory for the embedded default. */
export interface MailboxTransport {
  readonly kind: "memory" | "redis";
  readonly limits: TransportLimits;
  /** Append a message to the mailbox of `envelope.to`. */
  send(envelope: Envelope): Promise<string>;
  /** Start a consumer; the handler receives deliveries for the addresses it watches. */
  consumer(name: string, handler: DeliveryHandler): Consumer;
  /** Deliver a reply to the reply inbox named by an ask's `replyTo`. Best effort. */
  reply(replyTo: string, reply: ReplyEnvelope): Promise<void>;
  /** Receive replies addressed to `inbox`. Returns an unsubscribe function. */
  onReplies(inbox: string, handler: (reply: ReplyEnvelope) => void): Promise<() => Promise<void>>;
  /** Move a delivery to the address's dead-letter stream and acknowledge it. */
  deadLetter(address: string, delivery: Delivery, reason: string): Promise<void>;
  /**
   * Keep a message that never was in the mailbox (an ask delivered in process) among the
   * address's dead letters under `streamId`, so it is listed and replayed like any other.
   */
  keepDeadLetter(address: string, streamId: string, envelope: Envelope, reason: string, deliveryCount: number): Promise<void>;
  deadLetters(address: string, limit?: number): Promise<DeadLetter[]>;
  /** Put a dead letter back into its mailbox (a fresh delivery count, `replayedBy` on its envelope when given) and remove it from the DLQ. */
  replayDeadLetter(address: string, streamId: string, by?: ReplayedBy): Promise<boolean>;
  stats(address: string): Promise<MailboxStats>;
  /** False while the mailbox store cannot be reached (sends are refused at once meanwhile). */
  reachable(): boolean;
  /** Drop acknowledged entries; never an unacknowledged one. Returns how many were removed. */
  trim(address: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * What a hosted actor's turns and refusals use of the transport: its limits, replies to
 * askers, dead letters. The system hands them one that answers its own node's asks in
 * process (`LocalDelivery.outlet`).
 */
export type TurnOutlet = Pick<MailboxTransport, "limits" | "reply" | "deadLetter">;

/** Acknowledging deliveries taken from a mailbox (those delivered in process have nothing to acknowledge). */
export type Acknowledger = Pick<Consumer, "ack">;
