import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { audit, staffGuard, valueOf, type SignedInAtBrand, type StaffBrandEnv } from "./staff-access.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const idParam = z.object({ brand: z.string(), id: f.recordIdSchema });
const contentBody = playerProtocol.putContent.body.omit({ kind: true, id: true });
const settingsBody = z.object({ settings: z.record(z.string(), z.unknown()) });

type Kind = (typeof KINDS)[keyof typeof KINDS];

/**
 * `/api/v1/brands/:brand/{notices,banners,faq,site-settings}`: the brand's public content,
 * through `player@brand` (which owns it and tells the gateway's readers).
 */
export function contentRoutes(ctx: EdgeContext) {
  const player = (c: SignedInAtBrand) => ctx.clients.player(c.var.brand.id);
  const find = async (c: SignedInAtBrand, kind: Kind, id: number) => valueOf(await player(c).listContent({ kind, includeHidden: true })).items.find((i) => i.id === id);

  const app = new Hono<StaffBrandEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app
      .get(`/brands/:brand/${path}`, staffGuard(ctx, "read", "brand"), async (c) => c.json(valueOf(await player(c).listContent({ kind, includeHidden: true }))))
      .post(`/brands/:brand/${path}`, staffGuard(ctx, "content.write", "brand"), validated(contentBody, "json"), async (c) => {
        const created = valueOf(await player(c).putContent({ ...c.req.valid("json"), kind }));
        await audit(ctx, c, { action: `content.create`, brand: c.var.brand.id, target: `${kind}:${created.id}`, after: created });
        return c.json(created, 201);
      })
      .put(`/brands/:brand/${path}/:id`, staffGuard(ctx, "content.write", "brand"), validated(idParam, "param"), validated(contentBody, "json"), async (c) => {
        const { id } = c.req.valid("param");
        const before = await find(c, kind, id);
        const after = valueOf(await player(c).putContent({ ...c.req.valid("json"), kind, id }));
        await audit(ctx, c, { action: `content.update`, brand: c.var.brand.id, target: `${kind}:${id}`, before, after });
        return c.json(after);
      })
      .delete(`/brands/:brand/${path}/:id`, staffGuard(ctx, "content.write", "brand"), validated(idParam, "param"), async (c) => {
        const { id } = c.req.valid("param");
        const before = await find(c, kind, id);
        const done = valueOf(await player(c).deleteContent({ id }));
        if (done.deleted) await audit(ctx, c, { action: `content.delete`, brand: c.var.brand.id, target: `${kind}:${id}`, before });
        return c.json(done);
      });
  }
  return app
    .get("/brands/:brand/site-settings", staffGuard(ctx, "read", "brand"), async (c) => c.json(valueOf(await player(c).siteSettings({}))))
    .put("/brands/:brand/site-settings", staffGuard(ctx, "content.write", "brand"), validated(settingsBody, "json"), async (c) => {
      const before = valueOf(await player(c).siteSettings({}));
      const after = valueOf(await player(c).putSiteSettings(c.req.valid("json")));
      await audit(ctx, c, { action: "content.site_settings", brand: c.var.brand.id, target: `brand:${c.var.brand.id}`, before: before.settings, after: after.settings });
      return c.json(after);
    });
}
