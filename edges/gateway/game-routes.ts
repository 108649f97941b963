import { Hono } from "hono";
import { z } from "zod";
import { gameCodeSchema, providerCodeSchema } from "../../actors/game/index.ts";
import type { Brand } from "../../actors/catalog/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";

export const gameListQuery = z.object({ provider: providerCodeSchema.optional() });
export const launchBody = z.object({ provider: providerCodeSchema, game: gameCodeSchema });

/**
 * Where a launched game opens: the brand's `gameLaunchUrl` setting, a template with
 * {provider}, {game} and {token}; by default a path of the brand's own site.
 */
export function launchUrl(brand: Brand, provider: string, game: string, token: string): string {
  const template = typeof brand.config.gameLaunchUrl === "string" ? brand.config.gameLaunchUrl : "/play/{provider}/{game}?token={token}";
  const values: Record<string, string> = { provider, game, token };
  return template.replace(/\{(provider|game|token)\}/g, (_, k: string) => encodeURIComponent(values[k]!));
}

/** `/api/v1/games`: the brand's enabled games, and a launch (the game domain's session token). */
export function gameRoutes(ctx: EdgeContext) {
  const games = async () => {
    await ctx.game.whenReady();
    return ctx.game;
  };
  return new Hono<PlayerEnv>()
    .get("/games", validated(gameListQuery, "query"), async (c) => {
      const items = (await games()).registry.gamesForBrand(c.var.brand.id, c.req.valid("query").provider);
      return c.json({ items: items.map((g) => ({ provider: g.provider, code: g.code, name: g.name, category: g.category })) });
    })
    .post("/games/launch", requirePlayer(ctx), validated(launchBody, "json"), async (c) => {
      const { provider, game } = c.req.valid("json");
      const brand = c.var.brand;
      const { token, session, expiresAt } = valueOf(await ctx.clients.game(brand.id).launch({ player: c.var.player.id, provider, game }));
      return c.json({ url: launchUrl(brand, provider, game, token), token, session, expiresAt });
    });
}
