import type { EdgeContext } from "../../shared/edge-context.ts";
import { legacyDialect } from "../../shared/legacy/index.ts";
import { createGatewayEdge } from "../index.ts";
import { playerApiRoutes } from "../player-api-routes.ts";
import { LEGACY_ROUTES } from "./legacy-table.ts";

/** The legacy player dialect's root paths, replayed against the gateway's own `/api/v1`. */
export function legacyRoutes(ctx: EdgeContext) {
  return legacyDialect(createGatewayEdge(ctx, [{ prefix: "/api/v1", routes: playerApiRoutes }]), LEGACY_ROUTES, { name: "player" });
}
