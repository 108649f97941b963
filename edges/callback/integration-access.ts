import type { MiddlewareHandler } from "hono";
import { type ActingStaff, actingAs, can, inScope, type Permission, type StaffPrincipal } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { bearerToken, type EdgeEnv, verifyAccessToken } from "../shared/index.ts";
import { signedInStaff } from "../shared/staff-session.ts";

export type StaffEnv = { Variables: EdgeEnv["Variables"] & { staff: StaffPrincipal } };

/** A staff access token of a live session whose role grants `permission`. */
export function requireStaff(ctx: EdgeContext, permission: Permission): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw new PlatformError("unauthorized", "staff only: send Authorization: Bearer <staff access token>");
    c.set("claims", await verifyAccessToken(ctx, token));
    const staff = await signedInStaff(ctx, c);
    if (staff.mustChangePassword) throw new PlatformError("password_change_required", "change your temporary password first");
    if (!can(staff.role, permission)) throw new PlatformError("forbidden", `role ${staff.role} lacks ${permission}`);
    c.set("staff", staff);
    return next();
  };
}

export function assertScope(staff: StaffPrincipal, brand: string): void {
  if (!inScope(staff.brands, brand)) throw new PlatformError("forbidden", `brand ${brand} is outside your brand scope`);
}

/** Providers and the catalog are shared by every brand: only every-brand staff change them. */
export const globalOnly: MiddlewareHandler<StaffEnv> = async (c, next) => {
  if (c.var.staff.brands !== null) throw new PlatformError("forbidden", "providers and the game catalog are global: every-brand staff only");
  return next();
};

/** The path's `:brand` is in the member's scope (checked before anything is looked up) and exists. */
export function inBrandScope(ctx: EdgeContext): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const brand = brandIdSchema.safeParse(c.req.param("brand"));
    if (!brand.success) throw new PlatformError("validation_failed", "brand: not a brand id");
    assertScope(c.var.staff, brand.data);
    if (!ctx.brands.get(brand.data)) throw new PlatformError("brand_not_found", `no brand ${brand.data}`);
    return next();
  };
}

/** Who a change is made for, as the owning actor audits it. */
export const actingFor = (c: { var: { staff: StaffPrincipal } }): ActingStaff => actingAs(c.var.staff);

/** Whether the member may see a brand's settings (their per-brand switches). */
export const canSee = (staff: StaffPrincipal) => (brand: string) => inScope(staff.brands, brand);
