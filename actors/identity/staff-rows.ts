import type { SqlExecutor } from "../runtime/central-store.ts";
import type { ActingStaff, StaffView } from "./messages.ts";
import type { Role } from "./roles.ts";

export type StaffRow = {
  id: string;
  username: string;
  password_hash: string;
  password_version: number;
  must_change_password: boolean;
  role: Role;
  brands: string[] | null;
  status: "active" | "disabled";
  last_login_at: Date | null;
  created_at: Date;
};

const ms = (d: Date | string | null): number | null => (d === null ? null : new Date(d).getTime());

/** The row as callers see it: never the hash. */
export function staffView(row: StaffRow): StaffView {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    brands: row.brands,
    status: row.status,
    mustChangePassword: row.must_change_password,
    lastLoginAt: ms(row.last_login_at),
    createdAt: ms(row.created_at)!,
  };
}

export async function staffById(tx: SqlExecutor, id: string, lock = false): Promise<StaffRow | undefined> {
  const rows = await tx.query<StaffRow>(`select * from staff where id = $1${lock ? " for update" : ""}`, [id]);
  return rows[0];
}

export async function staffByUsername(tx: SqlExecutor, username: string, lock = false): Promise<StaffRow | undefined> {
  const rows = await tx.query<StaffRow>(`select * from staff where username = $1${lock ? " for update" : ""}`, [username]);
  return rows[0];
}

export type AuditWrite = {
  entryId: string;
  by: ActingStaff;
  action: string;
  brand: string | null;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  /** when the change committed (epoch ms); now by default */
  at?: number;
};

/**
 * Append one audit row; the same entry id twice writes it once. Returns its sequence number.
 * Before and after are JSON as the owning actor saw them, with bigints as digit strings and
 * every NUL and lone surrogate replaced (PostgreSQL's jsonb refuses either, and a record must
 * not be lost to it).
 */
export async function writeAudit(tx: SqlExecutor, entry: AuditWrite): Promise<string> {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(recordable(v), (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
  const rows = await tx.query<{ seq: bigint }>(
    `insert into audit_log (entry_id, staff_id, username, action, brand_id, target, before, after, ip, at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, coalesce($10::timestamptz, now()))
     on conflict (entry_id) do update set entry_id = excluded.entry_id
     returning seq`,
    [
      entry.entryId,
      entry.by.staffId,
      entry.by.username,
      entry.action,
      entry.brand,
      entry.target ?? null,
      json(entry.before),
      json(entry.after),
      entry.by.ip ?? null,
      entry.at === undefined ? null : new Date(entry.at).toISOString(),
    ],
  );
  return String(rows[0]!.seq);
}

/** Text jsonb takes: NUL and lone surrogates replaced by U+FFFD. */
const recordableText = (text: string) => text.replaceAll("\u0000", "\uFFFD").toWellFormed();

/** `value` with every string and key recordable, to a bounded depth (deeper is cut). */
function recordable(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return recordableText(value);
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return recordable((value as { toJSON(): unknown }).toJSON(), depth + 1);
  if (depth >= 64) return "(nested too deep)";
  if (Array.isArray(value)) return value.map((v) => recordable(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [recordableText(k), recordable(v, depth + 1)]));
}
