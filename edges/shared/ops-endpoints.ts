import type { Hono } from "hono";
import type { EdgeContext } from "./edge-context.ts";
import { errorResponse } from "./error-envelope.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeEnv, EdgeName } from "./env.ts";

/** /healthz: the process answers. /readyz: the node has booted and is not draining. */
export function mountProbes(app: Hono<EdgeEnv>, ctx: EdgeContext, edge: EdgeName): void {
  app.get("/healthz", (c) => c.json({ status: "ok", edge, node: ctx.config.NODE_ID }));
  app.get("/readyz", (c) =>
    ctx.isReady()
      ? c.json({ status: "ready", edge, node: ctx.config.NODE_ID })
      : errorResponse(c, new PlatformError("unavailable", `node ${ctx.config.NODE_ID} is starting or draining`)),
  );
}
