import { afterAll, beforeAll, expect, test } from "bun:test";
import { EDGE_NAMES, type EdgeApps, type EdgeName } from "../../edges/index.ts";
import type { OpenApiDocument } from "../../edges/shared/index.ts";
import { openApiProblems } from "../support/openapi-checks.ts";
import { formatUndocumented, undocumentedRoutes } from "../support/route-coverage.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

let node: TestPlatformNode;
let apps: EdgeApps;
beforeAll(async () => {
  // every route module of the composition root, as a node serves them
  node = await testNode({ label: "openapi" });
  apps = node.apps;
});
afterAll(() => node.stop());

async function documentOf(edge: EdgeName): Promise<OpenApiDocument> {
  const headers: Record<string, string> = edge === "internal" ? { authorization: `Bearer ${node.config.secrets.service}` } : {};
  const res = await apps[edge].request("http://nobody.test/openapi.json", { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toStartWith("application/json");
  return (await res.json()) as OpenApiDocument;
}

/** What the app serves, read from Hono's route table without the generator's help. */
function servedRoutes(edge: EdgeName): string[] {
  const toTemplate = (path: string) => path.replace(/:([^/{}?]+)(\{[^/]*\})?/g, "{$1}");
  const served = apps[edge].routes.filter((r) => r.method !== "ALL").map((r) => `${r.method.toLowerCase()} ${toTemplate(r.path)}`);
  return [...new Set(served)];
}

test.each([...EDGE_NAMES])("the %s edge serves a valid OpenAPI 3.1 document at /openapi.json", async (edge) => {
  const document = await documentOf(edge);
  expect(document.info.title).toBe(`Casino platform: the ${edge} edge`);
  expect(await openApiProblems(document)).toEqual([]);
});

test.each([...EDGE_NAMES])("the %s edge's document lists every route the edge serves", async (edge) => {
  const document = await documentOf(edge);
  const listed = new Set(Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)));
  const served = servedRoutes(edge);
  expect(served).toContain("get /openapi.json");
  expect(served.filter((route) => !listed.has(route))).toEqual([]);
  expect(listed.size).toBe(served.length);
});

test("the document is open on every edge but the internal one, where it takes the service token", async () => {
  for (const edge of ["gateway", "agent", "admin", "callback"] as const) {
    // no Host names a brand: the document is not brand-scoped
    expect((await apps[edge].request("http://nobody.test/openapi.json")).status).toBe(200);
  }
  const anonymous = await apps.internal.request("/openapi.json");
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
});

test("the frame's own routes are described", async () => {
  const document = await documentOf("agent");
  expect(document.paths["/healthz"]?.get?.summary).toBe("Whether the process answers");
  expect(Object.keys(document.paths["/readyz"]?.get?.responses as object)).toEqual(["200", "503"]);
  expect((await documentOf("internal")).paths["/metrics"]?.get?.summary).toStartWith("Prometheus metrics");
});

// a route added without describe() or validated() fails here, naming the route
test("every route of every edge is described and validates what it reads", () => {
  const missing = EDGE_NAMES.map((edge) => ({ edge, routes: undocumentedRoutes(apps[edge]) })).filter((e) => e.routes.length > 0);
  const count = missing.reduce((n, e) => n + e.routes.length, 0);
  if (count > 0) console.log(`${count} routes to describe:\n${missing.map((e) => formatUndocumented(e.edge, e.routes)).join("\n")}`);
  expect(count).toBe(0);
});
