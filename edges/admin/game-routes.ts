import { Hono } from "hono";
import { z } from "zod";
import {
  gameCategorySchema,
  gameCodeSchema,
  gameKey,
  gameRegistryProtocol,
  gameView,
  type ProviderView,
  pageAfter,
  providerCodeSchema,
  providerKey,
  providerView,
  providerWithSecret,
  registryPageQuery,
  withSwitchesVisibleTo,
} from "../../actors/game/index.ts";
import { actingAs, inScope, type StaffPrincipal } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageOf } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedIn, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const providerParam = z.object({ code: providerCodeSchema });
const gameParam = z.object({ provider: providerCodeSchema, code: gameCodeSchema });
const brandParam = z.object({ brand: brandIdSchema });
const brandProviderParam = brandParam.extend({ code: providerCodeSchema });
const brandGameParam = brandParam.extend({ provider: providerCodeSchema, code: gameCodeSchema });
const enabledBody = z.object({ enabled: z.boolean() });
const gamesQuery = registryPageQuery.extend({ provider: providerCodeSchema.optional() });
const registerBody = gameRegistryProtocol.registerProvider.body.omit({ by: true });
const updateBody = gameRegistryProtocol.updateProvider.body.omit({ code: true, by: true });
const rotateBody = gameRegistryProtocol.rotateSecret.body.omit({ code: true, by: true });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true, by: true });

const brandProvider = providerView.extend({ enabled: z.boolean().describe("whether the brand may use it now") });
const brandGame = z.object({ provider: z.string(), code: z.string(), name: z.string(), category: gameCategorySchema, enabled: z.boolean() });

