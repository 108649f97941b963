import { Hono } from "hono";
import { z } from "zod";
import { DEVICE_TOKEN } from "../../actors/credentials/index.ts";
import { roleSchema, staffViewSchema, usernameSchema } from "../../actors/identity/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { clientIp, type StaffEnv, signedInStaff, staffGuard, staffTokenIssuer, valueOf } from "./staff-access.ts";

const loginBody = z.object({
  username: usernameSchema,
  password: z.string().min(1).max(200),
  deviceToken: z.string().regex(DEVICE_TOKEN, "the deviceToken an earlier sign-in answered").optional().describe("the deviceToken of an earlier sign-in on this device"),
});
const passwordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });

const signedInReply = z.object({
  accessToken: z.string().nullable(),
  tokenType: z.literal("Bearer"),
  expiresAt: z.number().describe("when the session ends (epoch ms)"),
  staff: staffViewSchema,
  deviceToken: z.string().nullable().describe("send it with the next sign-in from this device, which then passes a lock strangers caused"),
});
const whoAmI = z.object({ staffId: z.string(), username: z.string(), role: roleSchema, brands: z.array(z.string()).nullable(), mustChangePassword: z.boolean() });

const describeAuth = describeWith({ tags: ["auth"], errors: ["rate_limited"] });
const describeSignedIn = describeWith({ tags: ["auth"], errors: ["unauthorized", "invalid_token", "forbidden"] });

/** `/api/v1/auth/*`: staff sign-in, sign-out, who am I, and password change; sign-in and password checks are limited. */
export function staffAuthRoutes(ctx: EdgeContext) {
  return new Hono<StaffEnv>()
    .post(
      "/auth/login",
      describeAuth({
        summary: "Sign in",
        description:
          "A staff access token. Wrong passwords slow and then lock further attempts from devices the account does not know; an unknown username is answered exactly like a wrong password.",
        responses: { 200: signedInReply },
        errors: ["validation_failed", "bad_request", "invalid_credentials", "account_locked", "account_disabled", "overloaded"],
      }),
      validated(loginBody, "json"),
      async (c) => {
        const { username, password, deviceToken } = c.req.valid("json");
        const ip = clientIp(c);
        await ctx.rateLimits.take("staffLogin", { address: ip, account: username });
        const input = { username, password, deviceToken, ip, userAgent: c.req.header("user-agent") ?? null };
        const signedIn = valueOf(await ctx.staff.login(input, staffTokenIssuer(ctx)));
        return c.json({
          accessToken: signedIn.accessToken,
          tokenType: "Bearer" as const,
          expiresAt: signedIn.session.expiresAt,
          staff: signedIn.staff,
          deviceToken: signedIn.deviceToken,
        });
      },
    )
    .post(
      "/auth/logout",
      describeSignedIn({ summary: "Sign out", description: "Ends this session; allowed with a temporary password.", responses: { 200: z.object({ revoked: z.boolean() }) } }),
      async (c) => {
        // a member with a temporary password may still sign out
        const me = await signedInStaff(ctx, c);
        return c.json(valueOf(await ctx.staff.logout(me)));
      },
    )
    .get(
      "/auth/me",
      describeSignedIn({ summary: "Who am I", description: "Role and brand scope as the session holds them now.", responses: { 200: whoAmI } }),
      staffGuard(ctx, "read", "global", { passwordChange: true }),
      (c) => {
        const { staffId, username, role, brands, mustChangePassword } = c.var.staff;
        return c.json({ staffId, username, role, brands, mustChangePassword });
      },
    )
    .post(
      "/auth/password",
      describeSignedIn({
        summary: "Change my password",
        description:
          "Needs the current password (a wrong one counts toward the sign-in lockout); every other session ends. The one route open to a member with a temporary password.",
        responses: { 200: z.object({ passwordVersion: z.number() }) },
        errors: ["validation_failed", "bad_request", "invalid_credentials", "account_locked", "rate_limited", "conflict", "overloaded"],
      }),
      staffGuard(ctx, "read", "global", { passwordChange: true }),
      validated(passwordBody, "json"),
      async (c) => {
        const { currentPassword, newPassword } = c.req.valid("json");
        await ctx.rateLimits.take("staffPassword", { address: clientIp(c), account: c.var.staff.staffId });
        return c.json(valueOf(await ctx.staff.changePassword(c.var.staff, currentPassword, newPassword)));
      },
    );
}
