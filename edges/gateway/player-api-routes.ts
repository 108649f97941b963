import { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import { requireHealthy } from "../shared/index.ts";
import { authRoutes } from "./auth-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { gameRoutes } from "./game-routes.ts";
import { messageRoutes } from "./message-routes.ts";
import type { PlayerEnv } from "./player-access.ts";
import { profileRoutes } from "./profile-routes.ts";
import { promotionRoutes } from "./promotion-routes.ts";
import { rollingRoutes } from "./rolling-routes.ts";
import { walletRoutes } from "./wallet-routes.ts";

/** Every player route family, mounted at `/api/v1` of the gateway (and replayed by the legacy dialect). */
export function playerApiRoutes(ctx: EdgeContext) {
  return new Hono<PlayerEnv>()
    .use("*", requireHealthy(ctx, "player"))
    .route("/", authRoutes(ctx))
    .route("/", profileRoutes(ctx))
    .route("/", messageRoutes(ctx))
    .route("/", contentRoutes(ctx))
    .route("/", walletRoutes(ctx))
    .route("/", rollingRoutes(ctx))
    .route("/", promotionRoutes(ctx))
    .route("/", gameRoutes(ctx));
}
