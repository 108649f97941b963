import { Hono } from "hono";
import { z } from "zod";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { clientIp, signedInStaff, staffGuard, staffTokenIssuer, valueOf, type StaffEnv } from "./staff-access.ts";

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const passwordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });

/** `/api/v1/auth/*`: staff sign-in, sign-out, who am I, and password change. */
export function staffAuthRoutes(ctx: EdgeContext) {
  const staff = () => ctx.staff;
  return new Hono<StaffEnv>()
    .post("/auth/login", validated(loginBody, "json"), async (c) => {
      const { username, password } = c.req.valid("json");
      const signedIn = valueOf(await staff().login({ username, password, ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null }, staffTokenIssuer(ctx)));
      return c.json({ accessToken: signedIn.accessToken, tokenType: "Bearer", expiresAt: signedIn.session.expiresAt, staff: signedIn.staff });
    })
    .post("/auth/logout", async (c) => {
      // a member with a temporary password may still sign out
      const me = await signedInStaff(ctx, c);
      return c.json(valueOf(await staff().logout(me)));
    })
    .get("/auth/me", staffGuard(ctx, "read", "global", { passwordChange: true }), (c) => {
      const { staffId, username, role, brands, mustChangePassword } = c.var.staff;
      return c.json({ staffId, username, role, brands, mustChangePassword });
    })
    .post("/auth/password", staffGuard(ctx, "read", "global", { passwordChange: true }), validated(passwordBody, "json"), async (c) => {
      const { currentPassword, newPassword } = c.req.valid("json");
      return c.json(valueOf(await staff().changePassword(c.var.staff, currentPassword, newPassword)));
    });
}
