import type { Hono } from "hono";
import { z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { EdgeEnv, EdgeName } from "./env.ts";
import { errorResponse } from "./error-envelope.ts";
import { describe } from "./openapi/index.ts";

const probeReply = z.object({ status: z.enum(["ok", "ready"]), edge: z.string(), node: z.string() });

/** /healthz: the process answers. /readyz: the node can serve (`operations.readiness()`), or 503 with the reasons it cannot. */
export function mountProbes(app: Hono<EdgeEnv>, ctx: EdgeContext, edge: EdgeName): void {
  const alive = describe({ summary: "Whether the process answers", tags: ["edge"], responses: { 200: probeReply } });
  const ready = describe({
    summary: "Whether the node can serve now (booted, not draining, its stores reachable, no actor degraded)",
    tags: ["edge"],
    responses: { 200: probeReply },
    errors: ["unavailable"],
  });
  app.get("/healthz", alive, (c) => c.json({ status: "ok", edge, node: ctx.config.NODE_ID }));
  app.get("/readyz", ready, (c) => {
    const { ready, reasons } = ctx.operations.readiness();
    return ready
      ? c.json({ status: "ready", edge, node: ctx.config.NODE_ID })
      : errorResponse(c, new PlatformError("unavailable", `node ${ctx.config.NODE_ID} is not ready: ${reasons.join("; ")}`, { details: { reasons } }));
  });
}
