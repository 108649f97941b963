import { Hono } from "hono";
import type { EdgeContext } from "../shared/edge-context.ts";
import type { BrandedEnv } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;

/** `/api/v1/{notices,banners,faq,site-settings}`: what the site shows visitors, no login needed. */
export function contentRoutes(ctx: EdgeContext) {
  const app = new Hono<BrandedEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(`/${path}`, async (c) => c.json(valueOf(await ctx.clients.player(c.var.brand.id).listContent({ kind }))));
  }
  app.get("/site-settings", async (c) => c.json(valueOf(await ctx.clients.player(c.var.brand.id).siteSettings({}))));
  return app;
}
