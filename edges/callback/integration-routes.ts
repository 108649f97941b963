import { Hono } from "hono";
import { z } from "zod";
import {
  gameCodeSchema,
  gameKey,
  gameProtocol,
  gameRegistryProtocol,
  gameView,
  launchReply,
  pageAfter,
  playerIdSchema,
  providerCodeSchema,
  providerKey,
  providerView,
  providerWithSecret,
  registryPageQuery,
  roundDetailView,
  roundIdSchema,
  roundView,
  sessionView,
  withSwitchesVisibleTo,
} from "../../actors/game/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingFor, assertScope, canSee, globalOnly, inBrandScope, requireStaff, type StaffEnv } from "./integration-access.ts";

const enabledBody = z.object({ enabled: z.boolean() });
const registerBody = gameRegistryProtocol.registerProvider.body.omit({ by: true });
const updateBody = gameRegistryProtocol.updateProvider.body.omit({ code: true, by: true });
const rotateBody = gameRegistryProtocol.rotateSecret.body.omit({ code: true, by: true });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true, by: true });
const launchBody = gameProtocol.launch.body;
const codeParam = z.object({ code: providerCodeSchema });
const brandParam = z.object({ brand: brandIdSchema });
const brandCodeParam = brandParam.extend({ code: providerCodeSchema });
const gameParam = codeParam.extend({ game: gameCodeSchema });
const brandGameParam = gameParam.extend({ brand: brandIdSchema });
const roundParam = brandParam.extend({ provider: providerCodeSchema, round: roundIdSchema });
const gamesQuery = registryPageQuery.extend({ brand: brandIdSchema.optional(), provider: providerCodeSchema.optional() });
const sessionsQuery = pageQuerySchema.extend({ player: playerIdSchema.optional() });
const roundsQuery = pageQuerySchema.extend({ player: playerIdSchema.optional(), provider: providerCodeSchema.optional(), status: z.enum(["open", "closed"]).optional() });

