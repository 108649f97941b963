import type { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { IdentityProtocol } from "./messages.ts";
import { staffById, staffByUsername, staffView, writeAudit } from "./staff-rows.ts";

type Body<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["body"]>;
export type Turn = { id: string; now: number };

const iso = (ms: number) => new Date(ms).toISOString();

export async function createStaff(tx: SqlExecutor, b: Body<"createStaff">, turn: Turn): Promise<Outcome> {
  if (await staffByUsername(tx, b.username)) return fail("conflict", `username ${b.username} is taken`);
  const id = crypto.randomUUID();
  await tx.query(
    `insert into staff (id, username, password_hash, role, brands, must_change_password, created_at, updated_at)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz, $7::timestamptz)`,
    [id, b.username, b.passwordHash, b.role, JSON.stringify(b.brands), b.mustChangePassword, iso(turn.now)],
  );
  const view = staffView((await staffById(tx, id))!);
  await writeAudit(tx, { entryId: turn.id, by: b.by, action: "staff.create", brand: null, target: `staff:${id}`, after: view });
  return ok(view);
}

export async function updateStaff(tx: SqlExecutor, b: Body<"updateStaff">, turn: Turn): Promise<Outcome> {
  const row = await staffById(tx, b.staffId, true);
  if (!row) return fail("not_found", `no staff member ${b.staffId}`);
  const before = staffView(row);
  const role = b.role ?? row.role;
  const brands = b.brands === undefined ? row.brands : b.brands;
  const status = b.status ?? row.status;
  if (row.role === "owner" && (role !== "owner" || status !== "active") && (await otherActiveOwners(tx, row.id)) === 0) {
    return fail("conflict", "this is the last active owner; make another owner first");
  }
  await tx.query("update staff set role = $2, brands = $3::jsonb, status = $4, updated_at = $5::timestamptz where id = $1", [
    row.id,
    role,
    JSON.stringify(brands),
    status,
    iso(turn.now),
  ]);
  if (status === "disabled") await revokeSessions(tx, row.id, null, "staff disabled", turn.now);
  const after = staffView((await staffById(tx, row.id))!);
  // the unlock itself is the caller's, on the sign-in throttle, once this record of it commits
  const recorded = b.unlock ? { ...after, unlocked: true } : after;
  await writeAudit(tx, { entryId: turn.id, by: b.by, action: "staff.update", brand: null, target: `staff:${row.id}`, before, after: recorded });
  return ok(after);
}

export async function setPassword(tx: SqlExecutor, b: Body<"setStaffPassword">, turn: Turn): Promise<Outcome> {
  const row = await staffById(tx, b.staffId, true);
  if (!row) return fail("not_found", `no staff member ${b.staffId}`);
  if (row.password_version !== b.expectedVersion) return fail("conflict", "the password changed meanwhile; sign in again and retry");
  const version = row.password_version + 1;
  await tx.query("update staff set password_hash = $2, password_version = $3, must_change_password = $4, updated_at = $5::timestamptz where id = $1", [
    row.id,
    b.passwordHash,
    version,
    b.reason === "reset",
    iso(turn.now),
  ]);
  const revoked = await revokeSessions(tx, row.id, b.keepSession, `password ${b.reason}`, turn.now);
  // the hash itself never reaches the audit log
  await writeAudit(tx, {
    entryId: turn.id,
    by: b.by,
    action: b.reason === "reset" ? "staff.password_reset" : "staff.password_change",
    brand: null,
    target: `staff:${row.id}`,
    before: { passwordVersion: row.password_version },
    after: { passwordVersion: version, sessionsRevoked: revoked },
  });
  return ok({ passwordVersion: version });
}

export async function revokeSessions(tx: SqlExecutor, staffId: string, keep: string | null, reason: string, now: number): Promise<number> {
  const rows = await tx.query(
    `update staff_sessions set revoked_at = $3::timestamptz, revoke_reason = $4
      where staff_id = $1 and revoked_at is null and ($2::text is null or id <> $2) returning id`,
    [staffId, keep, iso(now), reason],
  );
  return rows.length;
}

async function otherActiveOwners(tx: SqlExecutor, id: string): Promise<number> {
  const rows = await tx.query<{ n: bigint }>("select count(*) as n from staff where role = 'owner' and status = 'active' and id <> $1", [id]);
  return Number(rows[0]!.n);
}
