import type { CentralStore } from "../runtime/central-store.ts";
import type { StaffView } from "./messages.ts";
import type { StaffPrincipal } from "./principal.ts";
import { scopeWithin } from "./roles.ts";
import { staffView, type StaffRow } from "./staff-rows.ts";

/** Staff a manager can see: those whose whole brand scope lies within the manager's. */
export async function listStaff(store: CentralStore, by: StaffPrincipal): Promise<StaffView[]> {
  const rows = await store.query<StaffRow>("select * from staff order by username");
  return rows.filter((r) => scopeWithin(r.brands, by.brands)).map(staffView);
}

export type AuditRow = {
  seq: string;
  at: number;
  staffId: string | null;
  username: string;
  action: string;
  brand: string | null;
  target: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

export type AuditFilter = { brand?: string; staffId?: string; target?: string; action?: string; beforeSeq?: string; limit?: number };

/**
 * The audit log, newest first. Staff with every brand see everything; staff scoped to brands
 * see only rows of those brands (global rows such as staff changes stay hidden from them).
 */
export async function readAudit(store: CentralStore, by: StaffPrincipal, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (by.brands !== null) add("brand_id = any(?::text[])", by.brands);
  if (filter.brand) add("brand_id = ?", filter.brand);
  if (filter.staffId) add("staff_id = ?", filter.staffId);
  if (filter.target) add("target = ?", filter.target);
  if (filter.action) add("action = ?", filter.action);
  if (filter.beforeSeq) add("seq < ?::bigint", filter.beforeSeq);
  params.push(Math.min(Math.max(filter.limit ?? 50, 1), 500));
  const rows = await store.query<{
    seq: bigint; at: Date; staff_id: string | null; username: string; action: string; brand_id: string | null;
    target: string | null; before: unknown; after: unknown; ip: string | null;
  }>(
    `select seq, at, staff_id, username, action, brand_id, target, before, after, ip from audit_log
      ${where.length ? `where ${where.join(" and ")}` : ""} order by seq desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({
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
}
