import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../../actors/runtime/fields.ts";
import { validationError } from "./error-envelope.ts";

export type ValidationTarget = "json" | "query" | "param";

/** What a `validated` middleware checks: the OpenAPI document reads it back from the route. */
export type Validation = { schema: z.ZodType; target: ValidationTarget };

const VALIDATIONS = new WeakMap<Function, Validation>();

/** The schema and target of a middleware made by `validated`, or undefined for any other handler. */
export function validationOf(handler: Function): Validation | undefined {
  return VALIDATIONS.get(handler);
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Parse one part of the request with a zod schema; `c.req.valid(target)` then holds the
 * typed value. A failure is 400 validation_failed naming the fields. "json" is the body:
 * JSON, or form-encoded when the Content-Type says so (legacy dialects send either).
 * Query and form values are strings: use z.coerce for numbers.
 */
export function validated<S extends z.ZodType, T extends ValidationTarget>(
  schema: S,
  target: T,
): MiddlewareHandler<any, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }> {
  const middleware: MiddlewareHandler = async (c, next) => {
    const input = target === "json" ? await bodyOf(c) : target === "query" ? queryOf(c) : c.req.param();
    const parsed = await schema.safeParseAsync(input);
    if (!parsed.success) throw validationError(parsed.error, target === "json" ? undefined : target);
    c.req.addValidatedData(target, parsed.data as {});
    await next();
  };
  VALIDATIONS.set(middleware, { schema, target });
  return middleware;
}

async function bodyOf(c: Context): Promise<unknown> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (FORM_TYPES.includes(mediaType)) return formOf(c);
  const text = await c.req.text();
  if (text.trim() === "") return {};
  if (exceedsJsonDepth(text)) throw new PlatformError("bad_request", `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformError("bad_request", "the request body is not valid JSON");
  }
}

async function formOf(c: Context): Promise<Record<string, unknown>> {
  try {
    // `all` keeps repeated keys as arrays instead of the last value
    return await c.req.parseBody({ all: true });
  } catch {
    throw new PlatformError("bad_request", "the request body is not a valid form");
  }
}

function queryOf(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0]! : values]));
}
