import type { Database } from "bun:sqlite";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";

/** How recon decides; the defaults are production's. */
export type ReconRules = {
  /** a notice and a request further apart than this never match */
  matchWindowMs: number;
  /** the same bank text again within this long is the same notice forwarded twice */
  duplicateWindowMs: number;
  /** a loop failing this many times in a row is down (one alarm until it reaches its upstream again) */
  downAfterFailures: number;
};

export const DEFAULT_RULES: ReconRules = { matchWindowMs: 3 * 3_600_000, duplicateWindowMs: 24 * 3_600_000, downAfterFailures: 3 };

/** What a recon handler works with during one message. */
export type ReconTurn = {
  sqlite: Database;
  brand: string;
  emit(event: ShardEvent): void;
  now: number;
  rules: ReconRules;
};
