import { Hono } from "hono";
import type { NodeContext } from "../../supervisor/context.ts";
import { requireHealthy } from "../shared/index.ts";
import { authRoutes } from "./auth-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { gameRoutes } from "./game-routes.ts";
import { messageRoutes } from "./message-routes.ts";
import type { PlayerEnv } from "./player-access.ts";
import { profileRoutes } from "./profile-routes.ts";
import { walletRoutes } from "./wallet-routes.ts";

/** Every player route family, mounted at `/api/v1` of the gateway (and replayed by the legacy dialect). */
export function playerApiRoutes(ctx: NodeContext): Hono {
  const app = new Hono<PlayerEnv>()
    .use("*", requireHealthy(ctx, "player"))
    .route("/", authRoutes(ctx))
    .route("/", profileRoutes(ctx))
    .route("/", messageRoutes(ctx))
    .route("/", contentRoutes(ctx))
    .route("/", walletRoutes(ctx))
    .route("/", gameRoutes(ctx));
  // typed inside (c.var.player); the route registry takes plain Hono apps
  return app as unknown as Hono;
}
