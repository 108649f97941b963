import { Hono } from "hono";
import { agentsOfBrand } from "../../actors/admin/index.ts";
import type { Brand } from "../../actors/catalog/index.ts";
import { isBrandId } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { NodeContext } from "../../supervisor/context.ts";

/**
 * `/internal/meta/*` for internal callers (behind the internal edge's service token): the
 * brand list, one brand's config, and the agent allow-list, read from this node's catalog
 * copy, which follows every change without a restart.
 */
export function metaRoutes(ctx: NodeContext): Hono {
  const brandOf = (id: string): Brand => {
    const brand = isBrandId(id) ? ctx.catalog.get(id) : undefined;
    if (!brand) throw new PlatformError("brand_not_found", `no brand ${id}`);
    return brand;
  };
  const summary = (b: Brand) => ({ id: b.id, name: b.name, currency: b.currency, status: b.status, domains: b.domains, configVersion: b.configVersion });
  const app = new Hono();
  app
    .get("/brands", (c) => c.json({ items: ctx.catalog.list().map(summary) }))
    .get("/brands/:brand", (c) => c.json(summary(brandOf(c.req.param("brand")))))
    .get("/brands/:brand/config", (c) => {
      const b = brandOf(c.req.param("brand"));
      return c.json({ brand: b.id, currency: b.currency, status: b.status, version: b.configVersion, config: b.config });
    })
    .get("/brands/:brand/agents", async (c) => c.json({ brand: brandOf(c.req.param("brand")).id, agents: await agentsOfBrand(ctx.store, c.req.param("brand")) }))
    .get("/agents/:agentId/brands", async (c) => {
      const agentId = c.req.param("agentId");
      if (agentId.length > 100) throw new PlatformError("validation_failed", "agentId: at most 100 characters");
      return c.json({ agentId, brands: await ctx.catalog.agentBrands(agentId) });
    });
  return app;
}
