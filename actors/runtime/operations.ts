import type { ActorStatus } from "./cell.ts";
import type { DeadLetter } from "./envelope.ts";
import type { MailboxStats } from "./transport.ts";

export type HostedActor = ActorStatus & { mailbox: MailboxStats };

export type NodeStatus = {
  node: string;
  ready: boolean;
  transport: "memory" | "redis";
  store: "postgres" | "pglite";
  actors: HostedActor[];
};

/** What `/readyz` answers: ready, or not with every reason the node cannot serve now. */
export type Readiness = { ready: boolean; reasons: string[] };

/**
 * What operators (the supervisor CLI through the internal edge, and `/metrics`) may do to a
 * running node: see its actors and mailboxes, restart an actor, read and replay dead letters.
 * The supervisor implements it over the node's ActorSystem and transport.
 */
export interface NodeOperations {
  status(): Promise<NodeStatus>;
  /** every hosted address (global and brand actors) */
  hosted(): string[];
  mailboxStats(address: string): Promise<MailboxStats>;
  /** false when the address is not hosted on this node */
  restart(address: string): Promise<boolean>;
  deadLetters(address: string, limit: number): Promise<DeadLetter[]>;
  replayDeadLetter(address: string, streamId: string): Promise<boolean>;
  /** whether the node can serve now: booted and not draining, its stores reachable, no actor degraded or waiting */
  readiness(): Readiness;
  /** set while the supervisor has marked `domain@brand` degraded (restart intensity exceeded) */
  degradation(domain: string, brand: string | null): { retryAfterMs: number } | null;
}
