import { Hono } from "hono";
import { playerProtocol as p } from "../../actors/player/index.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;

const describeRoute = describeWith({ tags: ["content"] });

/** `/api/v1/{notices,banners,faq,site-settings}`: what the site shows visitors, no login needed. */
export function contentRoutes(ctx: EdgeContext) {
  const app = new Hono<BrandedEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(
      `/${path}`,
      describeRoute({
        summary: `The site's published ${path}`,
        description: "In the order the site shows them.",
        responses: { 200: p.listContent.reply },
        errors: ["validation_failed"],
      }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await ctx.clients.player(c.var.brand.id).listContent({ ...c.req.valid("query"), kind }))),
    );
  }
  return app.get("/site-settings", describeRoute({ summary: "The site's settings", responses: { 200: p.siteSettings.reply } }), async (c) =>
    c.json(valueOf(await ctx.clients.player(c.var.brand.id).siteSettings({}))),
  );
}
