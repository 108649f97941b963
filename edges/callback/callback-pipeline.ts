import type { z } from "zod";
import type { GameEdgeView, ProviderView } from "../../actors/game/index.ts";
import type { ActingStaff } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../../actors/runtime/fields.ts";
import type { Logger } from "../../actors/runtime/log.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type CallbackReply, DIALECTS, internalFailure, STATUS, wrongTypes } from "./dialects/index.ts";
import type { Operation } from "./dialects/types.ts";

// strict: bytes that are not UTF-8 are refused, and a byte-order mark stays in the text (where
// JSON.parse refuses it) instead of being dropped; what is signed is exactly what is parsed
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `path` is the operation's path under `/callbacks/{provider}/` */
export type ProviderOperation = { provider: ProviderView; operation: Operation; path: string };

/** The provider a callback names and the operation its dialect has at that path; 404 for either unknown. */
export function providerOperation(game: GameEdgeView, code: string, path: string): ProviderOperation {
  const provider = game.registry.provider(code);
  if (!provider) throw new PlatformError("not_found", `no provider ${code}`);
  const operations = DIALECTS[provider.dialect].operations;
  // own keys only: `constructor` and the like are on every object's prototype
  const operation = Object.hasOwn(operations, path) ? operations[path] : undefined;
  if (!operation) throw new PlatformError("not_found", `the ${provider.dialect} dialect has no operation ${path}`);
  return { provider, operation, path };
}

/**
 * The body of a callback as its operation reads it: UTF-8 JSON, nested no deeper than the
 * shared bound, valid under the operation's schema; anything else is the dialect's
 * RS_ERROR_WRONG_TYPES. The callback edge and the replay tool both read bodies here, so
 * what replay checks is what the callback runs.
 */
export function parseCallbackBody(raw: Uint8Array, schema: z.ZodType): { value: unknown } | CallbackReply {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    return wrongTypes("the body is not UTF-8");
  }
  if (exceedsJsonDepth(text)) return wrongTypes(`the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return wrongTypes("the body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  return wrongTypes(parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; "));
}

/**
 * A callback from its signature on: the HMAC of the raw body (401, nothing parsed before it),
 * the body under the dialect's schema (400, nothing moved), then the dialect's run: the
 * player token, `wallet@brand`, the answer. A failure of ours is RS_ERROR_UNKNOWN (500), so
 * the provider retries or rolls back. `by`: the staff member replaying it, whom the wallet
 * audits for what it moves.
 */
export async function answerCallback(
  ctx: EdgeContext,
  target: ProviderOperation,
  raw: Uint8Array,
  signature: string | undefined,
  log: Logger,
  requestId?: string,
  by?: ActingStaff,
): Promise<CallbackReply> {
  const { provider, operation } = target;
  if (!(await ctx.game.registry.signatureValid(provider.code, signature, raw))) {
    return { http: 401, body: { status: STATUS.invalidSignature, message: "X-Signature is not the HMAC-SHA256 of the body with the provider's secret" } };
  }
  const input = parseCallbackBody(raw, operation.schema);
  if ("http" in input) return input;
  try {
    return await operation.run(input.value, { ctx, game: ctx.game, provider, ...(by ? { by } : {}) });
  } catch (error) {
    log.error("callback failed", { provider: provider.code, operation: target.path, error });
    return internalFailure(`internal error; quote request id ${requestId ?? "(none)"}`);
  }
}
