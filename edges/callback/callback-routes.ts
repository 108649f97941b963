import { type Context, Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { z } from "zod";
import { addressAllowed } from "../../actors/game/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, type EdgeEnv, validated } from "../shared/index.ts";
import { answerCallback, providerOperation } from "./callback-pipeline.ts";
import { type CallbackReply, callbackRefusal, DIALECTS, renderJson } from "./dialects/index.ts";
import type { Operation } from "./dialects/types.ts";

// an unknown code is 404 not_found whatever its shape: the code is only looked up
const providerParam = z.object({ provider: z.string().describe("the provider's registered code") });
const signatureHeader = z.object({ "x-signature": z.string().describe("lowercase hex HMAC-SHA256 of the raw body with the provider's secret") });

/**
 * `POST /callbacks/{provider}/{operation}`, one route per dialect operation: find the provider
 * (404) and its dialect's operation (404), check its IP allow-list (403) before the raw body
 * is read, then the pipeline: signature (401), body (400), wallet. Failures before the
 * provider is authenticated use the platform's error envelope; after, the dialect's
 * `status` body.
 */
export function callbackRoutes(ctx: EdgeContext) {
  const log = ctx.log.child({ edge: "callback" });
  const app = new Hono<EdgeEnv>();
  for (const [path, operation] of operationsByPath()) {
    app.post(`/callbacks/:provider/${path}`, describeOperation(operation), validated(providerParam, "param"), async (c) => {
      const waiting = ctx.game.whenReady();
      if (waiting) await waiting;
      const target = providerOperation(ctx.game, c.req.valid("param").provider, path);
      const allowList = target.provider.ipAllowList;
      if (allowList.length > 0) {
        const address = clientAddress(c);
        if (!addressAllowed(allowList, address)) throw new PlatformError("forbidden", `provider ${target.provider.code} does not call from ${address ?? "an unknown address"}`);
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());
      return send(c, await answerCallback(ctx, target, raw, c.req.header("x-signature"), log, c.var.requestId));
    });
  }
  return app;
}

/** Every dialect's operations by path; two dialects never share a path. */
function operationsByPath(): Map<string, Operation> {
  const paths = new Map<string, Operation>();
  for (const dialect of Object.values(DIALECTS)) {
    for (const [path, operation] of Object.entries(dialect.operations)) {
      if (paths.has(path)) throw new Error(`two dialects answer /callbacks/{provider}/${path}`);
      paths.set(path, operation);
    }
  }
  return paths;
}

function describeOperation(operation: Operation) {
  return describe({
    summary: operation.summary,
    description: "A provider's signed seamless-wallet call (shared/contracts/provider-wallet.md). The brand and player come from the token in the body.",
    tags: ["callbacks"],
    headers: signatureHeader,
    body: { mediaType: "application/json", description: "the raw JSON body the signature covers", schema: operation.schema },
    responses: {
      200: { description: "RS_OK, or the wallet's refusal (RS_ERROR_*: a refused bet carries the balance)", schema: z.union([operation.reply, callbackRefusal]) },
      400: { description: "RS_ERROR_WRONG_TYPES: not UTF-8 JSON, or not the operation's fields; nothing moved", schema: callbackRefusal },
      401: { description: "RS_ERROR_INVALID_SIGNATURE: X-Signature missing or wrong; nothing recorded", schema: callbackRefusal },
      500: { description: "RS_ERROR_UNKNOWN: the outcome is unknown; retry the same call or roll back", schema: callbackRefusal },
    },
    errors: ["not_found", "forbidden"],
  });
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
