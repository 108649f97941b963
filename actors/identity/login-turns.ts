import type { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, ok, type Outcome } from "../runtime/errors.ts";
import type { IdentityProtocol } from "./messages.ts";
import type { IdentityOptions } from "./options.ts";
import { staffById, staffByUsername, staffView, writeAudit, type StaffRow } from "./staff-rows.ts";
import type { Turn } from "./staff-turns.ts";

type Body<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["body"]>;
const iso = (ms: number) => new Date(ms).toISOString();

const WRONG = "wrong username or password";

/**
 * Record a login attempt whose password was already checked by the caller, and decide it:
 * lockout and status are judged here, in the turn, so concurrent attempts count exactly.
 * A failure still commits (the counter and the audit row); only its reply is a refusal.
 */
export async function recordLogin(tx: SqlExecutor, b: Body<"recordLogin">, turn: Turn, options: IdentityOptions): Promise<Outcome> {
  const row = b.staffId ? await staffById(tx, b.staffId, true) : await staffByUsername(tx, b.username, true);
  const by = { staffId: row?.id ?? null, username: row?.username ?? b.username, ip: b.ip };
  const audit = (action: string, after?: unknown) => writeAudit(tx, { entryId: turn.id, by, action, brand: null, target: row ? `staff:${row.id}` : null, after });
  if (!row) {
    await audit("staff.login_failed", { reason: "unknown username" });
    return fail("invalid_credentials", WRONG);
  }
  const lockedUntil = row.locked_until ? new Date(row.locked_until).getTime() : 0;
  if (lockedUntil > turn.now) {
    await audit("staff.login_refused", { reason: "locked", lockedUntil });
    return fail("account_locked", `too many failed sign-ins; try again after ${iso(lockedUntil)} or ask an admin to unlock the account`, { lockedUntil });
  }
  if (b.check !== "verified" || b.passwordVersion !== row.password_version) return failedAttempt(tx, row, turn, options, audit);
  if (row.status !== "active") {
    await audit("staff.login_refused", { reason: "disabled" });
    return fail("account_disabled", "this staff account is disabled");
  }
  const session = { id: b.sessionId ?? crypto.randomUUID(), staffId: row.id, expiresAt: turn.now + options.sessionTtlMs };
  await tx.query("update staff set failed_logins = 0, locked_until = null, last_login_at = $2::timestamptz where id = $1", [row.id, iso(turn.now)]);
  await tx.query(
    `insert into staff_sessions (id, staff_id, created_at, expires_at, ip, user_agent) values ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6)`,
    [session.id, row.id, iso(turn.now), iso(session.expiresAt), b.ip, b.userAgent],
  );
  await audit("staff.login", { sessionId: session.id });
  return ok({ session, staff: staffView((await staffById(tx, row.id))!) });
}

async function failedAttempt(
  tx: SqlExecutor,
  row: StaffRow,
  turn: Turn,
  options: IdentityOptions,
  audit: (action: string, after?: unknown) => Promise<string>,
): Promise<Outcome> {
  const failures = row.failed_logins + 1;
  const locks = failures >= options.maxFailedLogins;
  const lockedUntil = locks ? turn.now + options.lockMs : null;
  await tx.query("update staff set failed_logins = $2, locked_until = $3::timestamptz where id = $1", [
    row.id,
    locks ? 0 : failures,
    lockedUntil === null ? null : iso(lockedUntil),
  ]);
  await audit(locks ? "staff.locked" : "staff.login_failed", { failures, lockedUntil });
  if (locks) return fail("account_locked", `too many failed sign-ins; try again after ${iso(lockedUntil!)} or ask an admin to unlock the account`, { lockedUntil });
  return fail("invalid_credentials", WRONG);
}

export async function revokeSession(tx: SqlExecutor, b: Body<"revokeSession">, turn: Turn): Promise<Outcome> {
  const rows = await tx.query<{ staff_id: string }>(
    "update staff_sessions set revoked_at = $2::timestamptz, revoke_reason = $3 where id = $1 and revoked_at is null returning staff_id",
    [b.sessionId, iso(turn.now), b.reason],
  );
  if (rows.length > 0) {
    await writeAudit(tx, { entryId: turn.id, by: b.by, action: "staff.logout", brand: null, target: `session:${b.sessionId}`, after: { reason: b.reason } });
  }
  return ok({ revoked: rows.length > 0 });
}

/**
 * Delete dead sessions (expired or revoked: they are refused already, the audit log keeps their
 * history) and message outcomes past retention.
 */
export async function cleanupStale(tx: SqlExecutor, now: number, options: IdentityOptions): Promise<Outcome> {
  const sessions = await tx.query("delete from staff_sessions where expires_at <= $1::timestamptz or revoked_at is not null returning id", [iso(now)]);
  const outcomes = await tx.query("delete from identity_outcomes where at < $1::timestamptz returning message_id", [iso(now - options.retentionMs)]);
  return ok({ sessions: sessions.length, outcomes: outcomes.length });
}
