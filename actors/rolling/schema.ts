import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** the version and time of the last event written about the record (progress is reported at most once a minute) */
    reportedVersion: integer("reported_version").notNull().default(0),
    reportedAt: integer("reported_at").notNull().default(0),
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
    // the few records with a change no event has carried yet, for the minute's report
    index("rolling_records_unreported").on(t.id).where(sql`${t.version} > ${t.reportedVersion}`),
  ],
);

/**
 * Bets that counted toward a record, with how much went to which (`shares`, JSON
 * `[[rolling id, amount], ...]`), and rollbacks that came before their bet (tombstones:
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
  shares: text("shares").notNull().default("[]"),
  rolledBack: integer("rolled_back", { mode: "boolean" }).notNull().default(false),
  at: integer("at").notNull(),
});
