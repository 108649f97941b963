import { Hono } from "hono";
import { z } from "zod";
import { providerCodeSchema, signBody, type GameEdgeView } from "../../actors/game/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { assertScope, requireStaff, type StaffEnv } from "./integration-routes.ts";

const replayBody = z
  .object({
    provider: providerCodeSchema,
    /** the dialect's operation, e.g. `transaction/bet` or `play` */
    operation: z.string().regex(/^[a-z]+(\/[a-z]+)*$/, "an operation path like transaction/bet"),
    /** the callback body as JSON, or `raw` exactly as a provider sent it */
    body: z.record(z.string(), z.unknown()).optional(),
    raw: z.string().max(64 * 1024).optional(),
    /** send a wrong signature, to certify the refusal */
    badSignature: z.boolean().default(false),
  })
  .refine((b) => (b.body === undefined) !== (b.raw === undefined), "give either body or raw");

/**
 * `POST /integration/replay`: sign a callback with the provider's current secret and send it
 * over HTTP to this callback edge, exactly as the provider would; answers what was sent and
 * what came back. For support and certification runs. Staff with `games.write`; a body's
 * player token must belong to a brand in the caller's scope.
 */
export function replayRoutes(ctx: EdgeContext) {
  const game = ctx.game;
  const app = new Hono<StaffEnv>();

  app.post("/integration/replay", requireStaff(ctx, "games.write"), validated(replayBody, "json"), async (c) => {
    await game.whenReady();
    const input = c.req.valid("json");
    const secret = game.registry.secretOf(input.provider);
    if (!secret) throw new PlatformError("not_found", `no provider ${input.provider}`);
    const raw = input.raw ?? JSON.stringify(input.body);
    await checkTokenScope(game, raw, c.var.staff);
    const signature = input.badSignature ? "0".repeat(64) : await signBody(secret, raw);
    const url = `${new URL(c.req.url).origin}/callbacks/${input.provider}/${input.operation}`;
    const started = performance.now();
    const response = await fetch(url, { method: "POST", body: raw, headers: { "content-type": "application/json", "x-signature": signature } });
    const text = await response.text();
    return c.json({
      request: { url, signature, body: raw },
      response: { status: response.status, body: parseOrText(text), ms: Math.round((performance.now() - started) * 10) / 10 },
    });
  });

  return app;
}

async function checkTokenScope(game: GameEdgeView, raw: string, staff: Parameters<typeof assertScope>[0]): Promise<void> {
  if (staff.brands === null) return;
  const token = (parseOrText(raw) as { token?: unknown } | null)?.token;
  if (typeof token !== "string") return;
  const check = await game.tokens.check(token);
  if (check.genuine) assertScope(staff, check.claims.brand);
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
