import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { settlementTables } from "../settlement/index.ts";

/**
 * The agent domain's tables in a brand's shard: the agent tree, agents' sessions, the players
 * linked to agents with what the wallet's events said of them, activity per player and local
 * day, and commission settlements. Money columns are integer minor units; rates basis points.
 */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    /** null for a top agent (a head office) */
    parentId: text("parent_id"),
    /** 1 at the top; at most the brand's `agent.maxDepth` */
    level: integer("level").notNull(),
    /** `/<top id>/.../<own id>/`: a subtree is every agent whose path starts with its top's */
    path: text("path").notNull(),
    loginName: text("login_name").notNull().unique(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    passwordVersion: integer("password_version").notNull().default(1),
    status: text("status", { enum: ["active", "suspended"] }).notNull(),
    statusReason: text("status_reason"),
    /** players sign up with it; capitals */
    code: text("code").notNull().unique(),
    /** JSON: game category → basis points of turnover */
    rollingRates: text("rolling_rates").notNull(),
    /** basis points of net loss */
    losingRate: integer("losing_rate").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** who created it: a staff id or name, or `agent:<id>` */
    createdBy: text("created_by").notNull(),
  },
  (t) => [index("agents_parent").on(t.parentId, t.createdAt), index("agents_path").on(t.path)],
);

/** One per log-in; the access token's jti names it, so a logout or a suspension ends it at once. */
export const agentSessions = sqliteTable(
  "agent_sessions",
  {
    id: text("id").primaryKey(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("agent_sessions_agent").on(t.agentId)],
);

/** A player who signed up with an agent's code, and the cash balance the wallet's last event gave. */
export const agentPlayers = sqliteTable(
  "agent_players",
  {
    playerId: text("player_id").primaryKey(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    username: text("username").notNull().unique(),
    nickname: text("nickname").notNull(),
    cash: integer("cash").notNull().default(0),
    linkedAt: integer("linked_at").notNull(),
  },
  (t) => [index("agent_players_agent").on(t.agentId, t.linkedAt)],
);

/**
 * A linked player's activity per local day (of the brand's time zone when it happened) and
 * game category: bets net of rollbacks, wins; deposits and withdrawals under the category ''.
 */
export const agentActivity = sqliteTable(
  "agent_activity",
  {
    playerId: text("player_id").notNull(),
    day: text("day").notNull(),
    category: text("category").notNull(),
    bets: integer("bets").notNull().default(0),
    wins: integer("wins").notNull().default(0),
    deposits: integer("deposits").notNull().default(0),
    withdrawals: integer("withdrawals").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.day, t.category] }), index("agent_activity_day").on(t.day)],
);

const settlement = settlementTables("agent");
export const agentSettlements = settlement.settlements;
export const agentSettlementLines = settlement.lines;
