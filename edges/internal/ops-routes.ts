import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { brandSchema, hostSchema, newBrandSchema, surfaceSchema } from "../../actors/catalog/index.ts";
import { gameRegistryProtocol } from "../../actors/game/index.ts";
import { type ActingStaff, passwordSchema, usernameSchema } from "../../actors/identity/index.ts";
import { brandIdSchema, formatAddress, isBrandId, parseAddress } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { type ReconciliationReport, walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, pageOfList, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { clientIp } from "../shared/staff-session.ts";
import { deadLetterSchema, drainReportSchema, nodeStatusSchema, projectionReportSchema, withoutSecrets } from "./ops-schemas.ts";

/** Who changes made through /internal/ops (the supervisor CLI) are audited as. */
export const OPERATOR_USERNAME = "operator";

const isAddress = (v: string) => {
  try {
    parseAddress(v);
    return true;
  } catch {
    return false;
  }
};

const brandParam = z.object({ id: brandIdSchema });
const domainBody = z.object({ domain: hostSchema, surface: surfaceSchema.default("gateway") });
const actorParam = z.object({
  domain: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, "a domain like wallet"),
  brand: z.string().refine((v) => v === "_" || isBrandId(v), "a brand id, or _ for a global actor"),
});
const reconcileQuery = z.object({ brand: brandIdSchema.optional() });
const addressSchema = z.string().max(100).refine(isAddress, "an actor address like wallet@acme");
const dlqQuery = pageQuerySchema.extend({ address: addressSchema.optional() });
const replayBody = z.object({ address: addressSchema, streamId: z.string().regex(/^\d{1,20}-\d{1,20}$/, "a stream id like 1700000000000-0") });
const ownerBody = z.object({ username: usernameSchema, password: passwordSchema });
const providerBody = gameRegistryProtocol.registerProvider.body.omit({ by: true });
const providerBrandParam = z.object({ code: gameRegistryProtocol.setProviderBrand.body.shape.code, brand: brandIdSchema });
const providerBrandBody = gameRegistryProtocol.setProviderBrand.body.pick({ enabled: true });
const providerGameParam = z.object({ code: gameRegistryProtocol.upsertGame.body.shape.provider, game: gameRegistryProtocol.upsertGame.body.shape.code });
const gameBody = gameRegistryProtocol.upsertGame.body.omit({ provider: true, code: true, by: true });

const brandReply = z.object({ brand: brandSchema });
// the most dead letters one listing reads per address; an operator drains or replays before paging further
const MAX_DEAD_LETTERS = 10_000;

const describeOps = describeWith({ tags: ["operations"], errors: ["unauthorized", "validation_failed"] });

/**
 * What the supervisor CLI asks a running node: status, brands, actor restarts, dead letters,
 * reconciliation, the projection check, and the first owner and game providers (what
 * `supervisor demo` sets up). Every change goes to the actor that owns it, which audits it as
 * the operator. Mounted on the internal edge under /internal/ops (service token required);
 * `supervisor/ops-client.ts` calls it through Hono's typed client, so this chain's types are
 * the CLI's.
 */
