import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError, z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { Logger } from "../../actors/runtime/log.ts";
import { isRetryable, statusOf } from "./error-status.ts";

const CODE_BY_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
  504: "timeout",
};

/** Every refusal's body, `{ error: { code, message, details? } }`; documented once as a component. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().describe("stable, for programs: see the table of codes"),
      message: z.string().describe("for people: what went wrong and what to do"),
      details: z.unknown().optional().describe("per code: `issues` for validation_failed, `attemptsLeft`, `lockedUntil`, ..."),
    }),
  })
  .meta({ id: "ErrorEnvelope" });

/** A zod failure as the 400 a caller can act on: every offending field named. */
export function validationError(error: ZodError, where?: string): PlatformError {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
  const message = issues.map((i) => `${i.path || "body"}: ${i.message}`).join("; ");
  return new PlatformError("validation_failed", message, { details: { issues } });
}

/** The failures a caller caused or can retry, as PlatformErrors; anything else is a bug. */
function knownError(error: unknown): PlatformError | undefined {
  if (error instanceof PlatformError) return error;
  if (error instanceof ZodError) return validationError(error);
  // c.req.json() on a malformed body throws a SyntaxError: the caller's mistake, not ours
  if (error instanceof SyntaxError) return new PlatformError("bad_request", "the request body is not valid JSON");
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS[error.status] ?? (error.status >= 500 ? "internal" : "bad_request");
    return new PlatformError(code, error.message || code.replaceAll("_", " "));
  }
  return undefined;
}

export function errorResponse(c: Context, error: PlatformError): Response {
  const status = statusOf(error.code);
  if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  else if (isRetryable(error.code)) c.header("Retry-After", "1");
  return c.json({ error: error.toBody() }, status as ContentfulStatusCode);
}

/** The one mapping from thrown errors to `{ error: { code, message } }`; bugs never leak. */
export function edgeErrorHandler(log: Logger): ErrorHandler {
  return (error, c) => {
    const requestId = c.get("requestId") as string | undefined;
    const where = { requestId, method: c.req.method, path: c.req.path };
    const known = knownError(error);
    if (known) {
      if (statusOf(known.code) >= 500) log.warn("request refused", { ...where, code: known.code, message: known.message });
      return errorResponse(c, known);
    }
    log.error("request failed", { ...where, error });
    return errorResponse(c, new PlatformError("internal", `internal error; quote request id ${requestId ?? "(none)"} when reporting it`));
  };
}

export const notFoundEnvelope: NotFoundHandler = (c) => errorResponse(c, new PlatformError("not_found", `no route for ${c.req.method} ${c.req.path}`));
