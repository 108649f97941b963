import type { MiddlewareHandler } from "hono";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { EdgeEnv } from "./env.ts";

/**
 * Refuse work for a brand's domain the supervisor marked degraded (restart intensity
 * exceeded): 503 with Retry-After instead of feeding a crash loop. Global domains when the
 * request has no brand.
 */
export function requireHealthy(ctx: EdgeContext, domain: string): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const brand = c.var.brand?.id ?? null;
    const degraded = ctx.operations.degradation(domain, brand);
    if (degraded) {
      throw new PlatformError("degraded", `${domain}${brand ? ` for brand ${brand}` : ""} is recovering from repeated failures; retry later`, {
        retryAfterSeconds: Math.max(1, Math.ceil(degraded.retryAfterMs / 1000)),
      });
    }
    return next();
  };
}
