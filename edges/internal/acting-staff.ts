import type { Context } from "hono";
import { type ActingStaff, actingAs, can, inScope, type Permission } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import type { BrandedEnv } from "../shared/index.ts";
import { clientIp, signedInStaff } from "../shared/staff-session.ts";

/**
 * Who acts in a change an internal caller asks for, for the audit the owning actor writes.
 *
 * A caller acting for a staff member forwards their token in `X-Access-Token`: the session must
 * be live, the role must hold `need` and the brand must be within the member's scope, exactly
 * as if the member had asked on the admin edge (a forwarded token is no way around a role).
 * Otherwise the change is the calling service's own, audited as `service:<name>` under the name
 * the caller gives (a migration job, a batch), never as a staff member: no staff id is taken on
 * the caller's word.
 */
export async function actingStaffOf(ctx: EdgeContext, c: Context<BrandedEnv>, need: Permission, said?: string): Promise<ActingStaff> {
  if (c.var.claims?.kind === "staff") {
    const staff = await signedInStaff(ctx, c);
    if (staff.mustChangePassword) throw new PlatformError("password_change_required", "the forwarded staff member must change their temporary password first");
    if (!can(staff.role, need)) throw new PlatformError("forbidden", `role ${staff.role} may not do this (needs ${need})`);
    if (!inScope(staff.brands, c.var.brand.id)) throw new PlatformError("forbidden", `brand ${c.var.brand.id} is outside the forwarded staff member's brand scope`);
    return actingAs(staff);
  }
  return { staffId: null, username: said === undefined ? "service" : `service:${said}`, ip: clientIp(c) };
}
