import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** The brand catalog: every edge resolves brands from these tables. */
export const brands = pgTable("brands", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  currency: text("currency").notNull().default("KRW"),
  status: text("status", { enum: ["active", "disabled"] })
    .notNull()
    .default("active"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});

export const brandDomains = pgTable("brand_domains", {
  domain: text("domain").primaryKey(),
  brandId: text("brand_id")
    .notNull()
    .references(() => brands.id),
  /** which edge this host serves: gateway (players), agent, admin */
  surface: text("surface", { enum: ["gateway", "agent", "admin"] })
    .notNull()
    .default("gateway"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
});

export const brandConfig = pgTable("brand_config", {
  brandId: text("brand_id")
    .primaryKey()
    .references(() => brands.id),
  config: jsonb("config").notNull().default(sql`'{}'::jsonb`),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});

export const agentBrand = pgTable(
  "agent_brand",
  {
    agentId: text("agent_id").notNull(),
    brandId: text("brand_id")
      .notNull()
      .references(() => brands.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.brandId] })],
);

/** Outcomes of the catalog actor's messages, written in the transaction of the change; pruned past the journal retention. */
export const catalogOutcomes = pgTable(
  "catalog_outcomes",
  {
    messageId: text("message_id").primaryKey(),
    outcome: jsonb("outcome").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("catalog_outcomes_at_idx").on(t.at)],
);
