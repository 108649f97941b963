import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import type { Outcome } from "../runtime/errors.ts";

/** What a player handler works with during one message. */
export type PlayerTurn = {
  db: BunSQLiteDatabase;
  /** the brand whose shard this is */
  brand: string;
  emit(event: ShardEvent): void;
  now: number;
};

export type Handler<B = any> = (body: B, turn: PlayerTurn) => Outcome;
