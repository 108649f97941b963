import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { gameDomain, gameProtocol, gameRegistryProtocol, REGISTRY_ADDRESS, type GameDomain } from "../../actors/game/index.ts";
import { can, inScope, type Permission, type StaffPrincipal } from "../../actors/identity/index.ts";
import { brandIdSchema, formatAddress } from "../../actors/runtime/address.ts";
import { PlatformError, type Outcome } from "../../actors/runtime/errors.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { signedInStaff } from "../admin/staff-access.ts";
import { bearerToken, validated, verifyAccessToken, type EdgeEnv } from "../shared/index.ts";

export type StaffEnv = { Variables: EdgeEnv["Variables"] & { staff: StaffPrincipal } };

/**
 * Staff tools for provider integration under `/integration`: the provider registry, the game
 * catalog with per-brand enablement, launch sessions and rounds. A staff access token with a
 * live session (checked server-side, as on the admin edge); reads need `read`, changes
 * `games.write`; global changes (providers, catalog) need every-brand staff, brand changes
 * staff whose scope holds that brand.
 */
export function integrationRoutes(ctx: NodeContext): Hono {
  const game = gameDomain(ctx);
  const app = new Hono<StaffEnv>();
  const registry = (type: keyof typeof gameRegistryProtocol, body: unknown) => answer(ctx.system.askOutcome(REGISTRY_ADDRESS, type, body));
  const brandActor = (brand: string, type: keyof typeof gameProtocol, body: unknown) => answer(ctx.system.askOutcome(formatAddress("game", brand), type, body));
  const write = requireStaff(ctx, "games.write");
  const read = requireStaff(ctx, "read");

  app.use("/integration/*", async (_c, next) => {
    await game.whenReady();
    return next();
  });

  app.get("/integration/providers", read, (c) => c.json({ providers: game.registry.listProviders() }));
  app.get("/integration/providers/:code", read, (c) => c.json({ provider: known(game, c.req.param("code")) }));
  app.post("/integration/providers", write, globalOnly, async (c) => c.json(await registry("registerProvider", await c.req.json()), 201));
  app.patch("/integration/providers/:code", write, globalOnly, async (c) =>
    c.json({ provider: await registry("updateProvider", { ...(await c.req.json()), code: c.req.param("code") }) }),
  );
  app.post("/integration/providers/:code/rotate-secret", write, globalOnly, async (c) =>
    c.json(await registry("rotateSecret", { ...(await jsonOrEmpty(c)), code: c.req.param("code") })),
  );
  app.put("/integration/providers/:code/brands/:brand", write, inBrandScope, validated(enabledBody, "json"), async (c) =>
    c.json({ provider: await registry("setProviderBrand", { code: c.req.param("code"), brand: c.req.param("brand"), enabled: c.req.valid("json").enabled }) }),
  );

  app.get("/integration/games", read, validated(gamesQuery, "query"), (c) => {
    const q = c.req.valid("query");
    if (q.brand) assertScope(c.var.staff, q.brand);
    return c.json({ games: q.brand ? game.registry.gamesForBrand(q.brand, q.provider) : game.registry.listGames(q.provider) });
  });
  app.put("/integration/providers/:code/games/:game", write, globalOnly, async (c) =>
    c.json({ game: await registry("upsertGame", { ...(await c.req.json()), provider: c.req.param("code"), code: c.req.param("game") }) }),
  );
  app.put("/integration/providers/:code/games/:game/brands/:brand", write, inBrandScope, validated(enabledBody, "json"), async (c) => {
    const body = { provider: c.req.param("code"), game: c.req.param("game"), brand: c.req.param("brand"), enabled: c.req.valid("json").enabled };
    return c.json({ game: await registry("setGameBrand", body) });
  });

  app.post("/integration/brands/:brand/sessions", write, inBrandScope, async (c) =>
    c.json(await brandActor(c.req.param("brand"), "launch", await c.req.json()), 201),
  );
  app.get("/integration/brands/:brand/sessions", read, inBrandScope, validated(sessionsQuery, "query"), async (c) =>
    c.json(await brandActor(c.req.param("brand"), "sessions", c.req.valid("query"))),
  );
  app.get("/integration/brands/:brand/rounds", read, inBrandScope, validated(roundsQuery, "query"), async (c) =>
    c.json(await brandActor(c.req.param("brand"), "rounds", c.req.valid("query"))),
  );
  app.get("/integration/brands/:brand/rounds/:provider/:round", read, inBrandScope, async (c) =>
    c.json({ round: await brandActor(c.req.param("brand"), "round", { provider: c.req.param("provider"), round: c.req.param("round") }) }),
  );

  return app as unknown as Hono;
}

const enabledBody = z.object({ enabled: z.boolean() });
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
export function requireStaff(ctx: NodeContext, permission: Permission): MiddlewareHandler<StaffEnv> {
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

function known(game: GameDomain, code: string) {
  const provider = game.registry.provider(code);
  if (!provider) throw new PlatformError("not_found", `no provider ${code}`);
  return provider;
}

async function answer(pending: Promise<Outcome>): Promise<any> {
  const outcome = await pending;
  if (!outcome.ok) throw PlatformError.from(outcome.error);
  return outcome.value;
}

async function jsonOrEmpty(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  return text.trim() === "" ? {} : JSON.parse(text);
}