export function opsRoutes(ctx: EdgeContext) {
  const catalog = ctx.clients.catalog();
  const registry = ctx.clients.gameRegistry();
  const operator = (c: Context): ActingStaff => ({ staffId: null, username: OPERATOR_USERNAME, ip: clientIp(c) });
  const setStatus = async (c: Context, brand: string, status: "active" | "disabled") => ({ brand: valueOf(await catalog.setBrandStatus({ brand, status, by: operator(c) })) });
  const brandChange = (summary: string, status = 200) => describeOps({ summary, responses: { [status]: brandReply }, errors: ["brand_not_found"] });

  return (
    new Hono()
      .get(
        "/status",
        describeOps({ summary: "The node's actors, their state and mailboxes, every brand, and which node serves which", responses: { 200: nodeStatusSchema } }),
        async (c) => c.json({ ...(await ctx.operations.status()), brands: ctx.brands.list().map((b) => ({ id: b.id, status: b.status })), placement: ctx.operations.placement() }),
      )
      // the node keeps serving its edges (through the nodes that took its brands) until it is stopped
      .post(
        "/drain",
        describeOps({ summary: "Hand every brand this node serves over to the other nodes, and take no more", responses: { 200: drainReportSchema }, errors: ["invalid_state"] }),
        async (c) => c.json(await ctx.operations.drain()),
      )
      .get("/brands", describeOps({ summary: "Every brand with its domains and config", responses: { 200: pageOf(brandSchema) } }), validated(pageQuerySchema, "query"), (c) =>
        c.json(pageOfList(ctx.brands.list(), c.req.valid("query"))),
      )
      .post("/brands", describeOps({ summary: "Create a brand", responses: { 201: brandReply }, errors: ["conflict"] }), validated(newBrandSchema, "json"), async (c) =>
        c.json({ brand: valueOf(await catalog.createBrand({ ...c.req.valid("json"), by: operator(c) })) }, 201),
      )
      .post("/brands/:id/domains", brandChange("Add a host the brand answers on", 201), validated(brandParam, "param"), validated(domainBody, "json"), async (c) =>
        c.json({ brand: valueOf(await catalog.addDomain({ brand: c.req.valid("param").id, ...c.req.valid("json"), by: operator(c) })) }, 201),
      )
      .post("/brands/:id/disable", brandChange("Disable a brand"), validated(brandParam, "param"), async (c) => c.json(await setStatus(c, c.req.valid("param").id, "disabled")))
      .post("/brands/:id/enable", brandChange("Enable a brand"), validated(brandParam, "param"), async (c) => c.json(await setStatus(c, c.req.valid("param").id, "active")))
      .post(
        "/actors/:domain/:brand/restart",
        describeOps({ summary: "Restart an actor hosted here (clears its degraded state)", responses: { 200: z.object({ restarted: z.string() }) }, errors: ["not_found"] }),
        validated(actorParam, "param"),
        async (c) => {
          const { domain, brand } = c.req.valid("param");
          const address = formatAddress(domain, brand === "_" ? null : brand);
          if (!(await ctx.operations.restart(address))) throw new PlatformError("not_found", `${address} is not hosted on this node`);
          return c.json({ restarted: address });
        },
      )
      // each brand's wallet reconciles inside its own mailbox order; mismatches become an event and a metric there
      .post(
        "/reconcile",
        describeOps({
          summary: "Check every ledger account against its postings (one brand, or all)",
          responses: { 200: z.object({ ok: z.boolean(), reports: z.array(walletProtocol.reconcile.reply) }) },
          errors: ["brand_not_found"],
        }),
        validated(reconcileQuery, "query"),
        async (c) => {
          const only = c.req.valid("query").brand;
          if (only !== undefined && !ctx.brands.get(only)) throw new PlatformError("brand_not_found", `no brand ${only}`);
          const brands = only ? [only] : ctx.brands.list().map((b) => b.id);
          const reports: ReconciliationReport[] = [];
          for (const brand of brands) reports.push(valueOf(await ctx.clients.wallet(brand).reconcile({}, { timeoutMs: 60_000 })));
          return c.json({ ok: reports.every((r) => r.ok), reports });
        },
      )
      .get(
        "/dlq",
        describeOps({ summary: "Dead letters of one address or of every address hosted here", responses: { 200: pageOf(deadLetterSchema) } }),
        validated(dlqQuery, "query"),
        async (c) => {
          const { address, cursor, limit } = c.req.valid("query");
          const addresses = address ? [address] : ctx.operations.hosted();
          const needed = Math.min(MAX_DEAD_LETTERS, Number(cursor ?? 0) + limit + 1);
          const letters = (await Promise.all(addresses.map((a) => ctx.operations.deadLetters(a, needed)))).flat();
          return c.json(
            pageOfList(
              letters.map((l) => ({ ...l, envelope: { ...l.envelope, body: withoutSecrets(l.envelope.body) } })),
              { cursor, limit },
            ),
          );
        },
      )
      // game rounds against the ledger, now; a gap is replayed (the node also checks every few minutes)
      .post(
        "/projection-check",
        describeOps({
          summary: "Compare game rounds with the ledger (one brand, or all); a gap is replayed",
          responses: { 200: z.object({ ok: z.boolean(), reports: z.array(projectionReportSchema) }) },
          errors: ["brand_not_found"],
        }),
        validated(reconcileQuery, "query"),
        async (c) => {
          const only = c.req.valid("query").brand;
          if (only !== undefined && !ctx.brands.get(only)) throw new PlatformError("brand_not_found", `no brand ${only}`);
          const reports = await ctx.operations.projectionCheck(only);
          return c.json({ ok: reports.every((r) => r.ok), reports });
        },
      )
      .post(
        "/dlq/replay",
        describeOps({ summary: "Put a dead letter back into its mailbox", responses: { 200: z.object({ replayed: z.boolean() }) }, errors: ["not_found"] }),
        validated(replayBody, "json"),
        async (c) => {
          const body = c.req.valid("json");
          if (!(await ctx.operations.replayDeadLetter(body.address, body.streamId, operator(c))))
            throw new PlatformError("not_found", `no dead letter ${body.streamId} for ${body.address}`);
          return c.json({ replayed: true });
        },
      )
      // the first owner; does nothing when an active owner exists (its password is never changed here)
      .post(
        "/owner",
        describeOps({
          summary: "Create the first owner (nothing changes when an active owner exists)",
          responses: { 200: z.object({ created: z.boolean(), username: z.string() }) },
        }),
        validated(ownerBody, "json"),
        async (c) => {
          const { username, password } = c.req.valid("json");
          return c.json(valueOf(await ctx.staff.ensureOwner(username, password)));
        },
      )
      // the game registry's writer decides each change; a second registration is 409 conflict
      .post(
        "/providers",
        describeOps({ summary: "Register a game provider (its secret is answered once)", responses: { 201: gameRegistryProtocol.registerProvider.reply }, errors: ["conflict"] }),
        validated(providerBody, "json"),
        async (c) => c.json(valueOf(await registry.registerProvider({ ...c.req.valid("json"), by: operator(c) })), 201),
      )
      .post(
        "/providers/:code/brands/:brand",
        describeOps({
          summary: "Enable or disable a provider in a brand",
          responses: { 200: z.object({ provider: gameRegistryProtocol.setProviderBrand.reply }) },
          errors: ["provider_not_found"],
        }),
        validated(providerBrandParam, "param"),
        validated(providerBrandBody, "json"),
        async (c) => c.json({ provider: valueOf(await registry.setProviderBrand({ ...c.req.valid("param"), ...c.req.valid("json"), by: operator(c) })) }),
      )
      .post(
        "/providers/:code/games/:game",
        describeOps({ summary: "Add or change a provider's game", responses: { 200: z.object({ game: gameRegistryProtocol.upsertGame.reply }) }, errors: ["provider_not_found"] }),
        validated(providerGameParam, "param"),
        validated(gameBody, "json"),
        async (c) => {
          const { code, game } = c.req.valid("param");
          return c.json({ game: valueOf(await registry.upsertGame({ ...c.req.valid("json"), provider: code, code: game, by: operator(c) })) });
        },
      )
  );
}

export type OpsRoutes = ReturnType<typeof opsRoutes>;
