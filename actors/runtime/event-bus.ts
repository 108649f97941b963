/** A fact a domain published. `id` is unique; consumers dedupe by it. */
export type DomainEvent = {
  id: string;
  /** `wallet.bet_settled`, `player.registered`, ... */
  type: string;
  brand: string | null;
  at: number;
  payload: Record<string, unknown>;
};

export type EventHandler = (event: DomainEvent) => Promise<void>;

export type Subscription = { stop(): Promise<void> };

/**
 * Event streams: one per brand (plus one for global events). Each consuming domain reads
 * with its own consumer group, acknowledges after its handler resolved, and gets unacked
 * events again after a crash; a handler must be idempotent by event id (the usual way: tell
 * the consuming actor with the event id as the message id, so its journal dedupes).
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  publish(events: DomainEvent[]): Promise<void>;
  /** `group` names the consumer (e.g. "rolling"); `types` filters by prefix match ("wallet.") or exact type. */
  subscribe(group: string, options: { types?: string[] }, handler: EventHandler): Promise<Subscription>;
  close(): Promise<void>;
}
