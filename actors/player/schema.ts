import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The player domain's tables in the brand's shard. The shard is the brand, so a unique
 * username index here is "unique per brand". Times are epoch milliseconds.
 */

export const players = sqliteTable(
  "players",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    nickname: text("nickname").notNull(),
    phone: text("phone").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** bumped on every password change: a login decided against an older hash is void */
    passwordVersion: integer("password_version").notNull().default(1),
    bankName: text("bank_name").notNull(),
    bankAccount: text("bank_account").notNull(),
    bankHolder: text("bank_holder").notNull(),
    /** the player's own code, for referring friends */
    referralCode: text("referral_code").notNull(),
    /** the agent or referral code given at sign-up, as typed */
    signupCode: text("signup_code"),
    referredBy: text("referred_by"),
    status: text("status", { enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    suspendedReason: text("suspended_reason"),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: integer("locked_until"),
    createdAt: integer("created_at").notNull(),
    lastLoginAt: integer("last_login_at"),
  },
  (t) => [
    uniqueIndex("players_username_unique").on(t.username),
    uniqueIndex("players_nickname_unique").on(t.nickname),
    uniqueIndex("players_referral_code_unique").on(t.referralCode),
  ],
);

/** A login and everything refreshed from it: revoking it ends every token of the family. */
export const playerSessions = sqliteTable(
  "player_sessions",
  {
    id: text("id").primaryKey(),
    playerId: text("player_id")
      .notNull()
      .references(() => players.id),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("player_sessions_player").on(t.playerId)],
);

/**
 * Refresh tokens, stored as sha-256 hashes only; `rotatedAt` marks one already used. Each is
 * issued with one access token, whose `jti` ties that access token to the session: a revoked
 * session refuses its access tokens too, not only its refresh tokens.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => playerSessions.id),
    accessJti: text("access_jti").notNull(),
    issuedAt: integer("issued_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    rotatedAt: integer("rotated_at"),
  },
  (t) => [index("refresh_tokens_session").on(t.sessionId), uniqueIndex("refresh_tokens_access_jti").on(t.accessJti)],
);

/** Messages from staff: to one player, or to the whole brand when `playerId` is null. */
export const playerMessages = sqliteTable(
  "player_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    playerId: text("player_id").references(() => players.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    senderId: text("sender_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("player_messages_player").on(t.playerId, t.id)],
);

export const messageReads = sqliteTable(
  "message_reads",
  {
    messageId: integer("message_id")
      .notNull()
      .references(() => playerMessages.id),
    playerId: text("player_id")
      .notNull()
      .references(() => players.id),
    readAt: integer("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.playerId] })],
);

/** Questions from a player to staff. */
export const inquiries = sqliteTable(
  "inquiries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    playerId: text("player_id")
      .notNull()
      .references(() => players.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["open", "answered"] })
      .notNull()
      .default("open"),
    createdAt: integer("created_at").notNull(),
    answeredAt: integer("answered_at"),
  },
  (t) => [index("inquiries_player").on(t.playerId, t.id), index("inquiries_status").on(t.status, t.id)],
);

export const inquiryReplies = sqliteTable("inquiry_replies", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  inquiryId: integer("inquiry_id")
    .notNull()
    .references(() => inquiries.id),
  staffId: text("staff_id").notNull(),
  body: text("body").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Public content of the brand's site: notices, banners and FAQ entries in one table. */
export const siteContent = sqliteTable(
  "site_content",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["notice", "banner", "faq"] }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    imageUrl: text("image_url"),
    linkUrl: text("link_url"),
    category: text("category"),
    sort: integer("sort").notNull().default(0),
    published: integer("published", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("site_content_kind").on(t.kind, t.sort)],
);

/** Site settings shown to visitors (site name, contact, minimums...), one JSON value per key. */
export const siteSettings = sqliteTable("site_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
