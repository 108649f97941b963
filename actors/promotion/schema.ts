import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { settlementTables } from "../settlement/index.ts";

/**
 * The promotion domain's tables in a brand's shard: coupons and their codes, redemptions
 * (each a bonus the wallet grants), the wagering state of those bonuses as the rolling domain
 * reports it, activity per player, local day and game category for rebate and lossback, the
 * bets that activity counted (so a rollback takes back exactly its bet), late rollbacks, and
 * the settlements of rebate and lossback. Money columns are integer minor units; rates basis points.
 */
export const promotionCoupons = sqliteTable("promotion_coupons", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** fixed: `amount`; deposit_percent: `percent_bp` of the qualifying deposit, at most `cap` */
  kind: text("kind", { enum: ["fixed", "deposit_percent"] }).notNull(),
  amount: integer("amount").notNull().default(0),
  percentBp: integer("percent_bp").notNull().default(0),
  cap: integer("cap"),
  /** a deposit of at least this starts the bonus; 0 with a fixed bonus: granted at redemption */
  minDeposit: integer("min_deposit").notNull().default(0),
  /** redemptions each of its codes allows (every player at most once per coupon) */
  maxUses: integer("max_uses").notNull(),
  /** the wagering multiple its bonuses carry; null: the brand's `rolling.bonusMultiple` */
  rollingMultiple: text("rolling_multiple"),
  validFrom: integer("valid_from").notNull(),
  validTo: integer("valid_to").notNull(),
  status: text("status", { enum: ["active", "paused"] }).notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The codes of a coupon (one, or a batch), each with its own count of uses. */
export const promotionCodes = sqliteTable(
  "promotion_codes",
  {
    /** capitals */
    code: text("code").primaryKey(),
    couponId: text("coupon_id")
      .notNull()
      .references(() => promotionCoupons.id),
    uses: integer("uses").notNull().default(0),
  },
  (t) => [index("promotion_codes_coupon").on(t.couponId)],
);

/**
 * One player's use of a code: `armed` waits for a qualifying deposit, `requested` for the
 * wallet's grant (asked through the outbox under `id`), `granted` once the wallet made it,
 * `lapsed` when the coupon ended before a qualifying deposit, `refused` when the wallet
 * refused the grant for good (its code and message kept; the code's use given back).
 */
export const promotionRedemptions = sqliteTable(
  "promotion_redemptions",
  {
    id: text("id").primaryKey(),
    couponId: text("coupon_id").notNull(),
    code: text("code").notNull(),
    playerId: text("player_id").notNull(),
    status: text("status", { enum: ["armed", "requested", "granted", "lapsed", "refused"] }).notNull(),
    amount: integer("amount").notNull().default(0),
    /** the deposit that qualified, for a deposit coupon */
    depositTransactionId: text("deposit_transaction_id"),
    /** the wallet's bonus grant */
    transactionId: text("transaction_id").unique(),
    /** why the wallet refused the grant, when `refused` */
    refusalCode: text("refusal_code"),
    refusalMessage: text("refusal_message"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("promotion_redemptions_once").on(t.couponId, t.playerId), index("promotion_redemptions_player").on(t.playerId, t.status)],
);

/** The wagering record of every bonus as the rolling domain reports it (by the grant's transaction). */
export const promotionBonusRollings = sqliteTable("promotion_bonus_rollings", {
  sourceTransactionId: text("source_transaction_id").primaryKey(),
  rollingId: text("rolling_id").notNull(),
  playerId: text("player_id").notNull(),
  status: text("status", { enum: ["open", "completed", "expired", "cancelled"] }).notNull(),
  target: text("target").notNull(),
  progress: text("progress").notNull(),
  version: integer("version").notNull(),
});

/** Settled turnover (bets net of rollbacks) and wins per player, local day of the brand's time zone and game category. */
export const promotionActivity = sqliteTable(
  "promotion_activity",
  {
    playerId: text("player_id").notNull(),
    day: text("day").notNull(),
    category: text("category").notNull(),
    bets: integer("bets").notNull().default(0),
    wins: integer("wins").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.day, t.category] }), index("promotion_activity_day").on(t.day)],
);

/** The bets activity counted, by the wallet's key, so a rollback takes back its own day and category. */
export const promotionBets = sqliteTable(
  "promotion_bets",
  {
    betKey: text("bet_key").primaryKey(),
    playerId: text("player_id").notNull(),
    day: text("day").notNull(),
    category: text("category").notNull(),
    amount: integer("amount").notNull(),
    rolledBack: integer("rolled_back", { mode: "boolean" }).notNull().default(false),
    /** the provider's round, so a win that names only its round counts on its bets' day */
    round: text("round"),
  },
  (t) => [index("promotion_bets_day").on(t.day), index("promotion_bets_round").on(t.playerId, t.round)],
);

/** A rollback of a bet whose day a rebate or lossback settlement had already paid: reported, never taken back. */
export const promotionLateRollbacks = sqliteTable("promotion_late_rollbacks", {
  betKey: text("bet_key").primaryKey(),
  playerId: text("player_id").notNull(),
  day: text("day").notNull(),
  category: text("category").notNull(),
  amount: integer("amount").notNull(),
  /** JSON: settlement id to what its line for the player paid over the corrected activity */
  overpaid: text("overpaid").notNull(),
  at: integer("at").notNull(),
});

const settlement = settlementTables("promotion");
export const promotionSettlements = settlement.settlements;
export const promotionSettlementLines = settlement.lines;
