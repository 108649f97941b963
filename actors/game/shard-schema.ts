import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The game domain's tables in a brand's shard: launch sessions, and rounds projected from
 * wallet events for support and staff views. Money columns are integer minor units.
 */
export const gameSessions = sqliteTable(
  "game_sessions",
  {
    id: text("id").primaryKey(),
    playerId: text("player_id").notNull(),
    providerCode: text("provider_code").notNull(),
    gameCode: text("game_code").notNull(),
    issuedAt: integer("issued_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("game_sessions_player").on(t.playerId, t.issuedAt)],
);

export const gameRounds = sqliteTable(
  "game_rounds",
  {
    providerCode: text("provider_code").notNull(),
    roundId: text("round_id").notNull(),
    playerId: text("player_id").notNull(),
    gameCode: text("game_code").notNull(),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    betTotal: integer("bet_total").notNull().default(0),
    winTotal: integer("win_total").notNull().default(0),
    refundTotal: integer("refund_total").notNull().default(0),
    openedAt: integer("opened_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    closedAt: integer("closed_at"),
  },
  (t) => [primaryKey({ columns: [t.providerCode, t.roundId] }), index("game_rounds_player").on(t.playerId, t.openedAt)],
);

export const gameRoundEntries = sqliteTable(
  "game_round_entries",
  {
    eventId: text("event_id").primaryKey(),
    providerCode: text("provider_code").notNull(),
    roundId: text("round_id").notNull(),
    kind: text("kind", { enum: ["bet", "win", "rollback"] }).notNull(),
    transactionUuid: text("transaction_uuid").notNull(),
    transactionId: text("transaction_id").notNull(),
    amount: integer("amount").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("game_round_entries_round").on(t.providerCode, t.roundId, t.at)],
);

/** Players the player domain suspended: no new launches, their sessions revoked. */
export const gameBlockedPlayers = sqliteTable("game_blocked_players", {
  playerId: text("player_id").primaryKey(),
  reason: text("reason").notNull(),
  since: integer("since").notNull(),
});
