import type { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { IdentityProtocol } from "./messages.ts";
import type { IdentityOptions } from "./options.ts";
import { staffById, staffByUsername, staffView, writeAudit } from "./staff-rows.ts";
import type { Turn } from "./staff-turns.ts";

type Body<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["body"]>;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Open the session of a sign-in whose password the caller checked (and throttled: the
 * credentials module). Status and the password version are judged here, in the turn, so a
 * password changed meanwhile voids the sign-in. A refusal still commits its audit row.
 */
export async function openSession(tx: SqlExecutor, b: Body<"openSession">, turn: Turn, options: IdentityOptions): Promise<Outcome> {
  const row = await staffById(tx, b.staffId, true);
  if (!row || b.passwordVersion !== row.password_version) return fail("invalid_credentials", "wrong username or password");
  const by = { staffId: row.id, username: row.username, ip: b.ip };
  const audit = (action: string, after: unknown) => writeAudit(tx, { entryId: turn.id, by, action, brand: null, target: `staff:${row.id}`, after });
  if (row.status !== "active") {
    await audit("staff.login_refused", { reason: "disabled" });
    return fail("account_disabled", "this staff account is disabled");
  }
  const session = { id: b.sessionId ?? crypto.randomUUID(), staffId: row.id, expiresAt: turn.now + options.sessionTtlMs };
  await tx.query("update staff set last_login_at = $2::timestamptz where id = $1", [row.id, iso(turn.now)]);
  await tx.query(`insert into staff_sessions (id, staff_id, created_at, expires_at, ip, user_agent) values ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6)`, [
    session.id,
    row.id,
    iso(turn.now),
    iso(session.expiresAt),
    b.ip,
    b.userAgent,
  ]);
  await audit("staff.login", { sessionId: session.id });
  return ok({ session, staff: staffView((await staffById(tx, row.id))!) });
}

const FAILED_ACTIONS = { failed: "staff.login_failed", locked: "staff.locked", refused: "staff.login_refused" } as const;

/** The audit row of a refused sign-in, against the member when the name is one. */
export async function recordFailedLogin(tx: SqlExecutor, b: Body<"recordFailedLogin">, turn: Turn): Promise<Outcome> {
  const row = await staffByUsername(tx, b.username);
  const reason = b.result === "refused" ? "throttled" : row ? "wrong password" : "unknown username";
  await writeAudit(tx, {
    entryId: turn.id,
    by: { staffId: row?.id ?? null, username: row?.username ?? b.username, ip: b.ip },
    action: FAILED_ACTIONS[b.result],
    brand: null,
    target: row ? `staff:${row.id}` : null,
    after: { reason, attemptsLeft: b.attemptsLeft, until: b.until, userAgent: b.userAgent },
  });
  return ok({ recorded: true });
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
