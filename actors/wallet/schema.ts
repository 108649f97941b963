import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { catalogTables } from "../catalog/index.ts";

const { brands } = catalogTables;

/**
 * The wallet's ledger in the central store. The `wallet@brand` actor is the only writer;
 * balances are a cached projection of postings, checked hourly by reconciliation.
 */

const money = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`);

export const walletAccounts = pgTable(
  "wallet_accounts",
  {
    id: uuid("id").primaryKey(),
    brandId: text("brand_id")
      .notNull()
      .references(() => brands.id),
    ownerKind: text("owner_kind", { enum: ["player", "agent", "brand"] }).notNull(),
    ownerId: text("owner_id").notNull(),
    type: text("type", { enum: ["cash", "bonus", "locked", "house", "provider", "clearing"] }).notNull(),
    currency: text("currency").notNull(),
    balance: money("balance").notNull().default(sql`0`),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex("wallet_accounts_owner_type_uq").on(t.brandId, t.ownerKind, t.ownerId, t.type),
    // brand accounts are the other side of every entry and may go negative; holders' may not
    check("wallet_accounts_holder_non_negative", sql`${t.ownerKind} = 'brand' OR ${t.balance} >= 0`),
    check(
      "wallet_accounts_type_fits_owner",
      sql`(${t.ownerKind} = 'player' AND ${t.type} IN ('cash', 'bonus', 'locked'))
        OR (${t.ownerKind} = 'agent' AND ${t.type} IN ('cash', 'locked'))
        OR (${t.ownerKind} = 'brand' AND ${t.type} IN ('house', 'provider', 'clearing'))`,
    ),
  ],
);

/** Every command that reached a decision, accepted or refused, under its idempotency key. */
export const walletTransactions = pgTable(
  "wallet_transactions",
  {
    id: uuid("id").primaryKey(),
    /** insertion order; not commit order under the pipelined commit (postings carry that: `number`) */
    seq: bigserial("seq", { mode: "bigint" }).notNull(),
    brandId: text("brand_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** hash of the canonical request: same key with another fingerprint is a duplicate */
    fingerprint: text("fingerprint").notNull(),
    kind: text("kind").notNull(),
    status: text("status", { enum: ["accepted", "refused"] }).notNull(),
    refusalCode: text("refusal_code"),
    /** the first outcome, replayed (with the current balance) for the same request */
    reply: jsonb("reply").notNull(),
    amount: money("amount").notNull().default(sql`0`),
    playerId: text("player_id"),
    roundId: text("round_id"),
    gameCode: text("game_code"),
    gameCategory: text("game_category"),
    provider: text("provider"),
    /** the idempotency key this one refers to: the bet of a win or rollback */
    reference: text("reference"),
    metadata: jsonb("metadata"),
    /** the message that recorded it: a redelivery of that message gets `reply` as it was */
    messageId: text("message_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("wallet_transactions_key_uq").on(t.brandId, t.idempotencyKey),
    index("wallet_transactions_reference_idx").on(t.brandId, t.reference).where(sql`${t.reference} is not null`),
  ],
);

/**
 * Double entry: the postings of one transaction sum to zero. No foreign keys: they would
 * lock the brand's house rows once per posting on the hot path; the single writer inserts
 * accounts and transactions in the same batch, and reconciliation checks the sums.
 */
export const walletPostings = pgTable(
  "wallet_postings",
  {
    /**
     * The posting's place in its brand's ledger, in commit order: the single writer numbers
     * postings as it decides them, and its batches commit in the order they were decided.
     * Statements list and page by it.
     */
    number: money("number").notNull(),
    transactionId: uuid("transaction_id").notNull(),
    accountId: uuid("account_id").notNull(),
    brandId: text("brand_id").notNull(),
    amount: money("amount").notNull(),
    balanceAfter: money("balance_after").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.transactionId, t.accountId] }),
    // a number given twice (a writer that did not continue from the stored maximum) fails the commit
    uniqueIndex("wallet_postings_brand_number_uq").on(t.brandId, t.number),
    index("wallet_postings_account_number_idx").on(t.accountId, t.number),
  ],
);

/** The writer's fencing token: every batch commits only while its epoch is current. */
export const walletEpochs = pgTable("wallet_epochs", {
  brandId: text("brand_id")
    .primaryKey()
    .references(() => brands.id),
  epoch: money("epoch").notNull(),
  /** the last batch the epoch's writer committed: each batch commits only after the one before */
  batch: money("batch").notNull().default(sql`0`),
  holder: text("holder").notNull(),
  takenAt: timestamp("taken_at", { withTimezone: true }).notNull().default(sql`now()`),
});

/**
 * Deposits and withdrawals waiting for staff (or recon), and their decisions. `player_id` is
 * the holder: the agent, for an agent's withdrawal (`kind` agent_withdrawal).
 */
export const walletRequests = pgTable(
  "wallet_requests",
  {
    seq: bigserial("seq", { mode: "bigint" }).notNull(),
    brandId: text("brand_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind", { enum: ["deposit", "withdrawal"] }).notNull(),
    playerId: text("player_id").notNull(),
    amount: money("amount").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
    details: jsonb("details"),
    requestTransactionId: uuid("request_transaction_id").notNull(),
    decisionTransactionId: uuid("decision_transaction_id"),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.id] }),
    index("wallet_requests_pending_idx").on(t.brandId, t.kind, t.seq).where(sql`${t.status} = 'pending'`),
    // player first: a lookup by request id must never find this index a cheaper way into the brand
    index("wallet_requests_by_player_idx").on(t.playerId, t.brandId, t.kind, t.seq),
  ],
);

/** Outcome of a processed message id, so a redelivered message gets the same reply (not kept when it is on the transaction the message recorded). */
export const walletMessages = pgTable(
  "wallet_messages",
  {
    brandId: text("brand_id").notNull(),
    messageId: text("message_id").notNull(),
    outcome: jsonb("outcome").notNull(),
    /** another domain's event: kept as long as the outbox relay can replay it */
    event: boolean("event").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.messageId] }), index("wallet_messages_created_idx").using("brin", t.createdAt)],
);

/** Players whose bets are refused (USER_DISABLED), kept from `player.suspended` and `player.reinstated`. */
export const walletSuspendedPlayers = pgTable(
  "wallet_suspended_players",
  {
    brandId: text("brand_id").notNull(),
    playerId: text("player_id").notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.playerId] })],
);

/** The bank account each player's withdrawals are paid to, kept from the player domain's events. */
export const walletPayoutAccounts = pgTable(
  "wallet_payout_accounts",
  {
    brandId: text("brand_id").notNull(),
    playerId: text("player_id").notNull(),
    bankName: text("bank_name").notNull(),
    accountNumber: text("account_number").notNull(),
    holder: text("holder").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.playerId] })],
);

/**
 * The wallet's own view of each player's wagering requirements, for the withdrawal gate: a
 * deposit approval or bonus grant the rolling domain must answer is `awaited` from the
 * commit that credited it; `rolling.created` (or any later event of the record) makes it
 * `open` with what remains; `completed`, `expired` and `cancelled` close it for good.
 */
export const walletRollings = pgTable(
  "wallet_rollings",
  {
    brandId: text("brand_id").notNull(),
    /** the deposit approval or bonus grant the requirement follows */
    sourceTransactionId: uuid("source_transaction_id").notNull(),
    playerId: text("player_id").notNull(),
    state: text("state", { enum: ["awaited", "open", "closed"] }).notNull(),
    rollingId: text("rolling_id"),
    remaining: money("remaining").notNull().default(sql`0`),
    /** the version of the rolling event the row follows (0 while awaited) */
    version: bigint("version", { mode: "number" }).notNull().default(sql`0`),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.sourceTransactionId] }),
    // player first, like the other per-player lookups of the batch read
    index("wallet_rollings_by_player_idx").on(t.playerId, t.brandId),
    index("wallet_rollings_awaited_idx").on(t.brandId, t.createdAt).where(sql`${t.state} = 'awaited'`),
  ],
);
