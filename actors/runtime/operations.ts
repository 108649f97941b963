import type { ActorStatus } from "./cell.ts";
import type { DeadLetter, ReplayedBy } from "./envelope.ts";
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

/** A unit a node holds: a brand (or `_global`), since when, and how long its lease has left unless renewed. */
export type PlacedUnit = { unit: string; ageMs: number; expiresInMs: number };

/**
 * Which node serves which brands. `leases`: brands are placed on live nodes by leases in
 * Redis (as this node last saw them); `every-brand`: this node hosts every brand (no Redis).
 */
export type PlacementStatus = {
  mode: "leases" | "every-brand";
  node: string;
  draining: boolean;
  /** when this view was read (ms since the epoch) */
  seenAt: number;
  nodes: { node: string; draining: boolean; units: PlacedUnit[] }[];
  /** units no live node holds now (a dead node's until its leases expire, or a new brand) */
  unplaced: string[];
};

/** What a drain did: the units handed over, and how long it took. */
export type DrainReport = { node: string; released: string[]; ms: number };

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
  /** `by`: who replays it, carried on the envelope so the owning actor audits what it then changes */
  replayDeadLetter(address: string, streamId: string, by?: ReplayedBy): Promise<boolean>;
  /** whether the node can serve now: booted and not draining, its stores reachable, no actor degraded or waiting */
  readiness(): Readiness;
  /**
   * Check game rounds against the ledger now, over the last hour, for `brand` or every brand
   * the node checks; a gap is replayed (once: the same gap again is an alarm).
   */
  projectionCheck(brand?: string): Promise<ProjectionReport[]>;
  /** set while the supervisor has marked `domain@brand` degraded (restart intensity exceeded) */
  degradation(domain: string, brand: string | null): { retryAfterMs: number } | null;
  /** which node serves which brands, with lease ages */
  placement(): PlacementStatus;
  /**
   * Hand every brand this node serves over to the other nodes (stop taking, finish turns,
   * release the leases) and take no more; the node keeps serving its edges. Refused with
   * `invalid_state` where brands are not placed by leases.
   */
  drain(): Promise<DrainReport>;
}
