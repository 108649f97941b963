import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { playerFields as f, playerProtocol as p } from "../../actors/player/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const brandParam = z.object({ brand: brandIdSchema });
const idParam = brandParam.extend({ id: f.recordIdSchema });
const contentBody = p.putContent.body.omit({ kind: true, id: true, by: true });
const settingsBody = p.putSiteSettings.body.omit({ by: true });

const describeRoute = describeWith({
  tags: ["content"],
  errors: ["validation_failed", "unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "brand_mismatch", "brand_not_found", "brand_disabled"],
});

/**
 * `/api/v1/brands/:brand/{notices,banners,faq,site-settings}`: the brand's public content,
 * through `player@brand`, which owns it, audits each change in its commit and tells the
 * gateway's readers.
 */
export function contentRoutes(ctx: EdgeContext) {
  const player = (c: SignedInAtBrand) => ctx.clients.player(c.var.brand.id);
  const by = (c: SignedInAtBrand) => actingAs(c.var.staff);
  const read = staffGuard(ctx, "read", "brand");
  const write = staffGuard(ctx, "content.write", "brand");

  const app = new Hono<StaffBrandEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app
      .get(
        `/brands/:brand/${path}`,
        describeRoute({ summary: `The brand's ${path}, drafts included`, responses: { 200: p.listContent.reply } }),
        read,
        validated(brandParam, "param"),
        validated(pageQuerySchema, "query"),
        async (c) => c.json(valueOf(await player(c).listContent({ ...c.req.valid("query"), kind, includeHidden: true }))),
      )
      .post(
        `/brands/:brand/${path}`,
        describeRoute({ summary: `Add to the brand's ${path}`, responses: { 201: p.putContent.reply } }),
        write,
        validated(brandParam, "param"),
        validated(contentBody, "json"),
        async (c) => c.json(valueOf(await player(c).putContent({ ...c.req.valid("json"), kind, by: by(c) })), 201),
      )
      .put(
        `/brands/:brand/${path}/:id`,
        describeRoute({ summary: `Replace one of the brand's ${path}`, responses: { 200: p.putContent.reply }, errors: ["content_not_found"] }),
        write,
        validated(idParam, "param"),
        validated(contentBody, "json"),
        async (c) => c.json(valueOf(await player(c).putContent({ ...c.req.valid("json"), kind, id: c.req.valid("param").id, by: by(c) }))),
      )
      .delete(
        `/brands/:brand/${path}/:id`,
        describeRoute({ summary: `Remove one of the brand's ${path}`, responses: { 200: p.deleteContent.reply } }),
        write,
        validated(idParam, "param"),
        async (c) => c.json(valueOf(await player(c).deleteContent({ id: c.req.valid("param").id, kind, by: by(c) }))),
      );
  }
  return app
    .get(
      "/brands/:brand/site-settings",
      describeRoute({ summary: "The brand site's settings", responses: { 200: p.siteSettings.reply } }),
      read,
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await player(c).siteSettings({}))),
    )
    .put(
      "/brands/:brand/site-settings",
      describeRoute({
        summary: "Change the brand site's settings",
        description: "Merges into the settings; a key set to null is removed.",
        responses: { 200: p.putSiteSettings.reply },
      }),
      write,
      validated(brandParam, "param"),
      validated(settingsBody, "json"),
      async (c) => c.json(valueOf(await player(c).putSiteSettings({ ...c.req.valid("json"), by: by(c) }))),
    );
}
