import type { z } from "zod";
import type { Envelope } from "./envelope.ts";
import type { Outcome } from "./errors.ts";
import type { Logger } from "./log.ts";

/** One message as an actor sees it, already validated against its kind's schema. */
export type Incoming<T = unknown> = {
  id: string;
  type: string;
  body: T;
  envelope: Envelope;
  deliveryCount: number;
};

/** What a running actor may use. It never awaits another actor's reply inside a turn. */
export type ActorContext = {
  readonly address: string;
  readonly domain: string;
  readonly brand: string | null;
  readonly log: Logger;
  /** Fire-and-forget to another actor (or itself). */
  tell(address: string, type: string, body: unknown, options?: { id?: string; correlationId?: string }): Promise<void>;
};

/**
 * The turn logic of one actor instance. `receive` decides a batch and must persist, in the
 * same commit as its effects, each message id with its outcome, so that `recall` finds them:
 * a redelivered message then changes nothing and gets the same reply.
 */
export interface Behavior {
  recall(ids: string[]): Promise<Map<string, Outcome>>;
  receive(batch: Incoming[]): Promise<Outcome[]>;
  /**
   * Used instead of `receive` when present, for a kind with `pipeline` above 1: resolves once
   * the batch is decided, with the outcomes that hold when `committed` resolves, so the
   * runtime can hand over the next batch while this one commits. Commits must complete in
   * the order of their batches, and once one fails every later one must fail unwritten.
   */
  decide?(batch: Incoming[]): Promise<Decided>;
  /** Called before an idle instance is dropped from memory. */
  passivate?(): Promise<void>;
}

/** A decided batch whose outcomes hold once its commit is done. */
export type Decided = { committed: Promise<Outcome[]> };

/** A timer delivered into every hosted actor of a kind as a `timer` message. */
export type TimerSpec = { name: string; cron: string };

/** Message schemas by type. `timer` messages are added by the runtime. */
export type MessageSchemas = Record<string, z.ZodType>;

export type ActorKind = {
  domain: string;
  scope: "brand" | "global";
  messages: MessageSchemas;
  /** most messages one turn may take (wallet group commit); 1 by default */
  maxBatch?: number;
  /** batches decided while the earliest of them still commits (see `Behavior.decide`); 1 by default */
  pipeline?: number;
  /** passivate after this long without a message; the system default otherwise */
  idleMs?: number;
  timers?: TimerSpec[];
  /**
   * Make the instance as soon as its brand is placed on a node, not at its first message: its
   * activation fences out a former instance on another node (the wallet takes a new epoch).
   */
  activateWhenPlaced?: boolean;
  create(ctx: ActorContext): Behavior | Promise<Behavior>;
};

/** A typed protocol: for each message type the body schema and the reply schema. */
export type Protocol = Record<string, { body: z.ZodType; reply: z.ZodType }>;
export type BodyOf<P extends Protocol, K extends keyof P> = z.input<P[K]["body"]>;
export type ReplyOf<P extends Protocol, K extends keyof P> = z.infer<P[K]["reply"]>;

/** The message schemas of a protocol, for an ActorKind. */
export function schemasOf(protocol: Protocol): MessageSchemas {
  return Object.fromEntries(Object.entries(protocol).map(([type, p]) => [type, p.body]));
}
