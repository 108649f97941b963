import { Hono, type Context } from "hono";
import { z } from "zod";
import { sameCaller } from "../../shared/client-address.ts";
import type { EdgeContext } from "../../shared/edge-context.ts";
import { bearerToken, validated, type BrandedEnv } from "../../shared/index.ts";
import { createGatewayEdge } from "../index.ts";
import { playerApiRoutes } from "../player-api-routes.ts";
import { legacyFailureResponse } from "./legacy-errors.ts";
import { LEGACY_ROUTES, type LegacyRoute } from "./legacy-table.ts";
import { legacyData, legacySuccess, twinRequest } from "./translate.ts";

const anyFields = z.record(z.string(), z.unknown());

/**
 * The legacy root paths. Each request is translated by its table row and replayed against
 * the `/api/v1` twin through a full gateway frame, so brand resolution, token checks and
 * validation are exactly those of `/api/v1`; the reply is mapped back into the legacy
 * envelope, always HTTP 200.
 */
export function legacyRoutes(ctx: EdgeContext) {
  const twin = createGatewayEdge(ctx, [{ prefix: "/api/v1", routes: playerApiRoutes }]);
  const app = new Hono<BrandedEnv>();
  for (const route of LEGACY_ROUTES) {
    app.on(route.method, route.path, validated(anyFields, "json"), async (c) => {
      const fields: Record<string, unknown> = { ...c.req.query(), ...c.req.valid("json") };
      // the caller's address goes with the replay: limits per address hold for legacy clients too
      const res = await twin.request(...twinCall(c, route, fields), sameCaller(c));
      if (!res.ok) return legacyFailureResponse(c, res);
      return c.json(legacySuccess(legacyData(route.reply, await res.json())));
    });
  }
  return app;
}

function twinCall(c: Context<BrandedEnv>, route: LegacyRoute, fields: Record<string, unknown>): [string, RequestInit] {
  const token = bearerToken(c.req.header("authorization")) ?? (typeof fields.token === "string" ? fields.token : undefined);
  const request = twinRequest(route, fields);
  const url = new URL(c.req.url);
  const headers = new Headers({ host: c.req.header("host") ?? url.host, "x-request-id": c.var.requestId });
  if (token) headers.set("authorization", `Bearer ${token}`);
  const key = c.req.header("idempotency-key");
  if (key) headers.set("idempotency-key", key);
  if (request.json) headers.set("content-type", "application/json");
  const query = request.query.size > 0 ? `?${request.query}` : "";
  return [`${url.origin}/api/v1${request.path}${query}`, { method: request.method, headers, body: request.json && JSON.stringify(request.json) }];
}
