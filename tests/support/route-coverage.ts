import type { Hono } from "hono";
import { type DocumentedRoute, routesOf, validationOf } from "../../edges/shared/index.ts";
import { pathTemplates } from "../../edges/shared/openapi/path-template.ts";
import { descriptionOf } from "../../edges/shared/openapi/route-description.ts";
import { SchemaComponents } from "../../edges/shared/openapi/schema-components.ts";

/** The frame's own routes, on every edge: not counted. */
export const FRAME_PATHS = new Set(["/healthz", "/readyz", "/openapi.json"]);

const BODY_READS = /\.req\.(json|text|parseBody|formData|arrayBuffer|blob)\s*\(|\.req\.raw\b/;
const QUERY_READS = /\.req\.(query|queries)\s*\(/;

export type UndocumentedRoute = { route: string; problems: string[] };

/**
 * The routes of an app its OpenAPI document cannot describe in full, each with what is
 * missing: a `describe` with a summary and at least one reply; a `validated(…, "param")`
 * naming every path parameter; `validated(…, "query")` when a handler reads the query, and
 * `validated(…, "json")` (or `describe({ body })`) when it reads the body. Reading is seen in
 * the source of the route's own handlers, not of helpers they call.
 */
export function undocumentedRoutes(app: Hono<any, any, any>): UndocumentedRoute[] {
  return routesOf(app)
    .filter((route) => !FRAME_PATHS.has(route.path))
    .map((route) => ({ route: `${route.method} ${route.path}`, problems: problemsOf(route) }))
    .filter((route) => route.problems.length > 0);
}

function problemsOf(route: DocumentedRoute): string[] {
  const problems: string[] = [];
  const d = route.description;
  if (!d) problems.push("no describe()");
  else if (!d.summary.trim()) problems.push("describe() has no summary");
  if (d && Object.keys(d.responses).length === 0) problems.push("describe() names no response");

  const validatedParams = new Set(route.validations.filter((v) => v.target === "param").flatMap((v) => fieldNames(v.schema)));
  const pathParams = new Set(pathTemplates(route.path).flatMap((t) => t.params.map((p) => p.name)));
  const unvalidated = [...pathParams].filter((name) => !validatedParams.has(name));
  if (unvalidated.length > 0) problems.push(`path parameters no validated(…, "param") names: ${unvalidated.join(", ")}`);

  const targets = new Set(route.validations.map((v) => v.target));
  const source = route.handlers
    .filter((handler) => !validationOf(handler) && !descriptionOf(handler))
    .map(String)
    .join("\n");
  if (QUERY_READS.test(source) && !targets.has("query")) problems.push(`reads the query without validated(…, "query")`);
  if (BODY_READS.test(source) && !targets.has("json") && !d?.body) problems.push(`reads the body without validated(…, "json") or describe({ body })`);
  return problems;
}

function fieldNames(schema: Parameters<SchemaComponents["convert"]>[0]): string[] {
  const components = new SchemaComponents();
  const json = components.resolve(components.convert(schema, "input"));
  return Object.keys((json.properties as object | undefined) ?? {});
}

/** The list as a reader wants it: one route a line, what is missing after it. */
export function formatUndocumented(edge: string, routes: UndocumentedRoute[]): string {
  return routes.map((r) => `${edge}  ${r.route}  — ${r.problems.join("; ")}`).join("\n");
}
