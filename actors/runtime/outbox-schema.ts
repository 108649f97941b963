import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The central store's outbox: events written in the same transaction as the change they
 * describe (the wallet's batches), relayed to the event bus by OutboxRelay. `brand_id` null
 * is a global event. Insert through `outboxInsertSql` (actors/runtime/outbox-postgres.ts).
 */
export const outbox = pgTable(
  "outbox",
  {
    seq: bigserial("seq", { mode: "bigint" }).primaryKey(),
    eventId: text("event_id").notNull().unique(),
    brandId: text("brand_id"),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
    relayedAt: timestamp("relayed_at", { withTimezone: true }),
  },
  (t) => [
    // the relay's lookups (which brands have rows, a brand's oldest rows) touch only the brands
    // it relays; every insert pays for each index here, so there is no other on unrelayed rows
    index("outbox_unrelayed_by_brand_idx").on(sql`coalesce(${t.brandId}, '')`, t.seq).where(sql`${t.relayedAt} is null`),
  ],
);
