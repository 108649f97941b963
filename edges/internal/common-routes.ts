import { Hono, type Context } from "hono";
import { z } from "zod";
import { playerFields as f, playerProtocol } from "../../actors/player/index.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import { playerAddress, valueOf } from "../gateway/player-access.ts";
import { requireBrand, validated, type BrandedEnv } from "../shared/index.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;
const contentBody = playerProtocol.put_content.body;
const idParam = z.object({ id: f.recordIdSchema });
const hiddenQuery = z.object({ includeHidden: z.enum(["true", "false"]).default("true").transform((v) => v === "true") });

/**
 * `/internal/common/*` (service token, brand by X-Brand-Id): the brand site's notices,
 * banners, FAQ and settings, drafts included, and their edits.
 */
export function commonRoutes(ctx: NodeContext): Hono {
  const ask = async (c: Context<BrandedEnv>, type: string, body: unknown) => valueOf(await ctx.system.askOutcome(playerAddress(c.var.brand.id), type, body));
  const app = new Hono<BrandedEnv>().use("*", requireBrand());
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(`/${path}`, validated(hiddenQuery, "query"), async (c) => c.json(await ask(c, "list_content", { kind, includeHidden: c.req.valid("query").includeHidden })));
  }
  app
    .post("/content", validated(contentBody.omit({ id: true }), "json"), async (c) => c.json(await ask(c, "put_content", c.req.valid("json")), 201))
    .put("/content/:id", validated(idParam, "param"), validated(contentBody.omit({ id: true }), "json"), async (c) =>
      c.json(await ask(c, "put_content", { ...c.req.valid("json"), id: c.req.valid("param").id })),
    )
    .delete("/content/:id", validated(idParam, "param"), async (c) => c.json(await ask(c, "delete_content", { id: c.req.valid("param").id })))
    .get("/site-settings", async (c) => c.json(await ask(c, "site_settings", {})))
    .patch("/site-settings", validated(playerProtocol.put_site_settings.body, "json"), async (c) => c.json(await ask(c, "put_site_settings", c.req.valid("json"))));
  return app as unknown as Hono;
}
