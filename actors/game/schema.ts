import { sql } from "drizzle-orm";
import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The game registry, global in the central store: providers (code, dialect, secret,
 * allow-list), their games with the category that decides wagering contribution, and which
 * brands may use them. Per-brand rows override the "all brands" default.
 */
export const gameProviders = pgTable("game_providers", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  dialect: text("dialect", { enum: ["standard", "batch"] }).notNull(),
  secret: text("secret").notNull(),
  /** the secret before the last rotation, still accepted until `previous_secret_until` */
  previousSecret: text("previous_secret"),
  previousSecretUntil: timestamp("previous_secret_until", { withTimezone: true }),
  /** exact addresses or IPv4 CIDR ranges; empty means any address */
  ipAllowList: jsonb("ip_allow_list").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  allBrands: boolean("all_brands").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});

export const gameProviderBrands = pgTable(
  "game_provider_brands",
  {
    providerCode: text("provider_code")
      .notNull()
      .references(() => gameProviders.code),
    brandId: text("brand_id").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.providerCode, t.brandId] })],
);

export const games = pgTable(
  "games",
  {
    providerCode: text("provider_code")
      .notNull()
      .references(() => gameProviders.code),
    code: text("code").notNull(),
    name: text("name").notNull(),
    category: text("category").notNull(),
    allBrands: boolean("all_brands").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.providerCode, t.code] })],
);

export const gameBrands = pgTable(
  "game_brands",
  {
    providerCode: text("provider_code").notNull(),
    gameCode: text("game_code").notNull(),
    brandId: text("brand_id").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.providerCode, t.gameCode, t.brandId] })],
);

/** Outcomes of the registry actor's messages, written in the same transaction as the change. */
export const gameRegistryJournal = pgTable("game_registry_journal", {
  messageId: text("message_id").primaryKey(),
  outcome: jsonb("outcome").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
});

/** One row: bumped by every registry change, polled by each node's in-memory copy. */
export const gameRegistryVersion = pgTable("game_registry_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "bigint" }).notNull(),
});
