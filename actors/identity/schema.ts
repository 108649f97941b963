import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Back-office staff. `brands` null means every brand; otherwise the list of brand ids in scope.
 * Failed sign-ins and locks are not kept here: the credentials module's throttle counts them.
 */
export const staff = pgTable("staff", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  /** bumped on every password change, so a login verified against an old hash is refused */
  passwordVersion: integer("password_version").notNull().default(1),
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  role: text("role", { enum: ["owner", "admin", "finance", "support", "read_only"] }).notNull(),
  brands: jsonb("brands").$type<string[] | null>(),
  status: text("status", { enum: ["active", "disabled"] })
    .notNull()
    .default("active"),
  lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});

/** One row per login; the access token names it, every request checks it is still live. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokeReason: text("revoke_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId), index("staff_sessions_expires_idx").on(t.expiresAt)],
);

/** Every staff action: who, what, which brand, the state before and after. Append only. */
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigserial("seq", { mode: "bigint" }).primaryKey(),
    /** the message id that wrote it: a redelivered audit message adds no second row */
    entryId: text("entry_id").notNull().unique(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
    staffId: text("staff_id"),
    username: text("username").notNull(),
    action: text("action").notNull(),
    brandId: text("brand_id"),
    target: text("target"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
  },
  (t) => [index("audit_log_brand_idx").on(t.brandId, t.seq), index("audit_log_staff_idx").on(t.staffId, t.seq)],
);

/** Outcomes of the identity actor's messages, so a redelivered message replays its reply. */
export const identityOutcomes = pgTable(
  "identity_outcomes",
  {
    address: text("address").notNull(),
    messageId: text("message_id").notNull(),
    outcome: jsonb("outcome").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.address, t.messageId] }), index("identity_outcomes_at_idx").on(t.at)],
);
