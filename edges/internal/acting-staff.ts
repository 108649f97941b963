import type { Context } from "hono";
import { actingAs, type ActingStaff } from "../../actors/identity/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import type { BrandedEnv } from "../shared/index.ts";
import { clientIp, signedInStaff } from "../shared/staff-session.ts";

/**
 * Who acts in a change an internal caller asks for, for the audit the owning actor writes:
 * the staff member whose token the caller forwarded in `X-Access-Token` (their session must
 * still be live), else the name the caller gives, else "service".
 */
export async function actingStaffOf(ctx: EdgeContext, c: Context<BrandedEnv>, said?: string): Promise<ActingStaff> {
  if (c.var.claims?.kind === "staff") return actingAs(await signedInStaff(ctx, c));
  return { staffId: null, username: said ?? "service", ip: clientIp(c) };
}
