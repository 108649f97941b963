import type { RouteMount } from "../shared/index.ts";
import { staffAuthRoutes } from "./auth-routes.ts";
import { brandRoutes } from "./brand-routes.ts";
import { cashierRoutes } from "./cashier-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { gameRoutes } from "./game-routes.ts";
import { playerRoutes } from "./player-routes.ts";
import { staffRoutes } from "./staff-routes.ts";
import { topInfoRoutes } from "./top-info-routes.ts";
import { topInfoSocketRoutes } from "./ws-top-info.ts";

/**
 * The back office on the admin edge: `/api/v1/*` (every route guarded per role and brand
 * scope, except sign-in) plus `/ws` and its page. Brand-scoped routes name the brand in the
 * path: `/api/v1/brands/:brand/...`.
 */
export const BACK_OFFICE_ROUTES: RouteMount[] = [
  { prefix: "/api/v1", routes: staffAuthRoutes },
  { prefix: "/api/v1", routes: staffRoutes },
  { prefix: "/api/v1", routes: brandRoutes },
  { prefix: "/api/v1", routes: topInfoRoutes },
  { prefix: "/api/v1", routes: cashierRoutes },
  { prefix: "/api/v1", routes: playerRoutes },
  { prefix: "/api/v1", routes: contentRoutes },
  { prefix: "/api/v1", routes: gameRoutes },
  { prefix: "", routes: topInfoSocketRoutes },
];
