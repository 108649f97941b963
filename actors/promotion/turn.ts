import type { Database } from "bun:sqlite";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import type { BrandSettings } from "../catalog/index.ts";
import { type ActingStaff, type AuditEntry, auditEvent } from "../identity/index.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { SettlementBook, SettlementViews } from "../settlement/index.ts";
import type { Observations } from "./metrics.ts";

/** What a promotion handler works with during one message. */
export type PromotionTurn = {
  sqlite: Database;
  book: SettlementBook;
  settlementViews: SettlementViews;
  brand: string;
  /** the brand's settings as the catalog copy has them now */
  settings: BrandSettings;
  emit(event: ShardEvent): void;
  now: number;
  /** metrics, recorded once the batch commits */
  observe: Observations;
};

/**
 * A handler of one message type. Declared as a method so the registries (any type to its
 * handler) can hold handlers of narrower bodies: the runtime parsed each body by its type's schema.
 */
export type Handler<B = unknown> = { handle(body: B, turn: PromotionTurn): Outcome }["handle"];

/** A staff change's audit row, in the commit that makes the change. */
export function audited(turn: PromotionTurn, by: ActingStaff, entry: Omit<AuditEntry, "brand">): void {
  const { type, payload } = auditEvent(by, { ...entry, brand: turn.brand });
  turn.emit({ type, payload });
}

/** A digit string of minor units from an event, or null. */
export const minorUnits = (value: unknown): bigint | null => (typeof value === "string" && /^\d{1,19}$/.test(value) ? BigInt(value) : null);
export const text = (value: unknown): string | null => (typeof value === "string" && value.length > 0 && value.length <= 200 ? value : null);
