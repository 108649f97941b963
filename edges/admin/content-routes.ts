import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol } from "../../actors/player/index.ts";
import { formatAddress } from "../../actors/runtime/address.ts";
import type { Outcome } from "../../actors/runtime/errors.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { validated } from "../shared/index.ts";
import { audit, requireDomain, staffGuard, valueOf, type SignedInAtBrand, type StaffBrandEnv } from "./staff-access.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const idParam = z.object({ brand: z.string(), id: f.recordIdSchema });
const contentBody = playerProtocol.put_content.body.omit({ kind: true, id: true });
const settingsBody = z.object({ settings: z.record(z.string(), z.unknown()) });

type Content = { id: number; [field: string]: unknown };

/**
 * `/api/v1/brands/:brand/{notices,banners,faq,site-settings}`: the brand's public content,
 * through `player@brand` (which owns it and tells the gateway's readers).
 */
export function contentRoutes(ctx: NodeContext) {
  const ask = async <T>(c: SignedInAtBrand, type: string, body: unknown): Promise<T> => {
    requireDomain(ctx, "player");
    return valueOf((await ctx.system.askOutcome(formatAddress("player", c.var.brand.id), type, body)) as Outcome<T>);
  };
  const find = async (c: SignedInAtBrand, kind: string, id: number) =>
    (await ask<{ items: Content[] }>(c, "list_content", { kind, includeHidden: true })).items.find((i) => i.id === id);

  const app = new Hono<StaffBrandEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app
      .get(`/brands/:brand/${path}`, staffGuard(ctx, "read", "brand"), async (c) => c.json(await ask(c, "list_content", { kind, includeHidden: true })))
      .post(`/brands/:brand/${path}`, staffGuard(ctx, "content.write", "brand"), validated(contentBody, "json"), async (c) => {
        const created = await ask<Content>(c, "put_content", { ...c.req.valid("json"), kind });
        await audit(ctx, c, { action: `content.create`, brand: c.var.brand.id, target: `${kind}:${created.id}`, after: created });
        return c.json(created, 201);
      })
      .put(`/brands/:brand/${path}/:id`, staffGuard(ctx, "content.write", "brand"), validated(idParam, "param"), validated(contentBody, "json"), async (c) => {
        const { id } = c.req.valid("param");
        const before = await find(c, kind, id);
        const after = await ask<Content>(c, "put_content", { ...c.req.valid("json"), kind, id });
        await audit(ctx, c, { action: `content.update`, brand: c.var.brand.id, target: `${kind}:${id}`, before, after });
        return c.json(after);
      })
      .delete(`/brands/:brand/${path}/:id`, staffGuard(ctx, "content.write", "brand"), validated(idParam, "param"), async (c) => {
        const { id } = c.req.valid("param");
        const before = await find(c, kind, id);
        const done = await ask<{ deleted: boolean }>(c, "delete_content", { id });
        if (done.deleted) await audit(ctx, c, { action: `content.delete`, brand: c.var.brand.id, target: `${kind}:${id}`, before });
        return c.json(done);
      });
  }
  return app
    .get("/brands/:brand/site-settings", staffGuard(ctx, "read", "brand"), async (c) => c.json(await ask(c, "site_settings", {})))
    .put("/brands/:brand/site-settings", staffGuard(ctx, "content.write", "brand"), validated(settingsBody, "json"), async (c) => {
      const before = await ask<{ settings: unknown }>(c, "site_settings", {});
      const after = await ask<{ settings: unknown }>(c, "put_site_settings", c.req.valid("json"));
      await audit(ctx, c, { action: "content.site_settings", brand: c.var.brand.id, target: `brand:${c.var.brand.id}`, before: before.settings, after: after.settings });
      return c.json(after);
    });
}
