import { Hono } from "hono";
import { z } from "zod";
import { type Brand, brandSettings } from "../../actors/catalog/index.ts";
import { gameCategorySchema, gameCodeSchema, gameKey, pageAfter, providerCodeSchema, registryPageQuery } from "../../actors/game/index.ts";
import { pageOf } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type PlayerEnv, requirePlayer, valueOf } from "./player-access.ts";

export const gameListQuery = registryPageQuery.extend({ provider: providerCodeSchema.optional() });
export const launchBody = z.object({ provider: providerCodeSchema, game: gameCodeSchema });
const lobbyGame = z.object({ provider: z.string(), code: z.string(), name: z.string(), category: gameCategorySchema }).meta({ id: "LobbyGame" });
const launched = z.object({
  url: z.string().describe("where the game opens: the brand's gameLaunchUrl template filled in"),
  token: z.string(),
  session: z.string(),
  expiresAt: z.number(),
});

const describeGames = describeWith({ tags: ["games"], errors: ["validation_failed", "brand_not_found", "brand_disabled"] });

/**
 * Where a launched game opens: the brand's `gameLaunchUrl` setting, a template with
 * {provider}, {game} and {token}; by default a path of the brand's own site.
 */
export function launchUrl(brand: Brand, provider: string, game: string, token: string): string {
  const template = brandSettings(brand).gameLaunchUrl;
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
    .get("/games", describeGames({ summary: "The brand's games", responses: { 200: pageOf(lobbyGame) } }), validated(gameListQuery, "query"), async (c) => {
      const q = c.req.valid("query");
      const page = pageAfter((await games()).registry.gamesForBrand(c.var.brand.id, q.provider), gameKey, q);
      return c.json({ ...page, items: page.items.map((g) => ({ provider: g.provider, code: g.code, name: g.name, category: g.category })) });
    })
    .post(
      "/games/launch",
      describeGames({
        summary: "Launch a game",
        description: "A game session and its signed token, which the provider's callbacks carry.",
        responses: { 200: launched },
        errors: ["unauthorized", "invalid_token", "token_expired", "bad_request", "not_found", "forbidden"],
      }),
      requirePlayer(ctx),
      validated(launchBody, "json"),
      async (c) => {
        const { provider, game } = c.req.valid("json");
        const brand = c.var.brand;
        const { token, session, expiresAt } = valueOf(await ctx.clients.game(brand.id).launch({ player: c.var.player.id, provider, game }));
        return c.json({ url: launchUrl(brand, provider, game, token), token, session, expiresAt });
      },
    );
}
