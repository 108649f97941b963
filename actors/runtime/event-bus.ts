import { formatAddress } from "./address.ts";
import { DependencyError } from "./failure-class.ts";
import type { Messenger } from "./messenger.ts";
import type { ActorSystem } from "./system.ts";

/** A fact a domain published. `id` is unique; consumers dedupe by it. */
export type DomainEvent = {
  id: string;
  /** `wallet.bet_settled`, `player.registered`, ... */
  type: string;
  brand: string | null;
  at: number;
  /** JSON: a bigint is published as its decimal string */
  payload: Record<string, unknown>;
};

/** How often this event was handed to the group; 1 the first time. */
export type EventDelivery = { group: string; deliveryCount: number };

/**
 * Handles one event. `many`, when present, takes the events a read brought for one stream
 * at once, in order: it must apply them in that order, each at most once by its id, as the
 * single-event form does (a failure hands them to the single-event form, one by one).
 */
export type EventHandler = ((event: DomainEvent, delivery: EventDelivery) => Promise<void>) & {
  many?: (events: DomainEvent[], delivery: EventDelivery) => Promise<void>;
};

export type SubscribeOptions = { types?: string[]; batchSize?: number };

/** The limits one subscription consumes under: the bus's, with its own read size when it names one. */
export function subscriptionLimits(limits: EventBusLimits, options: SubscribeOptions): EventBusLimits {
  return options.batchSize === undefined ? limits : { ...limits, batchSize: options.batchSize };
}

export type Subscription = {
  /**
   * Stop reading, like a crash would: a handler still running is abandoned and its event is
   * not acknowledged, so the group gets it again (claimed after `claimIdleMs`).
   */
  stop(): Promise<void>;
};

export type EventDeadLetter = {
  stream: string;
  /** the event's entry id in its stream */
  entryId: string;
  group: string;
  event: DomainEvent;
  reason: string;
  deliveryCount: number;
  deadAt: number;
};

export type EventBusLimits = {
  /** a handler failing (or a consumer dying) this many times sends the event to the dead letters */
  maxDeliveries: number;
  /** an unacknowledged event idle this long is claimed by a live subscriber of its group */
  claimIdleMs: number;
  /** first pause before a failed handler is tried again (doubling each time) */
  retryDelayMs: number;
  /** most events one read takes per stream */
  batchSize: number;
};

export const DEFAULT_EVENT_LIMITS: EventBusLimits = { maxDeliveries: 5, claimIdleMs: 30_000, retryDelayMs: 100, batchSize: 100 };

/**
 * Event streams: one per brand (plus one for global events). Each consuming domain reads
 * with its own consumer group, acknowledges after its handler resolved, and gets unacked
 * events again after a crash; a handler must be idempotent by event id (the usual way:
 * `forwardToActor`, which tells the consuming actor with the event id as the message id, so
 * its journal dedupes). Events of one brand reach a subscription in publish order.
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  readonly limits: EventBusLimits;
  publish(events: DomainEvent[]): Promise<void>;
  /**
   * `group` names the consumer (e.g. "rolling"); `types` filters by prefix match ("wallet.") or
   * exact type; `batchSize`, the most events one read takes per stream, overrides the bus's.
   */
  subscribe(group: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription>;
  /** Pending (delivered, unacknowledged) events and dead letters of a group over all streams. */
  stats(group: string): Promise<{ pending: number; deadLetters: number }>;
  deadLetters(group: string, limit?: number): Promise<EventDeadLetter[]>;
  /** Drop entries every group has acknowledged; never an unacknowledged one. Returns how many. */
  trim(): Promise<number>;
  close(): Promise<void>;
}

/** The stream of a brand's events (hash-tagged by brand for Redis Cluster). */
export function streamOf(brand: string | null): string {
  return `evt:{${brand ?? "_global"}}`;
}

/** `types` entries ending in "." match by prefix, others exactly; no filter matches all. */
export function matchesTypes(types: readonly string[] | undefined, type: string): boolean {
  if (!types || types.length === 0) return true;
  return types.some((t) => (t.endsWith(".") ? type.startsWith(t) : type === t));
}

export function encodeEvent(event: DomainEvent): string {
  return JSON.stringify(event, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

export function decodeEvent(data: string): DomainEvent {
  const e = JSON.parse(data) as DomainEvent;
  if (typeof e?.id !== "string" || typeof e.type !== "string" || typeof e.payload !== "object") throw new Error("not an event");
  return e;
}

/** The event of a dead letter; an entry that is no event is kept as its raw data. */
export function deadEventOf(entryId: string, data: string): DomainEvent {
  try {
    return decodeEvent(data);
  } catch {
    return { id: entryId, type: "undecodable", brand: null, at: 0, payload: { data } };
  }
}

/**
 * The consumer dedupe pattern: an event consumer that tells `<domain>@<event.brand>` (or the
 * global `<domain>`) a message of the event's type with the payload as body and the event id
 * as the message id. The actor journals message ids with its turn's effects, so a redelivered
 * event is applied once. The kind needs a message schema per event type it subscribes to.
 * A consumer that is not an actor does the same by hand: store the event id in the same
 * transaction as the effect and skip ids already stored.
 */
export function forwardToActor(system: Pick<ActorSystem, "tell">, domain: string): EventHandler {
  const tell = (event: DomainEvent) => system.tell(formatAddress(domain, event.brand), event.type, event.payload, { id: event.id, correlationId: event.id });
  // the tells go out in the events' order without waiting for each other, so the actor finds
  // a read's events together in its mailbox and takes them in one turn
  return Object.assign(async (event: DomainEvent) => tell(event), { many: async (events: DomainEvent[]) => void (await Promise.all(events.map(tell))) });
}

/** An actor's answers that mean "not now" rather than "never": the event waits, no attempt counted. */
const NOT_NOW = new Set(["timeout", "unavailable", "overloaded", "degraded"]);

/**
 * The dedupe pattern of `forwardToActor` with back-pressure: each event is asked of the actor
 * (the event id as the message id) and acknowledged only once the actor has applied it, so
 * a consumer slower than its producer leaves events waiting in the stream, never piled up
 * in the actor's mailbox past its bound. An actor answering "not now" (an ask timing out
 * while it restarts, a waiting dependency, a full mailbox, degradation) makes the event
 * wait without counting an attempt; any other refusal is a failure the bus retries with
 * backoff and then dead-letters; a message the runtime dead-lettered (it crashed the actor
 * too often) is acknowledged here, since the mailbox's dead letters keep it for a replay.
 * A read's events are asked together, in order, so the actor takes them in one turn.
 */
export function applyInActor(messenger: Pick<Messenger, "askOutcome">, domain: string): EventHandler {
  const apply = async (event: DomainEvent) => {
    const outcome = await messenger.askOutcome(formatAddress(domain, event.brand), event.type, event.payload, { id: event.id, correlationId: event.id });
    if (outcome.ok || outcome.error.code === "dead_lettered") return;
    const why = `${domain} did not apply ${event.type} ${event.id}: ${outcome.error.code}: ${outcome.error.message}`;
    throw NOT_NOW.has(outcome.error.code) ? new DependencyError(why) : new Error(why);
  };
  return Object.assign(apply, { many: async (events: DomainEvent[]) => void (await Promise.all(events.map(apply))) });
}