const staffRefusals = ["unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "validation_failed"] as const;
const describeRead = describeWith({ tags: ["integration"], errors: staffRefusals });
const describeChange = describeWith({ tags: ["integration"], errors: [...staffRefusals, "bad_request"] });
const providerReply = z.object({ provider: providerView });
const gameReply = z.object({ game: gameView });

/**
 * Staff tools for provider integration under `/integration`: the provider registry, the game
 * catalog with per-brand enablement, launch sessions and rounds. A staff access token with a
 * live session (checked server-side, as on the admin edge); reads need `read`, changes
 * `games.write`; global changes (providers, catalog) need every-brand staff, brand changes
 * staff whose scope holds that brand. The registry audits every change it makes for them, as
 * for the same change on the admin edge; members see the per-brand switches of their brands only.
 */
export function integrationRoutes(ctx: EdgeContext) {
  const game = ctx.game;
  const registry = ctx.clients.gameRegistry();
  const brandActor = ctx.clients.game;
  const write = requireStaff(ctx, "games.write");
  const read = requireStaff(ctx, "read");
  const brandInScope = inBrandScope(ctx);

  const app = new Hono<StaffEnv>()
    .use("/integration/*", async (_c, next) => {
      await game.whenReady();
      return next();
    })
    .get(
      "/integration/providers",
      describeRead({ summary: "Providers, without secrets", responses: { 200: pageOf(providerView) } }),
      read,
      validated(registryPageQuery, "query"),
      (c) => {
        const page = pageAfter(game.registry.listProviders(), providerKey, c.req.valid("query"));
        return c.json({ ...page, items: page.items.map((p) => withSwitchesVisibleTo(p, canSee(c.var.staff))) });
      },
    )
    .get(
      "/integration/providers/:code",
      describeRead({ summary: "One provider", responses: { 200: providerReply }, errors: ["not_found"] }),
      read,
      validated(codeParam, "param"),
      (c) => {
        const provider = game.registry.provider(c.req.valid("param").code);
        if (!provider) throw new PlatformError("not_found", `no provider ${c.req.valid("param").code}`);
        return c.json({ provider: withSwitchesVisibleTo(provider, canSee(c.var.staff)) });
      },
    )
    .post(
      "/integration/providers",
      describeChange({ summary: "Register a provider (its secret is shown once)", responses: { 201: providerWithSecret }, errors: ["conflict"] }),
      write,
      globalOnly,
      validated(registerBody, "json"),
      async (c) => c.json(valueOf(await registry.registerProvider({ ...c.req.valid("json"), by: actingFor(c) })), 201),
    )
    .patch(
      "/integration/providers/:code",
      describeChange({ summary: "Change a provider", responses: { 200: providerReply }, errors: ["not_found"] }),
      write,
      globalOnly,
      validated(codeParam, "param"),
      validated(updateBody, "json"),
      async (c) => c.json({ provider: valueOf(await registry.updateProvider({ ...c.req.valid("json"), code: c.req.valid("param").code, by: actingFor(c) })) }),
    )
    .post(
      "/integration/providers/:code/rotate-secret",
      describeChange({ summary: "A new provider secret; the old one stays valid for graceSeconds", responses: { 200: providerWithSecret }, errors: ["not_found"] }),
      write,
      globalOnly,
      validated(codeParam, "param"),
      validated(rotateBody, "json"),
      async (c) => c.json(valueOf(await registry.rotateSecret({ ...c.req.valid("json"), code: c.req.valid("param").code, by: actingFor(c) }))),
    )
    .put(
      "/integration/providers/:code/brands/:brand",
      describeChange({ summary: "Switch a provider on or off for a brand", responses: { 200: providerReply }, errors: ["not_found", "brand_not_found"] }),
      write,
      brandInScope,
      validated(brandCodeParam, "param"),
      validated(enabledBody, "json"),
      async (c) => {
        const provider = valueOf(await registry.setProviderBrand({ ...c.req.valid("param"), enabled: c.req.valid("json").enabled, by: actingFor(c) }));
        return c.json({ provider: withSwitchesVisibleTo(provider, canSee(c.var.staff)) });
      },
    )
    .get(
      "/integration/games",
      describeRead({ summary: "The game catalog, or what one brand offers", responses: { 200: pageOf(gameView) } }),
      read,
      validated(gamesQuery, "query"),
      (c) => {
        const q = c.req.valid("query");
        if (q.brand) assertScope(c.var.staff, q.brand);
        const games = q.brand ? game.registry.gamesForBrand(q.brand, q.provider) : game.registry.listGames(q.provider);
        const page = pageAfter(games, gameKey, q);
        return c.json({ ...page, items: page.items.map((g) => withSwitchesVisibleTo(g, canSee(c.var.staff))) });
      },
    )
    .put(
      "/integration/providers/:code/games/:game",
      describeChange({ summary: "Add or change a game of the catalog", responses: { 200: gameReply }, errors: ["not_found"] }),
      write,
      globalOnly,
      validated(gameParam, "param"),
      validated(gameBody, "json"),
      async (c) => {
        const { code, game: gameCode } = c.req.valid("param");
        return c.json({ game: valueOf(await registry.upsertGame({ ...c.req.valid("json"), provider: code, code: gameCode, by: actingFor(c) })) });
      },
    )
    .put(
      "/integration/providers/:code/games/:game/brands/:brand",
      describeChange({ summary: "Switch a game on or off for a brand", responses: { 200: gameReply }, errors: ["not_found", "brand_not_found"] }),
      write,
      brandInScope,
      validated(brandGameParam, "param"),
      validated(enabledBody, "json"),
      async (c) => {
        const { code, game: gameCode, brand } = c.req.valid("param");
        const changed = valueOf(await registry.setGameBrand({ provider: code, game: gameCode, brand, enabled: c.req.valid("json").enabled, by: actingFor(c) }));
        return c.json({ game: withSwitchesVisibleTo(changed, canSee(c.var.staff)) });
      },
    )
    .post(
      "/integration/brands/:brand/sessions",
      describeChange({ summary: "A launch session for a player, as the gateway's launch issues", responses: { 201: launchReply }, errors: ["not_found", "brand_not_found"] }),
      write,
      brandInScope,
      validated(brandParam, "param"),
      validated(launchBody, "json"),
      async (c) => c.json(valueOf(await brandActor(c.req.valid("param").brand).launch(c.req.valid("json"))), 201),
    )
    .get(
      "/integration/brands/:brand/sessions",
      describeRead({ summary: "A brand's launch sessions, newest first", responses: { 200: pageOf(sessionView) }, errors: ["brand_not_found"] }),
      read,
      brandInScope,
      validated(brandParam, "param"),
      validated(sessionsQuery, "query"),
      async (c) => c.json(valueOf(await brandActor(c.req.valid("param").brand).sessions(c.req.valid("query")))),
    )
    .get(
      "/integration/brands/:brand/rounds",
      describeRead({ summary: "A brand's rounds, newest first", responses: { 200: pageOf(roundView) }, errors: ["brand_not_found"] }),
      read,
      brandInScope,
      validated(brandParam, "param"),
      validated(roundsQuery, "query"),
      async (c) => c.json(valueOf(await brandActor(c.req.valid("param").brand).rounds(c.req.valid("query")))),
    )
    .get(
      "/integration/brands/:brand/rounds/:provider/:round",
      describeRead({ summary: "One round with its bets, wins and rollbacks", responses: { 200: z.object({ round: roundDetailView }) }, errors: ["not_found", "brand_not_found"] }),
      read,
      brandInScope,
      validated(roundParam, "param"),
      async (c) => {
        const { brand, provider, round } = c.req.valid("param");
        return c.json({ round: valueOf(await brandActor(brand).round({ provider, round })) });
      },
    );
  return app;
}