const staffRefusals = ["unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "validation_failed"] as const;
const describeRegistry = describeWith({ tags: ["providers and games"], errors: staffRefusals });
const describeBrandRegistry = describeWith({ tags: ["providers and games"], errors: [...staffRefusals, "brand_not_found", "brand_mismatch", "brand_disabled"] });

/** A provider as a member sees it: the per-brand switches of brands in their scope only. */
const scoped = <V extends { brands: Record<string, boolean> }>(view: V, staff: StaffPrincipal): V => withSwitchesVisibleTo(view, (brand) => inScope(staff.brands, brand));

/**
 * `/api/v1/providers`, `/api/v1/games` (the global registry: every-brand staff only) and
 * `/api/v1/brands/:brand/{providers,games}` (what a brand offers), through `game_registry`,
 * which audits each change in the same transaction as the change.
 */
export function gameRoutes(ctx: EdgeContext) {
  const registry = async () => {
    await ctx.game.whenReady();
    return ctx.game.registry;
  };
  const change = ctx.clients.gameRegistry();
  const everyBrand = (c: SignedIn) => {
    if (c.var.staff.brands !== null)
      throw new PlatformError("forbidden", "providers and the game catalog are shared by every brand: only staff with every brand in scope change them");
  };

  return new Hono<StaffBrandEnv>()
    .get(
      "/providers",
      describeRegistry({ summary: "Providers, without secrets", responses: { 200: pageOf(providerView) } }),
      staffGuard(ctx, "read"),
      validated(registryPageQuery, "query"),
      async (c) => {
        const page = pageAfter((await registry()).listProviders(), providerKey, c.req.valid("query"));
        return c.json({ ...page, items: page.items.map((p) => scoped(p, c.var.staff)) });
      },
    )
    .post(
      "/providers",
      describeRegistry({ summary: "Register a provider (its secret is shown once)", responses: { 201: providerWithSecret }, errors: ["conflict", "bad_request"] }),
      staffGuard(ctx, "games.write"),
      validated(registerBody, "json"),
      async (c) => {
        everyBrand(c);
        return c.json(valueOf(await change.registerProvider({ ...c.req.valid("json"), by: actingAs(c.var.staff) })), 201);
      },
    )
    .patch(
      "/providers/:code",
      describeRegistry({ summary: "Change a provider", responses: { 200: providerView }, errors: ["not_found", "bad_request"] }),
      staffGuard(ctx, "games.write"),
      validated(providerParam, "param"),
      validated(updateBody, "json"),
      async (c) => {
        everyBrand(c);
        return c.json(valueOf(await change.updateProvider({ code: c.req.valid("param").code, ...c.req.valid("json"), by: actingAs(c.var.staff) })));
      },
    )
    .post(
      "/providers/:code/rotate-secret",
      describeRegistry({
        summary: "A new provider secret; the old one stays valid for graceSeconds",
        responses: { 200: providerWithSecret },
        errors: ["not_found", "bad_request"],
      }),
      staffGuard(ctx, "games.write"),
      validated(providerParam, "param"),
      validated(rotateBody, "json"),
      async (c) => {
        everyBrand(c);
        return c.json(valueOf(await change.rotateSecret({ code: c.req.valid("param").code, ...c.req.valid("json"), by: actingAs(c.var.staff) })));
      },
    )
    .put(
      "/games/:provider/:code",
      describeRegistry({ summary: "Add or change a game of the catalog", responses: { 200: gameView }, errors: ["not_found", "bad_request"] }),
      staffGuard(ctx, "games.write"),
      validated(gameParam, "param"),
      validated(gameBody, "json"),
      async (c) => {
        everyBrand(c);
        const { provider, code } = c.req.valid("param");
        return c.json(valueOf(await change.upsertGame({ provider, code, ...c.req.valid("json"), by: actingAs(c.var.staff) })));
      },
    )
    .get(
      "/brands/:brand/providers",
      describeBrandRegistry({ summary: "Providers and whether the brand may use each", responses: { 200: pageOf(brandProvider) } }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      validated(registryPageQuery, "query"),
      async (c) => {
        const r = await registry();
        const page = pageAfter(r.listProviders(), providerKey, c.req.valid("query"));
        const withEnabled = (p: ProviderView) => ({ ...scoped(p, c.var.staff), enabled: r.providerEnabled(p.code, c.var.brand.id) });
        return c.json({ ...page, items: page.items.map(withEnabled) });
      },
    )
    .put(
      "/brands/:brand/providers/:code",
      describeBrandRegistry({ summary: "Switch a provider on or off for the brand", responses: { 200: providerView }, errors: ["not_found", "bad_request"] }),
      staffGuard(ctx, "games.write", "brand"),
      validated(brandProviderParam, "param"),
      validated(enabledBody, "json"),
      async (c) => {
        const changed = valueOf(
          await change.setProviderBrand({ code: c.req.valid("param").code, brand: c.var.brand.id, enabled: c.req.valid("json").enabled, by: actingAs(c.var.staff) }),
        );
        return c.json(scoped(changed, c.var.staff));
      },
    )
    .get(
      "/brands/:brand/games",
      describeBrandRegistry({ summary: "The game catalog and whether the brand offers each game", responses: { 200: pageOf(brandGame) } }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      validated(gamesQuery, "query"),
      async (c) => {
        const r = await registry();
        const brand = c.var.brand.id;
        const q = c.req.valid("query");
        const page = pageAfter(r.listGames(q.provider), gameKey, q);
        return c.json({
          ...page,
          items: page.items.map((g) => ({ provider: g.provider, code: g.code, name: g.name, category: g.category, enabled: r.gameEnabled(g.provider, g.code, brand) })),
        });
      },
    )
    .put(
      "/brands/:brand/games/:provider/:code",
      describeBrandRegistry({
        summary: "Switch a game on or off for the brand",
        responses: { 200: z.object({ provider: z.string(), code: z.string(), enabled: z.boolean() }) },
        errors: ["not_found", "bad_request"],
      }),
      staffGuard(ctx, "games.write", "brand"),
      validated(brandGameParam, "param"),
      validated(enabledBody, "json"),
      async (c) => {
        const { provider, code } = c.req.valid("param");
        const { enabled } = c.req.valid("json");
        valueOf(await change.setGameBrand({ provider, game: code, brand: c.var.brand.id, enabled, by: actingAs(c.var.staff) }));
        return c.json({ provider, code, enabled });
      },
    );
}
