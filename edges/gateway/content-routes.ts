import { Hono } from "hono";
import type { NodeContext } from "../../supervisor/context.ts";
import type { BrandedEnv } from "../shared/index.ts";
import { playerAddress, valueOf } from "./player-access.ts";

const KINDS = { notices: "notice", banners: "banner", faq: "faq" } as const;

/** `/api/v1/{notices,banners,faq,site-settings}`: what the site shows visitors, no login needed. */
export function contentRoutes(ctx: NodeContext) {
  const app = new Hono<BrandedEnv>();
  for (const [path, kind] of Object.entries(KINDS)) {
    app.get(`/${path}`, async (c) => c.json(valueOf(await ctx.system.askOutcome(playerAddress(c.var.brand.id), "list_content", { kind }))));
  }
  app.get("/site-settings", async (c) => c.json(valueOf(await ctx.system.askOutcome(playerAddress(c.var.brand.id), "site_settings", {}))));
  return app;
}
