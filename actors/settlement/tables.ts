import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The tables a domain settles through, made per domain (`settlementTables("agent")` gives
 * `agent_settlements` and `agent_settlement_lines`), so each table keeps one writing actor.
 * A domain lists them in its own schema.ts; drizzle-kit makes its migration from there.
 * Money columns are integer minor units.
 */
export function settlementTables(domain: string) {
  const settlements = sqliteTable(`${domain}_settlements`, {
    /** `<program>:<period key>`: one settlement per program and period */
    id: text("id").primaryKey(),
    program: text("program").notNull(),
    period: text("period").notNull(),
    fromDay: text("from_day").notNull(),
    toDay: text("to_day").notNull(),
    /** crediting: lines wait for the wallet; settled: every line paid; attention: a line refused or stalled */
    status: text("status", { enum: ["crediting", "settled", "attention"] }).notNull(),
    lineCount: integer("line_count").notNull(),
    total: integer("total").notNull(),
    paidTotal: integer("paid_total").notNull().default(0),
    /** what the snapshot was computed from (the owner's summary), JSON */
    detail: text("detail").notNull(),
    createdAt: integer("created_at").notNull(),
    settledAt: integer("settled_at"),
  });
  const lines = sqliteTable(
    `${domain}_settlement_lines`,
    {
      /** the wallet's idempotency key for this credit: a line is paid once whatever happens */
      lineId: text("line_id").primaryKey(),
      settlementId: text("settlement_id")
        .notNull()
        .references(() => settlements.id),
      kind: text("kind").notNull(),
      ownerKind: text("owner_kind", { enum: ["player", "agent"] }).notNull(),
      ownerId: text("owner_id").notNull(),
      account: text("account", { enum: ["cash", "bonus"] }).notNull(),
      amount: integer("amount").notNull(),
      /** how the amount was computed, JSON */
      detail: text("detail").notNull(),
      status: text("status", { enum: ["requested", "paid", "refused", "stalled"] }).notNull(),
      attempts: integer("attempts").notNull(),
      requestedAt: integer("requested_at").notNull(),
      /** when an unpaid line is asked for again */
      retryAt: integer("retry_at").notNull(),
      paidAt: integer("paid_at"),
      transactionId: text("transaction_id"),
      error: text("error"),
    },
    (t) => [
      index(`${domain}_settlement_lines_settlement`).on(t.settlementId),
      index(`${domain}_settlement_lines_owner`).on(t.ownerKind, t.ownerId, t.settlementId),
      index(`${domain}_settlement_lines_due`).on(t.status, t.retryAt),
    ],
  );
  return { settlements, lines };
}

export type SettlementTables = ReturnType<typeof settlementTables>;
