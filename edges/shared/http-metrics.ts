import type { MiddlewareHandler } from "hono";
import type { RuntimeMetrics } from "../../actors/runtime/metrics.ts";
import type { EdgeName } from "./env.ts";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Latency per edge, method and status; never per path, so label cardinality stays fixed. */
export function httpLatency(metrics: RuntimeMetrics, edge: EdgeName): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const method = METHODS.has(c.req.method) ? c.req.method : "OTHER";
      metrics.httpSeconds.observe({ edge, method, status: String(c.res.status) }, (performance.now() - started) / 1000);
    }
  };
}
