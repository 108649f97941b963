import type { Outcome } from "./errors.ts";

export type AskOptions = { id?: string; correlationId?: string; timeoutMs?: number };
export type TellOptions = { id?: string; correlationId?: string };

/**
 * What callers outside an actor (edges, domain services, tests) use to reach actors: asks
 * answered with an Outcome, tells, and whether this node runs a domain at all. The
 * ActorSystem implements it; typed clients (`protocolClient`) are built on it.
 */
export interface Messenger {
  askOutcome(address: string, type: string, body: unknown, options?: AskOptions): Promise<Outcome>;
  tell(address: string, type: string, body: unknown, options?: TellOptions): Promise<void>;
  /** whether actors of `domain` can be reached from this node (its kind is registered) */
  runs(domain: string): boolean;
  /** set while the supervisor has marked the actor degraded (restart intensity exceeded) */
  degradation(domain: string, brand: string | null): { retryAfterMs: number } | null;
}
