import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The runtime's own shard tables. Domains add theirs in `actors/<domain>/schema.ts`
 * and list them in drizzle.shard.config.ts.
 */

/** Outcomes of processed messages, written in the same transaction as the turn's effects; each actor prunes its own past the retention. */
export const actorJournal = sqliteTable(
  "actor_journal",
  {
    address: text("address").notNull(),
    messageId: text("message_id").notNull(),
    outcome: text("outcome").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.messageId] }), index("actor_journal_address_at_idx").on(t.address, t.at)],
);

/** Events waiting for the relay, written in the same transaction as the change. */
export const shardOutbox = sqliteTable("outbox", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  eventId: text("event_id").notNull().unique(),
  type: text("type").notNull(),
  payload: text("payload").notNull(),
  at: integer("at").notNull(),
  relayedAt: integer("relayed_at"),
});
