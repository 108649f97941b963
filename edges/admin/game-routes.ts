import { Hono } from "hono";
import { z } from "zod";
import { gameRegistryProtocol, gameCodeSchema, providerCodeSchema, type ProviderView } from "../../actors/game/index.ts";
import { inScope, type StaffPrincipal } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { audit, staffGuard, valueOf, type SignedIn, type StaffBrandEnv } from "./staff-access.ts";

const providerParam = z.object({ code: providerCodeSchema });
const gameParam = z.object({ provider: providerCodeSchema, code: gameCodeSchema });
const brandProviderParam = z.object({ brand: z.string(), code: providerCodeSchema });
const brandGameParam = z.object({ brand: z.string(), provider: providerCodeSchema, code: gameCodeSchema });
const enabledBody = z.object({ enabled: z.boolean() });
const gamesQuery = z.object({ provider: providerCodeSchema.optional() });
const registerBody = gameRegistryProtocol.registerProvider.body;
const updateBody = gameRegistryProtocol.updateProvider.body.omit({ code: true });
const rotateBody = gameRegistryProtocol.rotateSecret.body.omit({ code: true });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true });

/** A provider as a member sees it: the per-brand switches of brands in their scope only. */
function scoped(p: ProviderView, staff: StaffPrincipal): ProviderView {
  return { ...p, brands: Object.fromEntries(Object.entries(p.brands).filter(([b]) => inScope(staff.brands, b))) };
}

/**
 * `/api/v1/providers`, `/api/v1/games` (the global registry: every-brand staff only) and
 * `/api/v1/brands/:brand/{providers,games}` (what a brand offers), through `game_registry`.
 */
export function gameRoutes(ctx: EdgeContext) {
  const registry = async () => {
    await ctx.game.whenReady();
    return ctx.game.registry;
  };
  const change = ctx.clients.gameRegistry();
  const everyBrand = (c: SignedIn) => {
    if (c.var.staff.brands !== null) throw new PlatformError("forbidden", "providers and the game catalog are shared by every brand: only staff with every brand in scope change them");
  };

  return new Hono<StaffBrandEnv>()
    .get("/providers", staffGuard(ctx, "read"), async (c) => c.json({ items: (await registry()).listProviders().map((p) => scoped(p, c.var.staff)) }))
    .post("/providers", staffGuard(ctx, "games.write"), validated(registerBody, "json"), async (c) => {
      everyBrand(c);
      const made = valueOf(await change.registerProvider(c.req.valid("json")));
      await audit(ctx, c, { action: "provider.register", brand: null, target: `provider:${made.provider.code}`, after: made.provider });
      return c.json(made, 201);
    })
    .patch("/providers/:code", staffGuard(ctx, "games.write"), validated(providerParam, "param"), validated(updateBody, "json"), async (c) => {
      everyBrand(c);
      const { code } = c.req.valid("param");
      const before = (await registry()).provider(code);
      const after = valueOf(await change.updateProvider({ code, ...c.req.valid("json") }));
      await audit(ctx, c, { action: "provider.update", brand: null, target: `provider:${code}`, before, after });
      return c.json(after);
    })
    .post("/providers/:code/rotate-secret", staffGuard(ctx, "games.write"), validated(providerParam, "param"), validated(rotateBody, "json"), async (c) => {
      everyBrand(c);
      const { code } = c.req.valid("param");
      const rotated = valueOf(await change.rotateSecret({ code, ...c.req.valid("json") }));
      // the secret itself is shown once and never audited
      await audit(ctx, c, { action: "provider.rotate_secret", brand: null, target: `provider:${code}`, after: { previousSecretUntil: rotated.provider.previousSecretUntil } });
      return c.json(rotated);
    })
    .put("/games/:provider/:code", staffGuard(ctx, "games.write"), validated(gameParam, "param"), validated(gameBody, "json"), async (c) => {
      everyBrand(c);
      const { provider, code } = c.req.valid("param");
      const before = (await registry()).game(provider, code);
      const after = valueOf(await change.upsertGame({ provider, code, ...c.req.valid("json") }));
      await audit(ctx, c, { action: "game.upsert", brand: null, target: `game:${provider}/${code}`, before, after });
      return c.json(after);
    })
    .get("/brands/:brand/providers", staffGuard(ctx, "read", "brand"), async (c) => {
      const r = await registry();
      return c.json({ items: r.listProviders().map((p) => ({ ...scoped(p, c.var.staff), enabled: r.providerEnabled(p.code, c.var.brand.id) })) });
    })
    .put("/brands/:brand/providers/:code", staffGuard(ctx, "games.write", "brand"), validated(brandProviderParam, "param"), validated(enabledBody, "json"), async (c) => {
      const { code } = c.req.valid("param");
      const { enabled } = c.req.valid("json");
      const before = (await registry()).providerEnabled(code, c.var.brand.id);
      const after = valueOf(await change.setProviderBrand({ code, brand: c.var.brand.id, enabled }));
      await audit(ctx, c, { action: "provider.set_brand", brand: c.var.brand.id, target: `provider:${code}`, before: { enabled: before }, after: { enabled } });
      return c.json(scoped(after, c.var.staff));
    })
    .get("/brands/:brand/games", staffGuard(ctx, "read", "brand"), validated(gamesQuery, "query"), async (c) => {
      const r = await registry();
      const brand = c.var.brand.id;
      const games = r.listGames(c.req.valid("query").provider);
      return c.json({ items: games.map((g) => ({ provider: g.provider, code: g.code, name: g.name, category: g.category, enabled: r.gameEnabled(g.provider, g.code, brand) })) });
    })
    .put("/brands/:brand/games/:provider/:code", staffGuard(ctx, "games.write", "brand"), validated(brandGameParam, "param"), validated(enabledBody, "json"), async (c) => {
      const { provider, code } = c.req.valid("param");
      const { enabled } = c.req.valid("json");
      const before = (await registry()).gameEnabled(provider, code, c.var.brand.id);
      valueOf(await change.setGameBrand({ provider, game: code, brand: c.var.brand.id, enabled }));
      await audit(ctx, c, { action: "game.set_brand", brand: c.var.brand.id, target: `game:${provider}/${code}`, before: { enabled: before }, after: { enabled } });
      return c.json({ provider, code, enabled });
    });
}
