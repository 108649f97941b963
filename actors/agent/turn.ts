import type { Database } from "bun:sqlite";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import type { BrandSettings } from "../catalog/index.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { SettlementBook, SettlementViews } from "../settlement/index.ts";
import type { AgentStore } from "./agent-store.ts";

/** What an agent handler works with during one message. */
export type AgentTurn = {
  sqlite: Database;
  agents: AgentStore;
  book: SettlementBook;
  settlementViews: SettlementViews;
  brand: string;
  /** the brand's settings as the catalog copy has them now */
  settings: BrandSettings;
  emit(event: ShardEvent): void;
  now: number;
};

/**
 * A handler of one message type. Declared as a method so the registries (any type to its
 * handler) can hold handlers of narrower bodies: the runtime parsed each body by its type's schema.
 */
export type Handler<B = unknown> = { handle(body: B, turn: AgentTurn): Outcome }["handle"];
