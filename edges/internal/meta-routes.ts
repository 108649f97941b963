import { Hono } from "hono";
import { z } from "zod";
import type { Brand } from "../../actors/catalog/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";

const brandParam = z.object({ brand: brandIdSchema });
const agentParam = z.object({ agentId: z.string().min(1).max(100) });

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
  const summary = (b: Brand) => ({ id: b.id, name: b.name, currency: b.currency, status: b.status, domains: b.domains, configVersion: b.configVersion });
  return new Hono()
    .get("/brands", (c) => c.json({ items: ctx.brands.list().map(summary) }))
    .get("/brands/:brand", validated(brandParam, "param"), (c) => c.json(summary(brandOf(c.req.valid("param").brand))))
    .get("/brands/:brand/config", validated(brandParam, "param"), (c) => {
      const b = brandOf(c.req.valid("param").brand);
      return c.json({ brand: b.id, currency: b.currency, status: b.status, version: b.configVersion, config: b.config });
    })
    .get("/brands/:brand/agents", validated(brandParam, "param"), (c) => {
      const b = brandOf(c.req.valid("param").brand);
      return c.json({ brand: b.id, agents: ctx.brands.agentsOf(b.id) });
    })
    .get("/agents/:agentId/brands", validated(agentParam, "param"), (c) => {
      const { agentId } = c.req.valid("param");
      return c.json({ agentId, brands: ctx.brands.agentBrands(agentId) });
    });
}
