import { Hono } from "hono";
import { z } from "zod";
import { newBrandSchema } from "../../actors/catalog/index.ts";
import { REGISTRY_ADDRESS } from "../../actors/game/index.ts";
import { ensureOwner, identityOptions } from "../../actors/identity/index.ts";
import { formatAddress, parseAddress } from "../../actors/runtime/address.ts";
import { PlatformError, type Outcome } from "../../actors/runtime/errors.ts";
import type { ReconciliationReport } from "../../actors/wallet/index.ts";
import type { NodeContext } from "../../supervisor/context.ts";

/**
 * What the supervisor CLI asks a running node: status, brands, actor restarts, dead letters,
 * and the first owner and game providers (what `supervisor demo` sets up).
 * Mounted on the internal edge under /internal/ops (service token required).
 */
export function opsRoutes(ctx: NodeContext): Hono {
  const app = new Hono();

  app.get("/status", async (c) => {
    const actors = await Promise.all(
      ctx.system.status().map(async (a) => ({ ...a, mailbox: await ctx.system.transport.stats(a.address) })),
    );
    return c.json({
      node: ctx.config.NODE_ID,
      ready: ctx.isReady(),
      transport: ctx.system.transport.kind,
      store: ctx.store.kind,
      brands: ctx.catalog.list().map((b) => ({ id: b.id, status: b.status })),
      actors,
    });
  });

  app.get("/brands", (c) => c.json({ brands: ctx.catalog.list() }));

  app.post("/brands", async (c) => {
    const brand = await ctx.catalog.create(newBrandSchema.parse(await c.req.json()));
    return c.json({ brand }, 201);
  });

  app.post("/brands/:id/domains", async (c) => {
    const body = z.object({ domain: z.string(), surface: z.enum(["gateway", "agent", "admin"]).default("gateway") }).parse(await c.req.json());
    return c.json({ brand: await ctx.catalog.addDomain(c.req.param("id"), body.domain, body.surface) }, 201);
  });

  app.post("/brands/:id/disable", async (c) => c.json({ brand: await ctx.catalog.setStatus(c.req.param("id"), "disabled") }));
  app.post("/brands/:id/enable", async (c) => c.json({ brand: await ctx.catalog.setStatus(c.req.param("id"), "active") }));

  app.post("/actors/:domain/:brand/restart", async (c) => {
    const brand = c.req.param("brand");
    const address = formatAddress(c.req.param("domain"), brand === "_" ? null : brand);
    parseAddress(address);
    if (!(await ctx.system.restart(address))) throw new PlatformError("not_found", `${address} is not hosted on this node`);
    return c.json({ restarted: address });
  });

  // each brand's wallet reconciles inside its own mailbox order; mismatches become an event and a metric there
  app.post("/reconcile", async (c) => {
    const only = c.req.query("brand");
    if (only !== undefined && !ctx.catalog.get(only)) throw new PlatformError("brand_not_found", `no brand ${only}`);
    const brands = only ? [only] : ctx.catalog.list().map((b) => b.id);
    const reports = [];
    for (const brand of brands) {
      reports.push(await ctx.system.ask<ReconciliationReport>(formatAddress("wallet", brand), "reconcile", {}, { timeoutMs: 60_000 }));
    }
    return c.json({ ok: reports.every((r) => r.ok), reports });
  });

  app.get("/dlq", async (c) => {
    const only = c.req.query("address");
    const addresses = only ? [only] : ctx.system.hosted();
    const letters = (await Promise.all(addresses.map((a) => ctx.system.transport.deadLetters(a, 100)))).flat();
    return c.json({ deadLetters: letters });
  });

  app.post("/dlq/replay", async (c) => {
    const body = z.object({ address: z.string(), streamId: z.string() }).parse(await c.req.json());
    const replayed = await ctx.system.transport.replayDeadLetter(body.address, body.streamId);
    if (!replayed) throw new PlatformError("not_found", `no dead letter ${body.streamId} for ${body.address}`);
    return c.json({ replayed: true });
  });

  // the first owner; does nothing when an active owner exists (its password is never changed here)
  app.post("/owner", async (c) => {
    const body = z.object({ username: z.string(), password: z.string() }).parse(await c.req.json());
    return c.json(await ensureOwner(ctx.store, body.username, body.password, identityOptions()));
  });

  // the game registry's writer validates each body; a second registration is 409 conflict
  const registry = async (type: string, body: unknown) => {
    const outcome: Outcome = await ctx.system.askOutcome(REGISTRY_ADDRESS, type, body);
    if (!outcome.ok) throw PlatformError.from(outcome.error);
    return outcome.value;
  };
  app.post("/providers", async (c) => c.json(await registry("registerProvider", await c.req.json()), 201));
  app.post("/providers/:code/brands/:brand", async (c) =>
    c.json({ provider: await registry("setProviderBrand", { ...(await c.req.json()), code: c.req.param("code"), brand: c.req.param("brand") }) }),
  );
  app.post("/providers/:code/games/:game", async (c) =>
    c.json({ game: await registry("upsertGame", { ...(await c.req.json()), provider: c.req.param("code"), code: c.req.param("game") }) }),
  );

  return app;
}
