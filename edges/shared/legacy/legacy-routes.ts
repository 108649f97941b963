import { type Context, Hono, type MiddlewareHandler } from "hono";
import { MAX_PAGE_SIZE } from "../../../actors/runtime/fields.ts";
import { bearerToken } from "../access-token.ts";
import { sameCaller } from "../client-address.ts";
import type { BrandedEnv } from "../env.ts";
import { describe } from "../openapi/index.ts";
import { validated } from "../validated.ts";
import type { LegacyRoute } from "./dialect.ts";
import { legacyFailureResponse } from "./legacy-errors.ts";
import { legacyEnvelopeSchema, legacyFieldsSchema } from "./legacy-fields.ts";
import { legacyData, legacyJson, legacySuccess, type TwinRequest, twinRequest } from "./translate.ts";

/** The `/api/v1` app a dialect's requests are replayed against: a full edge frame with the twin routes. */
export type LegacyTwin = { request(input: string, init: RequestInit, env?: object): Response | Promise<Response> };
type Fields = Record<string, unknown>;
type LegacyContext = Context<BrandedEnv, string, { out: { query: Fields; json: Fields } }>;

/**
 * A legacy dialect's root paths, one per table row. Each request is translated by its row and
 * replayed against the `/api/v1` twin through a full edge frame, so brand resolution, token
 * checks and validation are exactly those of `/api/v1`; the reply is mapped back into the
 * legacy envelope, always HTTP 200.
 */
export function legacyDialect(twin: LegacyTwin, routes: readonly LegacyRoute[], dialect: { name: string }) {
  const app = new Hono<BrandedEnv>();
  for (const route of routes) {
    const fields = legacyFieldsSchema(route);
    const documented = describe({
      summary: `Legacy ${route.method} ${route.path} (${route.twin})`,
      description: `The legacy ${dialect.name} dialect: JSON or form fields, the token as Authorization: Bearer or a \`token\` field; always HTTP 200 with \`result\` 1 or 0.`,
      tags: ["legacy"],
      deprecated: true,
      responses: { 200: legacyEnvelopeSchema },
    });
    const reads: MiddlewareHandler[] = route.method === "POST" ? [validated(fields, "query"), validated(fields, "json")] : [validated(fields, "query")];
    app.on(route.method, route.path, documented, ...reads, async (c: LegacyContext) => {
      const given: Fields = { ...c.req.valid("query"), ...(route.method === "POST" ? c.req.valid("json") : {}) };
      const reply = await twinReply(twin, c, route, given);
      if (reply instanceof Response) return legacyFailureResponse(c, reply);
      const combined = await withAlso(twin, c, route, given, reply);
      if (combined instanceof Response) return legacyFailureResponse(c, combined);
      return c.body(legacyJson(legacySuccess(legacyData(route.reply, combined))), 200, { "content-type": "application/json" });
    });
  }
  return app;
}

/** the longest whole list a legacy reply carries (pages of the twin gathered) */
const MAX_WHOLE_LIST = 2000;

/**
 * The twin's reply (or its failure as a Response). A paged row follows the twin's cursors to
 * the page asked for (past the last page the list is empty); a whole-list row gathers every
 * page.
 */
async function twinReply(twin: LegacyTwin, c: Context, route: LegacyRoute, fields: Fields): Promise<unknown> {
  const request = twinRequest(route, fields);
  if (route.wholeList) request.query.set("limit", String(MAX_PAGE_SIZE));
  const page = route.pageField ? Number(fields[route.pageField] ?? 1) : 1;
  // the caller's address goes with the replay: limits per address hold for legacy clients too
  let res = await twin.request(...twinCall(c, request, fields), sameCaller(c));
  const gathered: unknown[] = [];
  for (let at = 1; res.ok; at++) {
    const reply = (await res.json()) as { items: unknown[]; nextCursor: string | null };
    if (route.wholeList) {
      gathered.push(...reply.items);
      if (reply.nextCursor === null || gathered.length >= MAX_WHOLE_LIST) return { ...reply, items: gathered, nextCursor: null };
    } else if (at >= page) return reply;
    else if (reply.nextCursor === null) return { ...reply, items: [] };
    request.query.set("cursor", reply.nextCursor!);
    res = await twin.request(...twinCall(c, request, fields), sameCaller(c));
  }
  return res;
}

/** The twin's reply with the replies of the row's other twins under their names (or the first failure). */
async function withAlso(twin: LegacyTwin, c: Context, route: LegacyRoute, fields: Fields, reply: unknown): Promise<unknown> {
  if (!route.also) return reply;
  const combined = { ...(reply as Record<string, unknown>) };
  for (const [name, target] of Object.entries(route.also)) {
    const [method, pathAndQuery] = target.split(" ") as [string, string];
    const url = new URL(pathAndQuery, "http://twin");
    const res = await twin.request(...twinCall(c, { method, path: url.pathname, query: url.searchParams, json: undefined }, fields), sameCaller(c));
    if (!res.ok) return res;
    combined[name] = await res.json();
  }
  return combined;
}

function twinCall(c: Context, request: TwinRequest, fields: Fields): [string, RequestInit] {
  const token = bearerToken(c.req.header("authorization")) ?? (typeof fields.token === "string" ? fields.token : undefined);
  const url = new URL(c.req.url);
  const headers = new Headers({ host: c.req.header("host") ?? url.host, "x-request-id": c.var.requestId });
  if (token) headers.set("authorization", `Bearer ${token}`);
  const key = c.req.header("idempotency-key");
  if (key) headers.set("idempotency-key", key);
  if (request.json) headers.set("content-type", "application/json");
  const query = request.query.size > 0 ? `?${request.query}` : "";
  return [`${url.origin}/api/v1${request.path}${query}`, { method: request.method, headers, body: request.json && JSON.stringify(request.json) }];
}
