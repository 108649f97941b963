import { Hono } from "hono";
import { z } from "zod";
import { gameRegistryProtocol } from "../../actors/game/index.ts";
import { newBrandSchema, hostSchema, type Brand } from "../../actors/catalog/index.ts";
import { brandIdSchema, formatAddress, parseAddress } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { ReconciliationReport } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

const brandParam = z.object({ id: brandIdSchema });
const domainBody = z.object({ domain: hostSchema, surface: z.enum(["gateway", "agent", "admin"]).default("gateway") });
const actorParam = z.object({ domain: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/), brand: z.union([z.literal("_"), brandIdSchema]) });
const reconcileQuery = z.object({ brand: brandIdSchema.optional() });
const dlqQuery = z.object({ address: z.string().max(100).optional() });
const replayBody = z.object({ address: z.string().min(1).max(100), streamId: z.string().min(1).max(100) });
const ownerBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const providerBody = gameRegistryProtocol.registerProvider.body;
const providerBrandParam = z.object({ code: z.string().min(1).max(63), brand: brandIdSchema });
const providerBrandBody = gameRegistryProtocol.setProviderBrand.body.pick({ enabled: true });
const providerGameParam = z.object({ code: z.string().min(1).max(63), game: z.string().min(1).max(100) });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true });

/**
 * What the supervisor CLI asks a running node: status, brands, actor restarts, dead letters,
 * reconciliation, the projection check, and the first owner and game providers (what
 * `supervisor demo` sets up). Every change goes to the actor that owns it. Mounted on the
 * internal edge under /internal/ops (service token required).
 */
export function opsRoutes(ctx: EdgeContext) {
  const catalog = ctx.clients.catalog();
  const registry = ctx.clients.gameRegistry();
  const setStatus = async (id: string, status: "active" | "disabled") => ({ brand: valueOf(await catalog.setBrandStatus({ brand: id, status })) as Brand });

  return new Hono()
    .get("/status", async (c) => c.json({ ...(await ctx.operations.status()), brands: ctx.brands.list().map((b) => ({ id: b.id, status: b.status })) }))
    .get("/brands", (c) => c.json({ brands: ctx.brands.list() }))
    .post("/brands", validated(newBrandSchema, "json"), async (c) => c.json({ brand: valueOf(await catalog.createBrand(c.req.valid("json"))) as Brand }, 201))
    .post("/brands/:id/domains", validated(brandParam, "param"), validated(domainBody, "json"), async (c) =>
      c.json({ brand: valueOf(await catalog.addDomain({ brand: c.req.valid("param").id, ...c.req.valid("json") })) as Brand }, 201),
    )
    .post("/brands/:id/disable", validated(brandParam, "param"), async (c) => c.json(await setStatus(c.req.valid("param").id, "disabled")))
    .post("/brands/:id/enable", validated(brandParam, "param"), async (c) => c.json(await setStatus(c.req.valid("param").id, "active")))
    .post("/actors/:domain/:brand/restart", validated(actorParam, "param"), async (c) => {
      const { domain, brand } = c.req.valid("param");
      const address = formatAddress(domain, brand === "_" ? null : brand);
      if (!(await ctx.operations.restart(address))) throw new PlatformError("not_found", `${address} is not hosted on this node`);
      return c.json({ restarted: address });
    })
    // each brand's wallet reconciles inside its own mailbox order; mismatches become an event and a metric there
    .post("/reconcile", validated(reconcileQuery, "query"), async (c) => {
      const only = c.req.valid("query").brand;
      if (only !== undefined && !ctx.brands.get(only)) throw new PlatformError("brand_not_found", `no brand ${only}`);
      const brands = only ? [only] : ctx.brands.list().map((b) => b.id);
      const reports: ReconciliationReport[] = [];
      for (const brand of brands) reports.push(valueOf(await ctx.clients.wallet(brand).reconcile({}, { timeoutMs: 60_000 })));
      return c.json({ ok: reports.every((r) => r.ok), reports });
    })
    // game rounds against the ledger, now; a gap is replayed (the node also checks every few minutes)
    .post("/projection-check", validated(reconcileQuery, "query"), async (c) => {
      const only = c.req.valid("query").brand;
      if (only !== undefined && !ctx.brands.get(only)) throw new PlatformError("brand_not_found", `no brand ${only}`);
      const reports = await ctx.operations.projectionCheck(only);
      return c.json({ ok: reports.every((r) => r.ok), reports });
    })
    .get("/dlq", validated(dlqQuery, "query"), async (c) => {
      const only = c.req.valid("query").address;
      const addresses = only ? [parseAddress(only) && only] : ctx.operations.hosted();
      const letters = (await Promise.all(addresses.map((a) => ctx.operations.deadLetters(a, 100)))).flat();
      return c.json({ deadLetters: letters });
    })
    .post("/dlq/replay", validated(replayBody, "json"), async (c) => {
      const body = c.req.valid("json");
      if (!(await ctx.operations.replayDeadLetter(body.address, body.streamId))) throw new PlatformError("not_found", `no dead letter ${body.streamId} for ${body.address}`);
      return c.json({ replayed: true });
    })
    // the first owner; does nothing when an active owner exists (its password is never changed here)
    .post("/owner", validated(ownerBody, "json"), async (c) => {
      const { username, password } = c.req.valid("json");
      return c.json(valueOf(await ctx.staff.ensureOwner(username, password)));
    })
    // the game registry's writer decides each change; a second registration is 409 conflict
    .post("/providers", validated(providerBody, "json"), async (c) => c.json(valueOf(await registry.registerProvider(c.req.valid("json"))), 201))
    .post("/providers/:code/brands/:brand", validated(providerBrandParam, "param"), validated(providerBrandBody, "json"), async (c) =>
      c.json({ provider: valueOf(await registry.setProviderBrand({ ...c.req.valid("param"), ...c.req.valid("json") })) }),
    )
    .post("/providers/:code/games/:game", validated(providerGameParam, "param"), validated(gameBody, "json"), async (c) => {
      const { code, game } = c.req.valid("param");
      return c.json({ game: valueOf(await registry.upsertGame({ ...c.req.valid("json"), provider: code, code: game })) });
    });
}
