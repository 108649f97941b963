import type { RouteMount } from "../shared/index.ts";
import { agentMoneyRoutes } from "./agent-money-routes.ts";
import { agentRoutes } from "./agent-routes.ts";
import { staffAuthRoutes } from "./auth-routes.ts";
import { brandRoutes } from "./brand-routes.ts";
import { cashierRoutes } from "./cashier-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { gameRoutes } from "./game-routes.ts";
import { playerRoutes } from "./player-routes.ts";
import { promotionRoutes } from "./promotion-routes.ts";
import { reconRoutes } from "./recon-routes.ts";
import { rollingRoutes } from "./rolling-routes.ts";
import { staffRoutes } from "./staff-routes.ts";
import { topInfoRoutes } from "./top-info-routes.ts";
import { topInfoSocketRoutes } from "./ws-top-info.ts";

const mount = (prefix: string, routes: RouteMount["routes"]): RouteMount => ({ prefix, routes });

/**
 * The back office on the admin edge: `/api/v1/*` (every route guarded per role and brand
 * scope, except sign-in) plus `/ws` and its page. Brand-scoped routes name the brand in the
 * path: `/api/v1/brands/:brand/...`.
 */
export const BACK_OFFICE_ROUTES: RouteMount[] = [
  mount("/api/v1", staffAuthRoutes),
  mount("/api/v1", staffRoutes),
  mount("/api/v1", brandRoutes),
  mount("/api/v1", topInfoRoutes),
  mount("/api/v1", cashierRoutes),
  mount("/api/v1", playerRoutes),
  mount("/api/v1", rollingRoutes),
  mount("/api/v1", promotionRoutes),
  mount("/api/v1", contentRoutes),
  mount("/api/v1", gameRoutes),
  mount("/api/v1", reconRoutes),
  mount("/api/v1", agentRoutes),
  mount("/api/v1", agentMoneyRoutes),
  mount("", topInfoSocketRoutes),
];
