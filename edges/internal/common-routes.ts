import { type Context, Hono } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol as p } from "../../actors/player/index.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const by = f.staffIdSchema.optional().describe("who acts, when no staff token is forwarded");
const contentBody = p.putContent.body.omit({ id: true, by: true }).extend({ by });
const settingsBody = p.putSiteSettings.body.omit({ by: true }).extend({ by });
const idParam = z.object({ id: f.recordIdSchema });
const listQuery = pageQuerySchema.extend({
  includeHidden: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true")
    .describe("drafts too (the default)"),
});

const describeRoute = describeWith({ tags: ["content"], errors: ["unauthorized", "brand_not_found", "brand_mismatch", "validation_failed"] });

/**
 * `/internal/common/*` (service token, brand by X-Brand-Id): the brand site's notices,
 * banners, FAQ and settings, drafts included, and their edits, audited by `player@brand`
 * in the commit that makes them (the staff member of a forwarded token, else who the caller
 * says acted).
 */
export function commonRoutes(ctx: EdgeContext) {
  const player = (c: Context<BrandedEnv>) => ctx.clients.player(c.var.brand.id);
  const acting = (c: Context<BrandedEnv>, name?: string) => actingStaffOf(ctx, c, "content.write", name);
  const app = new Hono<BrandedEnv>().use("*", requireBrand());
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(`/${path}`, describeRoute({ summary: `The brand's ${path}`, responses: { 200: p.listContent.reply } }), validated(listQuery, "query"), async (c) =>
      c.json(valueOf(await player(c).listContent({ ...c.req.valid("query"), kind }))),
    );
  }
  return app
    .post(
      "/content",
      describeRoute({ summary: "Add a notice, banner or FAQ entry", responses: { 201: p.putContent.reply }, errors: ["invalid_token"] }),
      validated(contentBody, "json"),
      async (c) => {
        const { by: name, ...content } = c.req.valid("json");
        return c.json(valueOf(await player(c).putContent({ ...content, by: await acting(c, name) })), 201);
      },
    )
    .put(
      "/content/:id",
      describeRoute({
        summary: "Replace a notice, banner or FAQ entry",
        description: "An entry keeps its kind.",
        responses: { 200: p.putContent.reply },
        errors: ["invalid_token", "content_not_found"],
      }),
      validated(idParam, "param"),
      validated(contentBody, "json"),
      async (c) => {
        const { by: name, ...content } = c.req.valid("json");
        return c.json(valueOf(await player(c).putContent({ ...content, id: c.req.valid("param").id, by: await acting(c, name) })));
      },
    )
    .delete(
      "/content/:id",
      describeRoute({ summary: "Remove a notice, banner or FAQ entry", responses: { 200: p.deleteContent.reply }, errors: ["invalid_token"] }),
      validated(idParam, "param"),
      async (c) => c.json(valueOf(await player(c).deleteContent({ id: c.req.valid("param").id, by: await acting(c) }))),
    )
    .get("/site-settings", describeRoute({ summary: "The brand site's settings", responses: { 200: p.siteSettings.reply } }), async (c) =>
      c.json(valueOf(await player(c).siteSettings({}))),
    )
    .patch(
      "/site-settings",
      describeRoute({
        summary: "Change the brand site's settings",
        description: "Merges; a key set to null is removed.",
        responses: { 200: p.putSiteSettings.reply },
        errors: ["invalid_token"],
      }),
      validated(settingsBody, "json"),
      async (c) => {
        const { by: name, ...settings } = c.req.valid("json");
        return c.json(valueOf(await player(c).putSiteSettings({ ...settings, by: await acting(c, name) })));
      },
    );
}
