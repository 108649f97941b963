import type { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { AuditRow, IdentityProtocol, StaffView } from "./messages.ts";
import { type StaffRow, staffById, staffByUsername, staffView } from "./staff-rows.ts";

/** The identity actor's queries: reads answered in its turn, never journaled. */

type Body<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["body"]>;
type Reply<K extends keyof IdentityProtocol> = z.infer<IdentityProtocol[K]["reply"]>;
const noSuchMember = (staffId: string) => fail("not_found", `no staff member ${staffId}`);

export async function loginChallenge(db: SqlExecutor, b: Body<"loginChallenge">): Promise<Outcome<Reply<"loginChallenge">>> {
  const row = await staffByUsername(db, b.username);
  return ok(row ? { staffId: row.id, passwordHash: row.password_hash, passwordVersion: row.password_version, role: row.role, brands: row.brands } : null);
}

export async function credentials(db: SqlExecutor, b: Body<"credentials">): Promise<Outcome<Reply<"credentials">>> {
  const row = await staffById(db, b.staffId);
  return row ? ok({ username: row.username, passwordHash: row.password_hash, passwordVersion: row.password_version }) : noSuchMember(b.staffId);
}

export async function member(db: SqlExecutor, b: Body<"member">): Promise<Outcome<Reply<"member">>> {
  const row = await staffById(db, b.staffId);
  return row ? ok({ ...staffView(row), passwordVersion: row.password_version }) : noSuchMember(b.staffId);
}

/**
 * Staff a reader may see: those whose whole brand scope lies within the reader's (a member of
 * every brand is seen only by readers of every brand), a page at a time by username.
 */
export async function listStaff(db: SqlExecutor, b: Body<"listStaff">): Promise<Outcome<{ items: StaffView[]; nextCursor: string | null }>> {
  const rows = await db.query<StaffRow>(
    `select * from staff
      where ($1::jsonb is null or (jsonb_typeof(brands) = 'array' and brands <@ $1::jsonb)) and ($2::text is null or username > $2)
      order by username limit $3`,
    [b.within === null ? null : JSON.stringify(b.within), b.cursor ?? null, b.limit + 1],
  );
  return ok(pageFrom(rows.map(staffView), b.limit, (s) => s.username));
}

/**
 * The audit log, newest first. Readers of every brand see everything; readers scoped to
 * brands see only rows of those brands (global rows such as staff changes stay hidden).
 */
export async function readAudit(db: SqlExecutor, b: Body<"readAudit">): Promise<Outcome<{ items: AuditRow[]; nextCursor: string | null }>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (b.within !== null) add("brand_id = any(?::text[])", b.within);
  if (b.brand) add("brand_id = ?", b.brand);
  if (b.staffId) add("staff_id = ?", b.staffId);
  if (b.target) add("target = ?", b.target);
  if (b.action) add("action = ?", b.action);
  if (b.cursor) add("seq < ?::bigint", b.cursor);
  params.push(b.limit + 1);
  const rows = await db.query<{
    seq: bigint;
    at: Date;
    staff_id: string | null;
    username: string;
    action: string;
    brand_id: string | null;
    target: string | null;
    before: unknown;
    after: unknown;
    ip: string | null;
  }>(
    `select seq, at, staff_id, username, action, brand_id, target, before, after, ip from audit_log
      ${where.length ? `where ${where.join(" and ")}` : ""} order by seq desc limit $${params.length}`,
    params,
  );
  const items = rows.map((r) => ({
    seq: String(r.seq),
    at: new Date(r.at).getTime(),
    staffId: r.staff_id,
    username: r.username,
    action: r.action,
    brand: r.brand_id,
    target: r.target,
    before: r.before,
    after: r.after,
    ip: r.ip,
  }));
  return ok(pageFrom(items, b.limit, (a) => a.seq));
}

/** A page of `limit` from `limit + 1` rows: the extra one only says another page follows. */
function pageFrom<T>(rows: T[], limit: number, cursorOf: (item: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items.at(-1)!) : null };
}
