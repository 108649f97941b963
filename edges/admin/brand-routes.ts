import { Hono } from "hono";
import { z } from "zod";
import { agentIdSchema, brandConfigPatchSchema, brandSchema, hostSchema, newBrandSchema, surfaceSchema } from "../../actors/catalog/index.ts";
import { actingAs, inScope } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, pageOfList, validated } from "../shared/index.ts";
import { type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const domainParam = brandParam.extend({ domain: hostSchema });
const agentParam = brandParam.extend({ agentId: agentIdSchema });
const domainBody = z.object({ domain: hostSchema, surface: surfaceSchema.default("gateway") });
const agentBody = z.object({ agentId: agentIdSchema });
const agentPage = pageOf(z.string());
const agentList = z.object({ items: z.array(z.string()) });

const describeBrands = describeWith({
  tags: ["brands"],
  errors: ["unauthorized", "invalid_token", "token_expired", "password_change_required", "forbidden", "validation_failed"],
});
/** a route on one brand, in the member's scope, whatever its status */
const describeBrand = describeWith({
  tags: ["brands"],
  errors: ["unauthorized", "invalid_token", "token_expired", "password_change_required", "forbidden", "validation_failed", "brand_not_found", "brand_mismatch"],
});

/**
 * `/api/v1/brands/*`: the brand catalog as staff manage it. Every change goes to the global
 * `catalog` actor with who asked; it audits the change in the same commit and announces it,
 * which reloads every node's brand resolution.
 */
export function brandRoutes(ctx: EdgeContext) {
  const catalog = ctx.clients.catalog();
  const anyStatus = "brand-any-status" as const;
  return new Hono<StaffBrandEnv>()
    .get(
      "/brands",
      describeBrands({ summary: "The brands in the member's scope", responses: { 200: pageOf(brandSchema) } }),
      staffGuard(ctx, "read"),
      validated(pageQuerySchema, "query"),
      (c) =>
        c.json(
          pageOfList(
            ctx.brands.list().filter((b) => inScope(c.var.staff.brands, b.id)),
            c.req.valid("query"),
          ),
        ),
    )
    .post(
      "/brands",
      describeBrands({ summary: "Create a brand (staff with every brand in scope)", responses: { 201: brandSchema }, errors: ["conflict"] }),
      staffGuard(ctx, "brands.create"),
      validated(newBrandSchema, "json"),
      async (c) => {
        if (c.var.staff.brands !== null) throw new PlatformError("forbidden", "only staff with every brand in scope create brands");
        return c.json(valueOf(await catalog.createBrand({ ...c.req.valid("json"), by: actingAs(c.var.staff) })), 201);
      },
    )
    .get(
      "/brands/:brand",
      describeBrand({ summary: "One brand with its domains and config", responses: { 200: brandSchema } }),
      staffGuard(ctx, "read", anyStatus),
      validated(brandParam, "param"),
      (c) => c.json(c.var.brand),
    )
    .patch(
      "/brands/:brand/config",
      describeBrand({ summary: "Change a brand's settings (a key set to null is removed)", responses: { 200: brandSchema } }),
      staffGuard(ctx, "brands.write", anyStatus),
      validated(brandParam, "param"),
      validated(brandConfigPatchSchema, "json"),
      async (c) => c.json(valueOf(await catalog.configureBrand({ brand: c.var.brand.id, patch: c.req.valid("json"), by: actingAs(c.var.staff) }))),
    )
    .post(
      "/brands/:brand/disable",
      describeBrand({ summary: "Disable a brand: its sites refuse, money in play still settles", responses: { 200: brandSchema } }),
      staffGuard(ctx, "brands.create", anyStatus),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await catalog.setBrandStatus({ brand: c.var.brand.id, status: "disabled", by: actingAs(c.var.staff) }))),
    )
    .post(
      "/brands/:brand/enable",
      describeBrand({ summary: "Enable a disabled brand", responses: { 200: brandSchema } }),
      staffGuard(ctx, "brands.create", anyStatus),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await catalog.setBrandStatus({ brand: c.var.brand.id, status: "active", by: actingAs(c.var.staff) }))),
    )
    .post(
      "/brands/:brand/domains",
      describeBrand({ summary: "Add a host the brand answers on", responses: { 201: brandSchema }, errors: ["conflict"] }),
      staffGuard(ctx, "brands.write", anyStatus),
      validated(brandParam, "param"),
      validated(domainBody, "json"),
      async (c) => c.json(valueOf(await catalog.addDomain({ brand: c.var.brand.id, ...c.req.valid("json"), by: actingAs(c.var.staff) })), 201),
    )
    .delete(
      "/brands/:brand/domains/:domain",
      describeBrand({ summary: "Remove a host from the brand", responses: { 200: brandSchema }, errors: ["not_found"] }),
      staffGuard(ctx, "brands.write", anyStatus),
      validated(domainParam, "param"),
      async (c) => c.json(valueOf(await catalog.removeDomain({ brand: c.var.brand.id, domain: c.req.valid("param").domain, by: actingAs(c.var.staff) }))),
    )
    .get(
      "/brands/:brand/agents",
      describeBrand({ summary: "The agents the brand allows", responses: { 200: agentPage } }),
      staffGuard(ctx, "read", anyStatus),
      validated(brandParam, "param"),
      validated(pageQuerySchema, "query"),
      (c) => c.json(pageOfList(ctx.brands.agentsOf(c.var.brand.id), c.req.valid("query"))),
    )
    .post(
      "/brands/:brand/agents",
      describeBrand({ summary: "Allow an agent in the brand; answers the brand's allow-list", responses: { 201: agentList } }),
      staffGuard(ctx, "brands.write", anyStatus),
      validated(brandParam, "param"),
      validated(agentBody, "json"),
      async (c) => {
        const done = valueOf(await catalog.allowAgent({ brand: c.var.brand.id, agentId: c.req.valid("json").agentId, by: actingAs(c.var.staff) }));
        return c.json({ items: done.agents }, 201);
      },
    )
    .delete(
      "/brands/:brand/agents/:agentId",
      describeBrand({ summary: "Stop allowing an agent in the brand; answers the brand's allow-list", responses: { 200: agentList } }),
      staffGuard(ctx, "brands.write", anyStatus),
      validated(agentParam, "param"),
      async (c) => {
        const done = valueOf(await catalog.disallowAgent({ brand: c.var.brand.id, agentId: c.req.valid("param").agentId, by: actingAs(c.var.staff) }));
        return c.json({ items: done.agents });
      },
    );
}
