import type { CentralStore } from "../runtime/central-store.ts";
import type { ActingStaff } from "./messages.ts";
import type { BrandScope, Role } from "./roles.ts";

/** A signed-in staff member as a request sees it, read fresh from the store on every request. */
export type StaffPrincipal = {
  staffId: string;
  username: string;
  role: Role;
  brands: BrandScope;
  sessionId: string;
  mustChangePassword: boolean;
  ip: string | null;
};

export function actingAs(p: StaffPrincipal): ActingStaff {
  return { staffId: p.staffId, username: p.username, ip: p.ip };
}

/**
 * The server-side session check: the token only names the session; role and brand scope come
 * from here, so a role change, a disable or a logout takes effect on the very next request.
 */
export async function authenticateSession(
  store: CentralStore,
  sessionId: string,
  now: number,
  seen: { staffId?: string; ip?: string | null } = {},
): Promise<StaffPrincipal | undefined> {
  const rows = await store.query<{ id: string; username: string; role: Role; brands: string[] | null; must_change_password: boolean }>(
    `select st.id, st.username, st.role, st.brands, st.must_change_password
       from staff_sessions s join staff st on st.id = s.staff_id
      where s.id = $1 and s.revoked_at is null and s.expires_at > $2::timestamptz and st.status = 'active'
        and ($3::text is null or st.id = $3)`,
    [sessionId, new Date(now).toISOString(), seen.staffId ?? null],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { staffId: row.id, username: row.username, role: row.role, brands: row.brands, sessionId, mustChangePassword: row.must_change_password, ip: seen.ip ?? null };
}

/** The session check bound to a store and a clock, as the node hands it to `StaffService`. */
export function staffSessions(store: CentralStore, now: () => number) {
  return (sessionId: string, seen: { staffId?: string; ip?: string | null } = {}) => authenticateSession(store, sessionId, now(), seen);
}
