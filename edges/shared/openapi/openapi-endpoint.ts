import type { Hono } from "hono";
import { type OpenApiInfo, openApiDocument } from "./openapi-document.ts";
import { describe } from "./route-description.ts";

/**
 * `GET /openapi.json`: the app's OpenAPI document, made at the first request, when every
 * route module is mounted, and kept: routes do not change while a node runs.
 */
export function serveOpenApiDocument(app: Hono<any, any, any>, info: OpenApiInfo): void {
  let text: string | undefined;
  const documented = describe({
    summary: "This edge's OpenAPI 3.1 document",
    tags: ["edge"],
    responses: { 200: { description: "every route this edge serves", mediaType: "application/json" } },
  });
  app.get("/openapi.json", documented, (c) => {
    text ??= JSON.stringify(openApiDocument(app, info));
    return c.body(text, 200, { "content-type": "application/json; charset=UTF-8" });
  });
}
