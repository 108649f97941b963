import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The rolling domain's tables in a brand's shard. Money columns are integer minor units; a
 * record's position among the player's bets is its source transaction id (the wallet's
 * UUIDv7, ordered as the wallet decided).
 */
export const rollingRecords = sqliteTable(
  "rolling_records",
  {
    id: text("id").primaryKey(),
    playerId: text("player_id").notNull(),
    sourceKind: text("source_kind", { enum: ["deposit", "bonus"] }).notNull(),
    /** the wallet transaction that started it (a deposit approval or a bonus grant): one record per source */
    sourceTransactionId: text("source_transaction_id").notNull().unique(),
    /** the deposit or bonus amount */
    amount: integer("amount").notNull(),
    /** the multiple in parts per million */
    multiplePpm: integer("multiple_ppm").notNull(),
    target: integer("target").notNull(),
    progress: integer("progress").notNull().default(0),
    status: text("status", { enum: ["open", "completed", "expired", "cancelled"] }).notNull(),
    /** bumped by every change, carried by every event about the record */
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    deadlineAt: integer("deadline_at"),
    closedAt: integer("closed_at"),
    /** who cancelled it (a staff id, else the name given) */
    closedBy: text("closed_by"),
    closeReason: text("close_reason"),
  },
  (t) => [
    index("rolling_records_open").on(t.playerId, t.status, t.sourceTransactionId),
    index("rolling_records_deadline").on(t.status, t.deadlineAt),
  ],
);

/**
 * Bets that counted toward a record, and rollbacks that came before their bet (tombstones:
 * `transaction_id` null). A bet that counted toward nothing is not kept.
 */
export const rollingBets = sqliteTable("rolling_bets", {
  /** the wallet's idempotency key of the bet (`p:<provider>:<transaction>`), which a rollback names */
  betKey: text("bet_key").primaryKey(),
  playerId: text("player_id").notNull(),
  transactionId: text("transaction_id"),
  stake: integer("stake").notNull(),
  contribution: integer("contribution").notNull(),
  category: text("category"),
  rolledBack: integer("rolled_back", { mode: "boolean" }).notNull().default(false),
  at: integer("at").notNull(),
});

/** How much of a bet's contribution went to which record. */
export const rollingContributions = sqliteTable(
  "rolling_contributions",
  {
    betKey: text("bet_key").notNull(),
    rollingId: text("rolling_id").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.betKey, t.rollingId] }), index("rolling_contributions_record").on(t.rollingId)],
);
