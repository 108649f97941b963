import type { MiddlewareHandler } from "hono";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { TokenKind } from "./access-token.ts";
import type { EdgeEnv } from "./env.ts";

/**
 * Routes that need a logged-in caller: a verified token (set by brand resolution) of one of
 * `kinds`, and when `roles` is given, one of those roles.
 */
export function requireAccess(options: { kinds: readonly TokenKind[]; roles?: readonly string[] }): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const claims = c.var.claims;
    if (!claims) throw new PlatformError("unauthorized", "log in first: send Authorization: Bearer <access token>");
    if (!options.kinds.includes(claims.kind) || (options.roles && !options.roles.includes(claims.role))) {
      throw new PlatformError("forbidden", `a ${claims.kind} with role ${claims.role} may not do this`);
    }
    return next();
  };
}
