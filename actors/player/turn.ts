import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { Outcome } from "../runtime/errors.ts";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";

/** Lockout: this many failed logins in a row lock the account for `lockMs`. */
export type LockoutPolicy = { maxFailures: number; lockMs: number };
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

/** What a player handler works with during one message. */
export type PlayerTurn = {
  db: BunSQLiteDatabase;
  /** the brand whose shard this is */
  brand: string;
  emit(event: ShardEvent): void;
  now: number;
  lockout: LockoutPolicy;
};

export type Handler<B = any> = (body: B, turn: PlayerTurn) => Outcome;
