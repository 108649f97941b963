import { Hono, type Context } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol } from "../../actors/player/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { valueOf } from "../shared/outcome.ts";
import { requireBrand, validated, type BrandedEnv } from "../shared/index.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const contentBody = playerProtocol.putContent.body;
const idParam = z.object({ id: f.recordIdSchema });
const hiddenQuery = z.object({ includeHidden: z.enum(["true", "false"]).default("true").transform((v) => v === "true") });

/**
 * `/internal/common/*` (service token, brand by X-Brand-Id): the brand site's notices,
 * banners, FAQ and settings, drafts included, and their edits.
 */
export function commonRoutes(ctx: EdgeContext) {
  const player = (c: Context<BrandedEnv>) => ctx.clients.player(c.var.brand.id);
  const app = new Hono<BrandedEnv>().use("*", requireBrand());
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(`/${path}`, validated(hiddenQuery, "query"), async (c) => c.json(valueOf(await player(c).listContent({ kind, includeHidden: c.req.valid("query").includeHidden }))));
  }
  app
    .post("/content", validated(contentBody.omit({ id: true }), "json"), async (c) => c.json(valueOf(await player(c).putContent(c.req.valid("json"))), 201))
    .put("/content/:id", validated(idParam, "param"), validated(contentBody.omit({ id: true }), "json"), async (c) =>
      c.json(valueOf(await player(c).putContent({ ...c.req.valid("json"), id: c.req.valid("param").id }))),
    )
    .delete("/content/:id", validated(idParam, "param"), async (c) => c.json(valueOf(await player(c).deleteContent({ id: c.req.valid("param").id }))))
    .get("/site-settings", async (c) => c.json(valueOf(await player(c).siteSettings({}))))
    .patch("/site-settings", validated(playerProtocol.putSiteSettings.body, "json"), async (c) => c.json(valueOf(await player(c).putSiteSettings(c.req.valid("json")))));
  return app;
}
