import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { EdgeEnv, EdgeName } from "./env.ts";
import { edgeErrorHandler, notFoundEnvelope } from "./error-envelope.ts";
import { httpLatency } from "./http-metrics.ts";
import { mountProbes } from "./ops-endpoints.ts";

/** A route module: a Hono app with full paths (or paths under `prefix`), made from the node context. */
export type RouteModule = (ctx: EdgeContext) => Hono<any, any, any>;
export type RouteMount = { prefix: string; routes: RouteModule };

/**
 * The frame every edge shares, in order: request id (a sane incoming X-Request-Id or a new
 * one, echoed), HTTP latency, body size limit, one error envelope, the 404 envelope, and the
 * /healthz and /readyz probes (registered first, so no later middleware guards them).
 */
export function createEdgeApp(ctx: EdgeContext, edge: EdgeName): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  app.onError(edgeErrorHandler(ctx.log.child({ edge })));
  app.notFound(notFoundEnvelope);
  app.use("*", requestId({ limitLength: 128 }));
  app.use("*", async (c, next) => {
    c.set("edge", edge);
    await next();
  });
  app.use("*", httpLatency(ctx.metrics, edge));
  app.use("*", bodyLimit({ maxSize: ctx.config.BODY_LIMIT_BYTES, onError: () => tooLarge(ctx.config.BODY_LIMIT_BYTES) }));
  mountProbes(app, ctx, edge);
  return app;
}

export function mountRoutes(app: Hono<EdgeEnv>, ctx: EdgeContext, mounts: readonly RouteMount[]): Hono<EdgeEnv> {
  for (const mount of mounts) app.route(mount.prefix || "/", mount.routes(ctx));
  return app;
}

function tooLarge(limit: number): never {
  throw new PlatformError("payload_too_large", `the request body exceeds ${limit} bytes`);
}
