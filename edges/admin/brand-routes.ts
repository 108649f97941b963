import { Hono } from "hono";
import { z } from "zod";
import { brandConfigPatchSchema, hostSchema, newBrandSchema, type Brand } from "../../actors/catalog/index.ts";
import { inScope } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { audit, staffGuard, valueOf, type SignedInAtBrand, type StaffBrandEnv } from "./staff-access.ts";

const domainBody = z.object({ domain: hostSchema, surface: z.enum(["gateway", "agent", "admin"]).default("gateway") });
const agentBody = z.object({ agentId: z.string().min(1).max(100) });

/**
 * `/api/v1/brands/*`: the brand catalog as staff manage it. Every change goes through the
 * global `catalog` actor, whose change notice reloads every node's brand resolution.
 */
export function brandRoutes(ctx: EdgeContext) {
  const catalog = ctx.clients.catalog();
  return new Hono<StaffBrandEnv>()
    .get("/brands", staffGuard(ctx, "read"), (c) => c.json({ items: ctx.brands.list().filter((b) => inScope(c.var.staff.brands, b.id)) }))
    .post("/brands", staffGuard(ctx, "brands.create"), validated(newBrandSchema, "json"), async (c) => {
      if (c.var.staff.brands !== null) throw new PlatformError("forbidden", "only staff with every brand in scope create brands");
      const created = valueOf(await catalog.createBrand(c.req.valid("json"))) as Brand;
      await audit(ctx, c, { action: "brand.create", brand: created.id, target: `brand:${created.id}`, after: created });
      return c.json(created, 201);
    })
    .get("/brands/:brand", staffGuard(ctx, "read", "brand-any-status"), (c) => c.json(c.var.brand))
    .patch("/brands/:brand/config", staffGuard(ctx, "brands.write", "brand-any-status"), validated(brandConfigPatchSchema, "json"), async (c) => {
      const before = c.var.brand;
      const after = valueOf(await catalog.configureBrand({ brand: before.id, patch: c.req.valid("json") })) as Brand;
      await audit(ctx, c, { action: "brand.configure", brand: before.id, target: `brand:${before.id}`, before: before.config, after: after.config });
      return c.json(after);
    })
    .post("/brands/:brand/disable", staffGuard(ctx, "brands.create", "brand-any-status"), async (c) => c.json(await setStatus(c, "disabled")))
    .post("/brands/:brand/enable", staffGuard(ctx, "brands.create", "brand-any-status"), async (c) => c.json(await setStatus(c, "active")))
    .post("/brands/:brand/domains", staffGuard(ctx, "brands.write", "brand-any-status"), validated(domainBody, "json"), async (c) => {
      const { domain, surface } = c.req.valid("json");
      const after = valueOf(await catalog.addDomain({ brand: c.var.brand.id, domain, surface })) as Brand;
      await audit(ctx, c, { action: "brand.add_domain", brand: after.id, target: `domain:${domain}`, before: c.var.brand.domains, after: after.domains });
      return c.json(after, 201);
    })
    .delete("/brands/:brand/domains/:domain", staffGuard(ctx, "brands.write", "brand-any-status"), async (c) => {
      const domain = hostSchema.parse(c.req.param("domain"));
      const after = valueOf(await catalog.removeDomain({ brand: c.var.brand.id, domain })) as Brand;
      await audit(ctx, c, { action: "brand.remove_domain", brand: after.id, target: `domain:${domain}`, before: c.var.brand.domains, after: after.domains });
      return c.json(after);
    })
    .get("/brands/:brand/agents", staffGuard(ctx, "read", "brand-any-status"), async (c) => c.json({ items: ctx.brands.agentsOf(c.var.brand.id) }))
    .post("/brands/:brand/agents", staffGuard(ctx, "brands.write", "brand-any-status"), validated(agentBody, "json"), async (c) => c.json(await allowList(c, "allowAgent", c.req.valid("json").agentId), 201))
    .delete("/brands/:brand/agents/:agentId", staffGuard(ctx, "brands.write", "brand-any-status"), async (c) => c.json(await allowList(c, "disallowAgent", agentBody.parse({ agentId: c.req.param("agentId") }).agentId)));

  async function setStatus(c: SignedInAtBrand, status: "active" | "disabled") {
    const before = c.var.brand;
    const after = valueOf(await catalog.setBrandStatus({ brand: before.id, status })) as Brand;
    await audit(ctx, c, { action: status === "active" ? "brand.enable" : "brand.disable", brand: before.id, target: `brand:${before.id}`, before: { status: before.status }, after: { status: after.status } });
    return after;
  }

  async function allowList(c: SignedInAtBrand, type: "allowAgent" | "disallowAgent", agentId: string) {
    const before = ctx.brands.agentsOf(c.var.brand.id);
    valueOf(await catalog[type]({ brand: c.var.brand.id, agentId }));
    const after = ctx.brands.agentsOf(c.var.brand.id);
    await audit(ctx, c, { action: type === "allowAgent" ? "brand.allow_agent" : "brand.disallow_agent", brand: c.var.brand.id, target: `agent:${agentId}`, before, after });
    return { items: after };
  }
}
