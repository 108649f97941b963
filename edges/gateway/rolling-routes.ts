import { Hono } from "hono";
import { rollingProtocol, rollingStatusSchema } from "../../actors/rolling/index.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, requireHealthy, validated } from "../shared/index.ts";
import { type PlayerEnv, requirePlayer, valueOf } from "./player-access.ts";

const rollingQuery = pageQuerySchema.extend({ status: rollingStatusSchema.optional().describe("only records of this status") });
const describeRolling = describeWith({
  tags: ["rolling"],
  errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "brand_mismatch", "account_suspended", "validation_failed", "degraded"],
});

/**
 * `/api/v1/rolling`: the player's wagering requirements (what each deposit and bonus still
 * needs before a withdrawal), read from `rolling@brand`.
 */
export function rollingRoutes(ctx: EdgeContext) {
  return new Hono<PlayerEnv>().use("/rolling", requireHealthy(ctx, "rolling"), requirePlayer(ctx)).get(
    "/rolling",
    describeRolling({
      summary: "Your wagering requirements",
      description:
        "Newest first, with what the open ones still need (`summary.remaining`): a withdrawal waits until it is 0. Bets count at their game category's rate toward the oldest open requirement first.",
      responses: { 200: rollingProtocol.playerRollings.reply },
    }),
    validated(rollingQuery, "query"),
    async (c) => c.json(valueOf(await ctx.clients.rolling(c.var.brand.id).playerRollings({ player: c.var.player.id, ...c.req.valid("query") }))),
  );
}
