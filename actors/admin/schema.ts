import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * What the top-info counters count, one row per open item: a pending deposit or withdrawal
 * request (a player's or an agent's), an unanswered inquiry, an online player session, a new player, a reconciliation
 * alarm. Counters are sizes of these sets, so applying an event twice changes nothing.
 */
export const topInfoItems = pgTable(
  "top_info_items",
  {
    brandId: text("brand_id").notNull(),
    kind: text("kind", { enum: ["deposit", "withdrawal", "agent_withdrawal", "inquiry", "online", "new_player", "alarm"] }).notNull(),
    itemId: text("item_id").notNull(),
    /** the player the item belongs to, when one does (online sessions count distinct players) */
    playerId: text("player_id"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.kind, t.itemId] })],
);

/** Outcomes of the catalog actor's messages, so a redelivered message replays its reply. */
export const adminOutcomes = pgTable(
  "admin_outcomes",
  {
    address: text("address").notNull(),
    messageId: text("message_id").notNull(),
    outcome: jsonb("outcome").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.address, t.messageId] }), index("admin_outcomes_at_idx").on(t.at)],
);

/** Staff notes on a player (back-office only; the player never sees them). */
export const playerNotes = pgTable(
  "player_notes",
  {
    /** the id of the message that wrote it: a redelivered note is written once */
    id: text("id").primaryKey(),
    brandId: text("brand_id").notNull(),
    playerId: text("player_id").notNull(),
    staffId: text("staff_id").notNull(),
    username: text("username").notNull(),
    body: text("body").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("player_notes_player_idx").on(t.brandId, t.playerId, t.at)],
);
