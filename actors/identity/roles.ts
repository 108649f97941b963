import { z } from "zod";

export const ROLES = ["owner", "admin", "finance", "support", "read_only"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/**
 * What a route may ask of a staff member. Reads are open to every role within its brands;
 * each write names the one permission it needs.
 */
export const PERMISSIONS = ["read", "finance.write", "players.write", "content.write", "games.write", "brands.write", "promotions.write", "brands.create", "staff.manage"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: ["read", "finance.write", "players.write", "content.write", "games.write", "brands.write", "promotions.write", "staff.manage"],
  finance: ["read", "finance.write"],
  support: ["read", "players.write", "content.write"],
  read_only: ["read"],
};

/** Higher rank may manage lower: an admin can create support staff, never an owner. */
const RANK: Record<Role, number> = { owner: 4, admin: 3, finance: 2, support: 2, read_only: 1 };

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function outranksOrEquals(manager: Role, managed: Role): boolean {
  return manager === "owner" || RANK[manager] > RANK[managed];
}

/** A staff member's brand scope: null is every brand. */
export type BrandScope = string[] | null;

export function inScope(scope: BrandScope, brand: string): boolean {
  return scope === null || scope.includes(brand);
}

/** Whether `inner` grants nothing `outer` lacks (a manager can only hand out its own brands). */
export function scopeWithin(inner: BrandScope, outer: BrandScope): boolean {
  if (outer === null) return true;
  return inner !== null && inner.every((b) => outer.includes(b));
}
