import type { Context, MiddlewareHandler } from "hono";
import { decode } from "hono/jwt";
import type { Brand } from "../../actors/catalog/index.ts";
import { can, inScope, type Permission, type StaffPrincipal, type StaffTokenIssuer } from "../../actors/identity/index.ts";
import { isBrandId } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { activeBrand, type EdgeEnv, signAccessToken } from "../shared/index.ts";
import { signedInStaff } from "../shared/staff-session.ts";

export { clientIp, signedInStaff } from "../shared/staff-session.ts";

/** Routes behind `staffGuard` know who is asking, and (for brand routes) the brand. */
export type StaffEnv = { Variables: EdgeEnv["Variables"] & { staff: StaffPrincipal; brand?: Brand } };
export type StaffBrandEnv = { Variables: EdgeEnv["Variables"] & { staff: StaffPrincipal; brand: Brand } };

/** A handler's context after `staffGuard` (for helpers that only read who asks and where). */
export type SignedIn = { var: { staff: StaffPrincipal } };
export type SignedInAtBrand = { var: { staff: StaffPrincipal; brand: Brand } };

/**
 * Staff tokens: `sub` is the staff id, `jti` the session id, `brand` the one brand of a
 * single-brand member and null otherwise, `role` as at login. Only `sub` and `jti` are
 * trusted: role and brand scope are read from the session on every request.
 */
export function staffTokenIssuer(ctx: EdgeContext): StaffTokenIssuer {
  return async ({ staffId, role, brands, ttlSeconds }) => {
    const brand = brands !== null && brands.length === 1 ? brands[0]! : null;
    const token = await signAccessToken(ctx, { sub: staffId, brand, role, kind: "staff" }, ttlSeconds);
    return { token, jti: String(decode(token).payload.jti) };
  };
}

type Where = "global" | "brand" | "brand-any-status";

/**
 * One guard per route: a staff token whose session is live, a role holding `need`, and for
 * brand routes a `:brand` within the member's scope (checked before the brand is looked up,
 * so nobody learns which brands exist outside their scope) that agrees with the Host.
 * A member with a temporary password may only change it.
 */
export function staffGuard(ctx: EdgeContext, need: Permission, where: Where = "global", options: { passwordChange?: boolean } = {}): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const staff = await signedInStaff(ctx, c);
    if (staff.mustChangePassword && !options.passwordChange) {
      throw new PlatformError("password_change_required", "change your temporary password first: POST /api/v1/auth/password");
    }
    if (!can(staff.role, need)) throw new PlatformError("forbidden", `role ${staff.role} may not do this (needs ${need})`);
    c.set("staff", staff);
    if (where !== "global") c.set("brand", brandInScope(ctx, c, staff, where));
    await next();
  };
}

function brandInScope(ctx: EdgeContext, c: Context<StaffEnv>, staff: StaffPrincipal, where: Where): Brand {
  const id = c.req.param("brand");
  if (!id || !isBrandId(id)) throw new PlatformError("validation_failed", "brand: a brand id is 1-40 lowercase letters, digits or dashes");
  if (!inScope(staff.brands, id)) throw new PlatformError("forbidden", `brand ${id} is outside your brand scope`);
  const named = c.var.brand;
  if (named && named.id !== id) throw new PlatformError("brand_mismatch", `the ${c.var.brandSource} names brand ${named.id}, the path names ${id}`);
  if (where === "brand") return activeBrand(ctx, id);
  const brand = ctx.brands.get(id);
  if (!brand) throw new PlatformError("brand_not_found", `no brand ${id}`);
  return brand;
}

export { valueOf } from "../shared/outcome.ts";
