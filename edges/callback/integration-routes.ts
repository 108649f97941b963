import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { gameCodeSchema, gameProtocol, gameRegistryProtocol, providerCodeSchema, type GameEdgeView } from "../../actors/game/index.ts";
import { can, inScope, type Permission, type StaffPrincipal } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { bearerToken, validated, verifyAccessToken, type EdgeEnv } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { signedInStaff } from "../shared/staff-session.ts";

export type StaffEnv = { Variables: EdgeEnv["Variables"] & { staff: StaffPrincipal } };

/**
 * Staff tools for provider integration under `/integration`: the provider registry, the game
 * catalog with per-brand enablement, launch sessions and rounds. A staff access token with a
 * live session (checked server-side, as on the admin edge); reads need `read`, changes
 * `games.write`; global changes (providers, catalog) need every-brand staff, brand changes
 * staff whose scope holds that brand.
 */
export function integrationRoutes(ctx: EdgeContext) {
  const game = ctx.game;
  const app = new Hono<StaffEnv>();
  const registry = ctx.clients.gameRegistry();
  const brandActor = ctx.clients.game;
  const write = requireStaff(ctx, "games.write");
  const read = requireStaff(ctx, "read");

  app.use("/integration/*", async (_c, next) => {
    await game.whenReady();
    return next();
  });

  app.get("/integration/providers", read, (c) => c.json({ providers: game.registry.listProviders() }));
  app.get("/integration/providers/:code", read, (c) => c.json({ provider: known(game, c.req.param("code")) }));
  app.post("/integration/providers", write, globalOnly, validated(registerBody, "json"), async (c) => c.json(valueOf(await registry.registerProvider(c.req.valid("json"))), 201));
  app.patch("/integration/providers/:code", write, globalOnly, validated(codeParam, "param"), validated(updateBody, "json"), async (c) =>
    c.json({ provider: valueOf(await registry.updateProvider({ ...c.req.valid("json"), code: c.req.valid("param").code })) }),
  );
  app.post("/integration/providers/:code/rotate-secret", write, globalOnly, validated(codeParam, "param"), validated(rotateBody, "json"), async (c) =>
    c.json(valueOf(await registry.rotateSecret({ ...c.req.valid("json"), code: c.req.valid("param").code }))),
  );
  app.put("/integration/providers/:code/brands/:brand", write, inBrandScope, validated(brandCodeParam, "param"), validated(enabledBody, "json"), async (c) =>
    c.json({ provider: valueOf(await registry.setProviderBrand({ ...c.req.valid("param"), enabled: c.req.valid("json").enabled })) }),
  );

  app.get("/integration/games", read, validated(gamesQuery, "query"), (c) => {
    const q = c.req.valid("query");
    if (q.brand) assertScope(c.var.staff, q.brand);
    return c.json({ games: q.brand ? game.registry.gamesForBrand(q.brand, q.provider) : game.registry.listGames(q.provider) });
  });
  app.put("/integration/providers/:code/games/:game", write, globalOnly, validated(gameParam, "param"), validated(gameBody, "json"), async (c) =>
    c.json({ game: valueOf(await registry.upsertGame({ ...c.req.valid("json"), provider: c.req.valid("param").code, code: c.req.valid("param").game })) }),
  );
  app.put("/integration/providers/:code/games/:game/brands/:brand", write, inBrandScope, validated(brandGameParam, "param"), validated(enabledBody, "json"), async (c) => {
    const { code, game: gameCode, brand } = c.req.valid("param");
    return c.json({ game: valueOf(await registry.setGameBrand({ provider: code, game: gameCode, brand, enabled: c.req.valid("json").enabled })) });
  });

  app.post("/integration/brands/:brand/sessions", write, inBrandScope, validated(brandParam, "param"), validated(launchBody, "json"), async (c) =>
    c.json(valueOf(await brandActor(c.req.valid("param").brand).launch(c.req.valid("json"))), 201),
  );
  app.get("/integration/brands/:brand/sessions", read, inBrandScope, validated(brandParam, "param"), validated(sessionsQuery, "query"), async (c) =>
    c.json(valueOf(await brandActor(c.req.valid("param").brand).sessions(c.req.valid("query")))),
  );
  app.get("/integration/brands/:brand/rounds", read, inBrandScope, validated(brandParam, "param"), validated(roundsQuery, "query"), async (c) =>
    c.json(valueOf(await brandActor(c.req.valid("param").brand).rounds(c.req.valid("query")))),
  );
  app.get("/integration/brands/:brand/rounds/:provider/:round", read, inBrandScope, validated(roundParam, "param"), async (c) => {
    const { brand, provider, round } = c.req.valid("param");
    return c.json({ round: valueOf(await brandActor(brand).round({ provider, round })) });
  });

  return app;
}

const enabledBody = z.object({ enabled: z.boolean() });
const registerBody = gameRegistryProtocol.registerProvider.body;
const updateBody = gameRegistryProtocol.updateProvider.body.omit({ code: true });
const rotateBody = gameRegistryProtocol.rotateSecret.body.omit({ code: true });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true });
const launchBody = gameProtocol.launch.body;
const codeParam = z.object({ code: providerCodeSchema });
const brandParam = z.object({ brand: brandIdSchema });
const brandCodeParam = brandParam.extend({ code: providerCodeSchema });
const gameParam = codeParam.extend({ game: gameCodeSchema });
const brandGameParam = gameParam.extend({ brand: brandIdSchema });
const roundParam = brandParam.extend({ provider: providerCodeSchema, round: z.string().min(1).max(200) });
const gamesQuery = z.object({ brand: brandIdSchema.optional(), provider: z.string().max(63).optional() });
const limit = z.coerce.number().int().min(1).max(200).default(50);
const sessionsQuery = z.object({ player: z.string().min(1).max(200).optional(), limit });
const roundsQuery = z.object({
  player: z.string().min(1).max(200).optional(),
  provider: z.string().max(63).optional(),
  status: z.enum(["open", "closed"]).optional(),
  cursor: z.string().max(60).optional(),
  limit,
});

/** A staff access token of a live session whose role grants `permission`. */
export function requireStaff(ctx: EdgeContext, permission: Permission): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw new PlatformError("unauthorized", "staff only: send Authorization: Bearer <staff access token>");
    c.set("claims", await verifyAccessToken(ctx, token));
    const staff = await signedInStaff(ctx, c);
    if (staff.mustChangePassword) throw new PlatformError("password_change_required", "change your temporary password first");
    if (!can(staff.role, permission)) throw new PlatformError("forbidden", `role ${staff.role} lacks ${permission}`);
    c.set("staff", staff);
    return next();
  };
}

export function assertScope(staff: StaffPrincipal, brand: string): void {
  if (!inScope(staff.brands, brand)) throw new PlatformError("forbidden", `brand ${brand} is outside your brand scope`);
}

const globalOnly: MiddlewareHandler<StaffEnv> = async (c, next) => {
  if (c.var.staff.brands !== null) throw new PlatformError("forbidden", "providers and the game catalog are global: every-brand staff only");
  return next();
};

const inBrandScope: MiddlewareHandler<StaffEnv> = async (c, next) => {
  const brand = brandIdSchema.safeParse(c.req.param("brand"));
  if (!brand.success) throw new PlatformError("validation_failed", "brand: not a brand id");
  assertScope(c.var.staff, brand.data);
  return next();
};

function known(game: GameEdgeView, code: string) {
  const provider = game.registry.provider(code);
  if (!provider) throw new PlatformError("not_found", `no provider ${code}`);
  return provider;
}
