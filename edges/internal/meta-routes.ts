import { Hono } from "hono";
import { z } from "zod";
import { agentIdSchema, type Brand, surfaceSchema } from "../../actors/catalog/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, pageOfList, validated } from "../shared/index.ts";

const brandSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    status: z.enum(["active", "disabled"]),
    domains: z.array(z.object({ domain: z.string(), surface: surfaceSchema })),
    configVersion: z.number().int(),
  })
  .meta({ id: "BrandSummary" });
const brandConfig = z.object({
  brand: z.string(),
  currency: z.string(),
  status: z.enum(["active", "disabled"]),
  version: z.number().int(),
  config: z.record(z.string(), z.unknown()),
});
// an id that names no brand is 404 brand_not_found, malformed or not
const brandParam = z.object({ brand: z.string().max(100).describe("a brand id") });
const agentParam = z.object({ agentId: agentIdSchema });
const idPage = pageOf(z.string());

const describeMeta = describeWith({ tags: ["meta"], errors: ["unauthorized", "validation_failed"] });

/**
 * `/internal/meta/*` for internal callers (behind the internal edge's service token): the
 * brand list, one brand's config, and the agent allow-list, read from this node's catalog
 * copy, which follows every change without a restart.
 */
export function metaRoutes(ctx: EdgeContext) {
  const brandOf = (id: string): Brand => {
    const brand = ctx.brands.get(id);
    if (!brand) throw new PlatformError("brand_not_found", `no brand ${id}`);
    return brand;
  };
  const summary = (b: Brand): z.output<typeof brandSummary> => ({
    id: b.id,
    name: b.name,
    currency: b.currency,
    status: b.status,
    domains: b.domains,
    configVersion: b.configVersion,
  });
  return new Hono()
    .get("/brands", describeMeta({ summary: "Every brand", responses: { 200: pageOf(brandSummary) } }), validated(pageQuerySchema, "query"), (c) =>
      c.json(pageOfList(ctx.brands.list().map(summary), c.req.valid("query"))),
    )
    .get("/brands/:brand", describeMeta({ summary: "One brand", responses: { 200: brandSummary }, errors: ["brand_not_found"] }), validated(brandParam, "param"), (c) =>
      c.json(summary(brandOf(c.req.valid("param").brand))),
    )
    .get(
      "/brands/:brand/config",
      describeMeta({ summary: "One brand's settings", responses: { 200: brandConfig }, errors: ["brand_not_found"] }),
      validated(brandParam, "param"),
      (c) => {
        const b = brandOf(c.req.valid("param").brand);
        return c.json({ brand: b.id, currency: b.currency, status: b.status, version: b.configVersion, config: b.config } satisfies z.output<typeof brandConfig>);
      },
    )
    .get(
      "/brands/:brand/agents",
      describeMeta({ summary: "The agents a brand allows", responses: { 200: idPage }, errors: ["brand_not_found"] }),
      validated(brandParam, "param"),
      validated(pageQuerySchema, "query"),
      (c) => c.json(pageOfList(ctx.brands.agentsOf(brandOf(c.req.valid("param").brand).id), c.req.valid("query"))),
    )
    .get(
      "/agents/:agentId/brands",
      describeMeta({ summary: "The brands that allow an agent", responses: { 200: idPage } }),
      validated(agentParam, "param"),
      validated(pageQuerySchema, "query"),
      (c) => c.json(pageOfList(ctx.brands.agentBrands(c.req.valid("param").agentId), c.req.valid("query"))),
    );
}
