import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Recon's tables in a brand's shard. Amounts and balances are integer minor units; times are
 * UTC milliseconds. Secrets are stored sealed (AES-GCM, actors/recon/secret-box.ts), never clear.
 */

/** Where bank notices come from, with each intake loop's position and health. */
export const reconSources = sqliteTable("recon_sources", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["pushbullet", "telegram", "webhook"] }).notNull(),
  label: text("label").notNull(),
  status: text("status", { enum: ["active", "paused"] }).notNull(),
  /** the access token, bot token or webhook secret, sealed */
  secret: text("secret").notNull(),
  secretVersion: integer("secret_version").notNull().default(1),
  /** JSON: the chats, devices and sender numbers accepted, and the upstream's URLs */
  settings: text("settings").notNull(),
  /** the loop's resume point: Telegram's next offset, Pushbullet's last `modified` */
  cursor: text("cursor"),
  connected: integer("connected", { mode: "boolean" }).notNull().default(false),
  /** failures in a row since the loop last reached its upstream */
  failures: integer("failures").notNull().default(0),
  down: integer("down", { mode: "boolean" }).notNull().default(false),
  lastMessageAt: integer("last_message_at"),
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at"),
  statusAt: integer("status_at"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every raw message, stored before anything reads it, with what the parser and matcher made of it. */
export const reconMessages = sqliteTable(
  "recon_messages",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    sourceId: text("source_id").notNull(),
    externalId: text("external_id").notNull(),
    /** sha-256 of the bank's text without forwarding noise */
    contentHash: text("content_hash").notNull(),
    text: text("text").notNull(),
    sender: text("sender"),
    receivedAt: integer("received_at").notNull(),
    kind: text("kind", { enum: ["deposit", "withdrawal", "other", "unparsed"] }).notNull(),
    bank: text("bank"),
    amount: integer("amount"),
    depositor: text("depositor"),
    bankTime: text("bank_time"),
    bankAt: integer("bank_at").notNull(),
    balance: integer("balance"),
    /** the balance before this notice does not follow from the bank's previous notice: one was missed */
    balanceGap: integer("balance_gap", { mode: "boolean" }).notNull().default(false),
    state: text("state", { enum: ["matched", "review", "ignored", "duplicate", "dismissed"] }).notNull(),
    duplicateOf: text("duplicate_of"),
    note: text("note"),
    /** the sender was one of the bank's, as the source listed them when the notice came: only such a notice is matched without staff */
    vouched: integer("vouched", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("recon_messages_source_external").on(t.sourceId, t.externalId),
    index("recon_messages_hash").on(t.contentHash, t.receivedAt),
    index("recon_messages_state").on(t.state, t.seq),
    index("recon_messages_amount").on(t.kind, t.amount, t.bankAt),
  ],
);

/** Recon's projection of the wallet's deposit requests (from `wallet.deposit_*` events). */
export const reconRequests = sqliteTable(
  "recon_requests",
  {
    requestId: text("request_id").primaryKey(),
    player: text("player").notNull(),
    amount: integer("amount").notNull(),
    depositor: text("depositor"),
    requestedAt: integer("requested_at").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
  },
  (t) => [index("recon_requests_pending").on(t.status, t.amount, t.requestedAt)],
);

/** A deposit notice confirming a request: one each way while it stands. */
export const reconMatches = sqliteTable(
  "recon_matches",
  {
    messageId: text("message_id").primaryKey(),
    requestId: text("request_id").notNull(),
    player: text("player").notNull(),
    amount: integer("amount").notNull(),
    how: text("how", { enum: ["auto", "manual"] }).notNull(),
    /** approving: asked of the wallet; approved: the wallet credited it; refused: the wallet would not (the notice is back for review) */
    state: text("state", { enum: ["approving", "approved", "refused"] }).notNull(),
    matchedBy: text("matched_by").notNull(),
    matchedAt: integer("matched_at").notNull(),
    refusal: text("refusal"),
    settledAt: integer("settled_at"),
  },
  (t) => [uniqueIndex("recon_matches_request").on(t.requestId).where(sql`state <> 'refused'`)],
);

/** Printed depositor names staff confirmed as paying for a player: offered first, never approved alone. */
export const reconAliases = sqliteTable(
  "recon_aliases",
  {
    printed: text("printed").notNull(),
    player: text("player").notNull(),
    confirmedBy: text("confirmed_by").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.printed, t.player] })],
);
