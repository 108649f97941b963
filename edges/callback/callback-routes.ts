import { Hono, type Context } from "hono";
import { getConnInfo } from "hono/bun";
import type { z } from "zod";
import { addressAllowed, signatureMatches, type GameEdgeView, type ProviderView } from "../../actors/game/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import type { EdgeEnv } from "../shared/index.ts";
import { DIALECTS, STATUS, internalFailure, renderJson, wrongTypes, type CallbackReply } from "./dialects/index.ts";

const decoder = new TextDecoder();

/**
 * `POST /callbacks/{provider}/{operation}`: find the provider (404), check its IP allow-list
 * (403) and the HMAC of the raw body (401) before anything is parsed, validate the body
 * with the provider's dialect (400, nothing moved), then let the dialect verify the player
 * token, ask `wallet@brand` and render the answer. Failures before the provider is
 * authenticated use the platform's error envelope; after, the dialect's `status` body.
 */
export function callbackRoutes(ctx: EdgeContext) {
  const game = ctx.game;
  const log = ctx.log.child({ edge: "callback" });
  const app = new Hono<EdgeEnv>();

  app.post("/callbacks/:provider/:operation{.+}", async (c) => {
    const waiting = game.whenReady();
    if (waiting) await waiting;
    const provider = game.registry.provider(c.req.param("provider"));
    if (!provider) throw new PlatformError("not_found", `no provider ${c.req.param("provider")}`);
    const operation = DIALECTS[provider.dialect].operations[c.req.param("operation")];
    if (!operation) throw new PlatformError("not_found", `the ${provider.dialect} dialect has no operation ${c.req.param("operation")}`);
    if (provider.ipAllowList.length > 0) {
      const address = clientAddress(c);
      if (!addressAllowed(provider.ipAllowList, address)) throw new PlatformError("forbidden", `provider ${provider.code} does not call from ${address ?? "an unknown address"}`);
    }
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!(await signed(game, provider, c.req.header("x-signature"), raw))) {
      return send(c, { http: 401, body: { status: STATUS.invalidSignature, message: "X-Signature is not the HMAC-SHA256 of the body with the provider's secret" } });
    }
    const input = parseBody(raw, operation.schema);
    if ("http" in input) return send(c, input);
    try {
      return send(c, await operation.run(input.value, { ctx, game, provider }));
    } catch (error) {
      log.error("callback failed", { provider: provider.code, operation: c.req.param("operation"), error });
      return send(c, internalFailure(`internal error; quote request id ${c.var.requestId ?? "(none)"}`));
    }
  });

  return app;
}

async function signed(game: GameEdgeView, provider: ProviderView, signature: string | undefined, raw: Uint8Array): Promise<boolean> {
  const keys = game.registry.verifyingKeys(provider.code);
  return keys !== undefined && signatureMatches(await keys, signature, raw);
}

function parseBody(raw: Uint8Array, schema: z.ZodType): { value: unknown } | CallbackReply {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(raw));
  } catch {
    return wrongTypes("the body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  return wrongTypes(parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; "));
}

function send(c: Context, reply: CallbackReply): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
  return c.body(renderJson(reply.body), reply.http, headers);
}

function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
