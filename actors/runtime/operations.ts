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

/** Provider money of a brand over a window, as the ledger holds it or as the game rounds projected it. */
export type ProviderMoney = { bets: string; wins: string; refunds: string; transactions: number };

/** A brand's game rounds against its ledger since `since`, and what the check did about a gap. */
export type ProjectionReport = {
  brand: string;
  since: string;
  ledger: ProviderMoney;
  rounds: ProviderMoney;
  /** ledger transactions the rounds never saw */
  missing: number;
  /** when the first of them was written: a replay from there closes the gap */
  firstMissingAt: string | null;
  ok: boolean;
  /**
   * `replayed`: the brand's events were published again from the first missing one (`events`
   * of them; the rounds catch up shortly); `alarm`: the same gap was there after a replay
   * already, so a replay does not close it.
   */
  action: "none" | "replayed" | "alarm";
  events: number;
};

/** What `/readyz` answers: ready, or not with every reason the node cannot serve now. */
export type Readiness = { ready: boolean; reasons: string[] };

/**
 * What operators (the supervisor CLI through the internal edge, and `/metrics`) may do to a
 * running node: see its actors and mailboxes, restart an actor, read and replay dead letters,
 * check the game rounds against the ledger.
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
  /**
   * Check game rounds against the ledger now, over the last hour, for `brand` or every brand
   * the node checks; a gap is replayed (once: the same gap again is an alarm).
   */
  projectionCheck(brand?: string): Promise<ProjectionReport[]>;
  /** set while the supervisor has marked `domain@brand` degraded (restart intensity exceeded) */
  degradation(domain: string, brand: string | null): { retryAfterMs: number } | null;
}
