import type { Hono } from "hono";
import type { NodeContext } from "../../supervisor/context.ts";
import { errorResponse } from "./error-envelope.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeEnv, EdgeName } from "./env.ts";

/** /healthz: the process answers. /readyz: the node can serve (`readiness()`), or 503 with the reasons it cannot. */
export function mountProbes(app: Hono<EdgeEnv>, ctx: NodeContext, edge: EdgeName): void {
  app.get("/healthz", (c) => c.json({ status: "ok", edge, node: ctx.config.NODE_ID }));
  app.get("/readyz", (c) => {
    const { ready, reasons } = ctx.readiness();
    return ready
      ? c.json({ status: "ready", edge, node: ctx.config.NODE_ID })
      : errorResponse(c, new PlatformError("unavailable", `node ${ctx.config.NODE_ID} is not ready: ${reasons.join("; ")}`, { details: { reasons } }));
  });
}
