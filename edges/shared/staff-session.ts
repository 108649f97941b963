import type { Context } from "hono";
import type { StaffPrincipal } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { clientAddress } from "./client-address.ts";
import type { EdgeContext } from "./edge-context.ts";

/**
 * The staff member behind a verified staff token whose session is still live. Role and
 * brand scope come from the session (identity's read), never from the token.
 */
export async function signedInStaff(ctx: EdgeContext, c: Context<any>): Promise<StaffPrincipal> {
  const claims = c.var.claims;
  if (!claims) throw new PlatformError("unauthorized", "log in first: send Authorization: Bearer <access token>");
  if (claims.kind !== "staff") throw new PlatformError("forbidden", "this is not a staff token");
  const staff = await ctx.staff.authenticate(claims.jti, { staffId: claims.sub, ip: clientIp(c) });
  if (!staff) throw new PlatformError("invalid_token", "this session has ended (logged out, expired, or the account changed); log in again");
  return staff;
}

/** The caller's address as the socket saw it (no proxy headers are trusted). */
export const clientIp = clientAddress;
