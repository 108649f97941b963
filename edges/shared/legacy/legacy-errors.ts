import type { Context, ErrorHandler } from "hono";
import type { LegacyRoute } from "./dialect.ts";
import { legacyFailure } from "./translate.ts";

/** Old clients read only the body: on a legacy route every failure is HTTP 200 with `result: 0`. */
export async function legacyFailureResponse(c: Context, failed: Response): Promise<Response> {
  const body = (await failed.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const envelope = legacyFailure(body.error?.code ?? "internal", body.error?.message ?? "the request failed; try again");
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of ["retry-after", "x-request-id"]) {
    const value = failed.headers.get(name) ?? c.res.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(JSON.stringify(envelope), { status: 200, headers });
}

/**
 * Wraps an edge's error handler so that failures raised before a legacy route runs (an
 * unknown host, an expired token, a body over the limit) reach old clients in their envelope too.
 */
export function legacyAwareErrors(fallback: ErrorHandler, routes: readonly LegacyRoute[]): ErrorHandler {
  const legacy = new Set(routes.map((r) => `${r.method} ${r.path}`));
  return async (error, c) => {
    const response = await fallback(error, c);
    return legacy.has(`${c.req.method} ${c.req.path}`) ? legacyFailureResponse(c, response) : response;
  };
}
