import { websocket } from "hono/bun";
import { BACK_OFFICE_ROUTES } from "../edges/admin/back-office-routes.ts";
import { agentApiRoutes } from "../edges/agent/agent-api-routes.ts";
import { agentLegacyRoutes } from "../edges/agent/legacy/legacy-routes.ts";
import { callbackRoutes } from "../edges/callback/callback-routes.ts";
import { integrationRoutes } from "../edges/callback/integration-routes.ts";
import { reconWebhookRoutes } from "../edges/callback/recon-webhook-routes.ts";
import { replayRoutes } from "../edges/callback/replay-routes.ts";
import { legacyRoutes } from "../edges/gateway/legacy/legacy-routes.ts";
import { playerApiRoutes } from "../edges/gateway/player-api-routes.ts";
import type { EdgeRouteMount } from "../edges/index.ts";
import { commonRoutes } from "../edges/internal/common-routes.ts";
import { metaRoutes } from "../edges/internal/meta-routes.ts";
import { opsRoutes } from "../edges/internal/ops-routes.ts";
import { playersRoutes } from "../edges/internal/players-routes.ts";
import { promotionRoutes } from "../edges/internal/promotion-routes.ts";
import { reconInternalRoutes } from "../edges/internal/recon-routes.ts";
import { rollingRoutes } from "../edges/internal/rolling-routes.ts";
import { walletRoutes } from "../edges/internal/wallet-routes.ts";

/** The composition root for HTTP: every domain's route modules and where they mount. */
export const ROUTES: EdgeRouteMount[] = [
  { edge: "internal", prefix: "/internal/ops", routes: opsRoutes },
  { edge: "callback", prefix: "", routes: callbackRoutes },
  { edge: "callback", prefix: "", routes: integrationRoutes },
  { edge: "callback", prefix: "", routes: replayRoutes },
  { edge: "callback", prefix: "", routes: reconWebhookRoutes },
  { edge: "gateway", prefix: "/api/v1", routes: playerApiRoutes },
  { edge: "gateway", prefix: "/", routes: legacyRoutes },
  { edge: "agent", prefix: "/api/v1", routes: agentApiRoutes },
  { edge: "agent", prefix: "/", routes: agentLegacyRoutes },
  { edge: "internal", prefix: "/internal/players", routes: playersRoutes },
  { edge: "internal", prefix: "/internal/common", routes: commonRoutes },
  ...BACK_OFFICE_ROUTES.map((r) => ({ ...r, edge: "admin" as const })),
  { edge: "internal", prefix: "/internal/meta", routes: metaRoutes },
  { edge: "internal", prefix: "/internal/wallet", routes: walletRoutes },
  { edge: "internal", prefix: "/internal/recon", routes: reconInternalRoutes },
  { edge: "internal", prefix: "/internal/rolling", routes: rollingRoutes },
  { edge: "internal", prefix: "/internal/promotions", routes: promotionRoutes },
];

/** Websocket handlers per edge for Bun.serve (the admin edge's /ws). */
export const WEBSOCKETS: Partial<Record<EdgeRouteMount["edge"], Bun.WebSocketHandler<any>>> = { admin: websocket };
