import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { EdgeEnv, EdgeName } from "./env.ts";
import { edgeErrorHandler, notFoundEnvelope } from "./error-envelope.ts";
import { httpLatency } from "./http-metrics.ts";
import { serveOpenApiDocument } from "./openapi/index.ts";
import { mountProbes } from "./ops-endpoints.ts";

/** A route module: a Hono app with full paths (or paths under `prefix`), made from the node context. */
export type RouteModule = (ctx: EdgeContext) => Hono<any, any, any>;
export type RouteMount = { prefix: string; routes: RouteModule };

export type EdgeFrameOptions = {
  /**
   * Serve `/openapi.json` with the probes, to anyone (the default); false leaves it to the
   * edge to mount with `mountOpenApiDocument` after its own authentication.
   */
  publicDocument?: boolean;
};

const EDGE_DESCRIPTIONS: Record<EdgeName, string> = {
  gateway: "Players: `/api/v1/*` and the legacy root paths. The brand is the Host's.",
  agent: "Agents: the portal's `/api/v1/*`. The brand is the Host's.",
  admin: "Staff: the back office `/api/v1/*`, the `/ws` top-info socket and its page.",
  callback: "Game providers: signed seamless-wallet callbacks `/callbacks/{provider}/*`; staff: `/integration/*`.",
  internal: "Services and operators: `/internal/*` and `/metrics`, behind the service token.",
};

/**
 * The frame every edge shares, in order: request id (a sane incoming X-Request-Id or a new
 * one, echoed), HTTP latency, body size limit, one error envelope, the 404 envelope, and the
 * /healthz and /readyz probes and /openapi.json (registered first, so no later middleware
 * guards them).
 */
export function createEdgeApp(ctx: EdgeContext, edge: EdgeName, options: EdgeFrameOptions = {}): Hono<EdgeEnv> {
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
  if (options.publicDocument !== false) mountOpenApiDocument(app, edge);
  return app;
}

/** `GET /openapi.json`: the edge's OpenAPI document, covering every route mounted on it. */
export function mountOpenApiDocument(app: Hono<EdgeEnv>, edge: EdgeName): void {
  // the version of the `/api/v1` surfaces the document describes
  serveOpenApiDocument(app, { title: `Casino platform: the ${edge} edge`, version: "1", description: EDGE_DESCRIPTIONS[edge] });
}

export function mountRoutes(app: Hono<EdgeEnv>, ctx: EdgeContext, mounts: readonly RouteMount[]): Hono<EdgeEnv> {
  for (const mount of mounts) app.route(mount.prefix || "/", mount.routes(ctx));
  return app;
}

function tooLarge(limit: number): never {
  throw new PlatformError("payload_too_large", `the request body exceeds ${limit} bytes`);
}
