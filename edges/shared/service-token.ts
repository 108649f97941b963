import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { bearerToken } from "./access-token.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { EdgeEnv } from "./env.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant time: both sides are hashed to equal-length digests before comparing. */
export function isServiceToken(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

/** Internal callers prove themselves with `Authorization: Bearer <SERVICE_TOKEN>`. */
export function requireServiceToken(ctx: EdgeContext): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const given = bearerToken(c.req.header("authorization"));
    if (!isServiceToken(ctx.config.secrets.service, given)) {
      c.header("WWW-Authenticate", 'Bearer realm="internal"');
      throw new PlatformError("unauthorized", given ? "the service token is wrong" : "send Authorization: Bearer <service token>");
    }
    return next();
  };
}
