import { expect, describe as group, test } from "bun:test";
import { Hono } from "hono";
import { z } from "zod";
import { describe, describeWith, openApiDocument, validated } from "../../edges/shared/index.ts";
import { openApiProblems } from "../support/openapi-checks.ts";
import { undocumentedRoutes } from "../support/route-coverage.ts";

// ids in zod's global registry are global to the test process: keep these to this file
const amount = z
  .union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]*$/)])
  .transform((v) => BigInt(v))
  .meta({ id: "OpenApiTestAmount", description: "minor units" });
const player = z.object({ id: z.string(), balance: z.bigint(), createdAt: z.date() }).meta({ id: "OpenApiTestPlayer" });
const playerParam = z.object({
  id: z
    .string()
    .regex(/^[0-9]+$/)
    .describe("the player's number"),
});
const ok = (c: { json: (v: unknown) => Response }) => c.json({});

function sampleApp() {
  const family = describeWith({ tags: ["players"], errors: ["unauthorized", "forbidden"] });
  const sub = new Hono().get("/status", describe({ summary: "Sub status", responses: { 200: z.object({ up: z.boolean() }) } }), ok);
  // a sub-app with its own error handler has its handlers wrapped when mounted
  sub.onError((_, c) => c.text("sub", 500));
  const app = new Hono();
  app.use("/brands/:brand/*", validated(z.object({ brand: z.string().min(2).describe("the brand id") }), "param"));
  app
    .get("/players/:id", family({ summary: "One player", responses: { 200: player }, errors: ["player_not_found", "validation_failed"] }), validated(playerParam, "param"), ok)
    .get(
      "/players",
      family({ summary: "Players", responses: { 200: z.array(player) } }),
      validated(z.object({ page: z.coerce.number().int().min(1).default(1), tag: z.array(z.string()).optional() }), "query"),
      ok,
    )
    .post(
      "/players/:id/deposits",
      family({
        summary: "Ask for a deposit",
        headers: z.object({ "idempotency-key": z.string().min(1) }),
        responses: { 201: z.object({ amount }) },
        errors: ["insufficient_funds"],
      }),
      validated(playerParam, "param"),
      validated(z.object({ amount, note: z.string().optional() }), "json"),
      ok,
    )
    .patch(
      "/players/:id/note",
      describe({ summary: "Change the note", responses: { 204: { description: "changed" } } }),
      validated(playerParam, "param"),
      validated(z.object({ note: z.string().default("") }), "json"),
      ok,
    )
    .post(
      "/callbacks/:provider/:operation{.+}",
      describe({
        summary: "A signed callback",
        body: { mediaType: "application/json", description: "the dialect's body, signed" },
        responses: { 200: { description: "the dialect's reply", mediaType: "application/json" } },
      }),
      ok,
    )
    .get("/ws", describe({ summary: "The socket", responses: { 101: { description: "upgraded" } } }), ok)
    .get("/page.html", describe({ summary: "A page", deprecated: true, responses: { 200: { description: "HTML", mediaType: "text/html" } } }), ok)
    .get("/brands/:brand/games", describe({ summary: "Games", responses: { 200: z.object({ items: z.array(z.string()) }) } }), ok)
    .get("/files/:name?", describe({ summary: "Files", responses: { 200: { description: "a file" } } }), ok)
    .get("/undescribed", ok);
  app.on(["GET", "DELETE"], "/both", describe({ summary: "Both", responses: { 200: z.object({}) } }), ok);
  app.route("/sub", sub);
  return app;
}

group("openApiDocument", () => {
  const document = openApiDocument(sampleApp(), { title: "sample", version: "1", servers: [{ url: "http://localhost" }] });
  const op = (path: string, method: string) => document.paths[path]![method] as Record<string, any>;

  test("is valid OpenAPI 3.1 with the info given", async () => {
    expect(await openApiProblems(document)).toEqual([]);
    expect(document).toMatchObject({ openapi: "3.1.0", info: { title: "sample", version: "1" }, servers: [{ url: "http://localhost" }] });
  });

  test("path parameters come from the path and their schema from validated(…, 'param')", () => {
    expect(op("/players/{id}", "get").parameters).toEqual([
      { name: "id", in: "path", required: true, description: "the player's number", schema: { type: "string", pattern: "^[0-9]+$", description: "the player's number" } },
    ]);
    // app.use middleware before the route documents its parameter too
    expect(op("/brands/{brand}/games", "get").parameters).toEqual([
      { name: "brand", in: "path", required: true, description: "the brand id", schema: { type: "string", minLength: 2, description: "the brand id" } },
    ]);
  });

  test("a :name{regex} parameter is {name} with the regex as its pattern; :name? gives two paths", () => {
    expect(op("/callbacks/{provider}/{operation}", "post").parameters).toEqual([
      { name: "provider", in: "path", required: true, schema: { type: "string" } },
      { name: "operation", in: "path", required: true, schema: { type: "string", pattern: "^(?:.+)$" } },
    ]);
    expect(op("/files", "get").parameters).toBeUndefined();
    expect(op("/files/{name}", "get").parameters).toHaveLength(1);
  });

  test("query parameters come from validated(…, 'query'), headers from describe({ headers })", () => {
    expect(op("/players", "get").parameters).toEqual([
      { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 } },
      { name: "tag", in: "query", required: false, schema: { type: "array", items: { type: "string" } } },
    ]);
    expect(op("/players/{id}/deposits", "post").parameters).toContainEqual({ name: "idempotency-key", in: "header", required: true, schema: { type: "string", minLength: 1 } });
  });

  test("a validated JSON body is documented as JSON and as the forms the validator also takes", () => {
    const body = op("/players/{id}/deposits", "post").requestBody;
    expect(Object.keys(body.content)).toEqual(["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]);
    expect(body.required).toBe(true);
    const schema = body.content["application/json"].schema;
    expect(schema).toEqual({ type: "object", properties: { amount: { $ref: "#/components/schemas/OpenApiTestAmountInput" }, note: { type: "string" } }, required: ["amount"] });
    expect(body.content["multipart/form-data"].schema).toEqual(schema);
    // a body whose every field may be left out may be left out
    expect(op("/players/{id}/note", "patch").requestBody.required).toBe(false);
  });

  test("a body the handler reads itself is documented from describe({ body })", () => {
    expect(op("/callbacks/{provider}/{operation}", "post").requestBody).toEqual({ description: "the dialect's body, signed", required: true, content: { "application/json": {} } });
  });

  test("replies come from describe; refusals are the error envelope under their status", () => {
    const responses = op("/players/{id}", "get").responses;
    expect(Object.keys(responses)).toEqual(["200", "400", "401", "403", "404"]);
    expect(responses["200"]).toEqual({ description: "OK", content: { "application/json": { schema: { $ref: "#/components/schemas/OpenApiTestPlayer" } } } });
    expect(responses["404"]).toEqual({ description: "refused: player_not_found", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } } });
    expect(responses["401"].description).toBe("refused: unauthorized");
    expect(op("/ws", "get").responses).toEqual({ "101": { description: "upgraded" } });
    expect(op("/page.html", "get")).toMatchObject({ deprecated: true, responses: { "200": { description: "HTML", content: { "text/html": {} } } } });
  });

  test("replies are what a schema produces, requests what it accepts; named schemas are components", () => {
    const { schemas } = document.components;
    expect(schemas.OpenApiTestPlayer).toMatchObject({
      properties: { balance: { type: "string", pattern: "^-?[0-9]+$" }, createdAt: { type: "string", format: "date-time" } },
      additionalProperties: false,
    });
    expect(schemas.OpenApiTestAmountInput).toMatchObject({ description: "minor units", anyOf: [{ type: "integer" }, { type: "string" }] });
    // a transform's result has no JSON Schema: any value
    expect(schemas.OpenApiTestAmount).toEqual({ description: "minor units" });
    expect(op("/players/{id}/deposits", "post").responses["201"].content["application/json"].schema.properties.amount).toEqual({ $ref: "#/components/schemas/OpenApiTestAmount" });
    expect(schemas.ErrorEnvelope).toMatchObject({ required: ["error"] });
  });

  test("every method of app.on, mounted sub-apps and tags are there; an undescribed route says so", () => {
    expect(Object.keys(document.paths["/both"]!)).toEqual(["get", "delete"]);
    expect(op("/sub/status", "get").summary).toBe("Sub status");
    expect(op("/players", "get").tags).toEqual(["players"]);
    expect(document.tags).toEqual([{ name: "players" }]);
    expect(op("/undescribed", "get")).toEqual({ responses: { default: { description: "not described yet" } } });
  });

  test("describe() and validated() do not change what a route answers", async () => {
    const app = new Hono().post(
      "/echo",
      describe({ summary: "Echo", responses: { 200: z.object({ n: z.number() }) } }),
      validated(z.object({ n: z.coerce.number() }), "json"),
      (c) => c.json(c.req.valid("json")),
    );
    const res = await app.request("/echo", { method: "POST", body: "n=5", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(await res.json()).toEqual({ n: 5 });
  });

  test("a reply under something that is not a status is a mistake the document refuses", () => {
    const app = new Hono().get("/x", describe({ summary: "X", responses: { 2000: z.object({}) } }), ok);
    expect(() => openApiDocument(app, { title: "t", version: "1" })).toThrow("2000 is not an HTTP status");
  });
});

group("undocumentedRoutes", () => {
  test("names each route and what it lacks", () => {
    const app = new Hono()
      .get("/fine/:id", describe({ summary: "Fine", responses: { 200: z.object({}) } }), validated(playerParam, "param"), (c) => c.json({ id: c.req.valid("param").id }))
      .get("/bare", (c) => c.json({}))
      .get("/no-summary", describe({ summary: " ", responses: { 200: z.object({}) } }), ok)
      .get("/no-reply", describe({ summary: "No reply", responses: {} }), ok)
      .get("/param/:id", describe({ summary: "Param", responses: { 200: z.object({}) } }), (c) => c.json({ id: c.req.param("id") }))
      .get("/query", describe({ summary: "Query", responses: { 200: z.object({}) } }), (c) => c.json({ q: c.req.query("q") }))
      .post("/body", describe({ summary: "Body", responses: { 200: z.object({}) } }), async (c) => c.json(await c.req.json()))
      .post("/raw", describe({ summary: "Raw", body: { mediaType: "text/plain" }, responses: { 200: z.object({}) } }), async (c) => c.text(await c.req.text()))
      .get("/healthz", (c) => c.json({}));
    expect(undocumentedRoutes(app)).toEqual([
      { route: "GET /bare", problems: ["no describe()"] },
      { route: "GET /no-summary", problems: ["describe() has no summary"] },
      { route: "GET /no-reply", problems: ["describe() names no response"] },
      { route: "GET /param/:id", problems: [`path parameters no validated(…, "param") names: id`] },
      { route: "GET /query", problems: [`reads the query without validated(…, "query")`] },
      { route: "POST /body", problems: [`reads the body without validated(…, "json") or describe({ body })`] },
    ]);
  });
});

group("openApiProblems", () => {
  const valid = () => openApiDocument(sampleApp(), { title: "sample", version: "1" });

  test("catches what the official schema catches, bad schema objects, dangling refs and path parameters", async () => {
    const noDescription = valid();
    delete (noDescription.paths["/ws"]!.get!.responses as any)["101"].description;
    expect((await openApiProblems(noDescription))[0]).toStartWith("not OpenAPI 3.1");

    const badSchema = valid();
    badSchema.components.schemas.OpenApiTestPlayer = { type: "strin" };
    expect(await openApiProblems(badSchema)).toContainEqual(expect.stringContaining("/components/schemas/OpenApiTestPlayer"));

    const dangling = valid();
    delete dangling.components.schemas.ErrorEnvelope;
    expect((await openApiProblems(dangling)).join()).toMatch(/resolve.*#\/components\/schemas\/ErrorEnvelope/i);

    const badPattern = valid();
    badPattern.components.schemas.OpenApiTestAmountInput = { type: "string", pattern: "([" };
    expect((await openApiProblems(badPattern)).join()).toContain("Invalid regular expression");

    const missingParameter = valid();
    (missingParameter.paths["/players/{id}"]!.get as any).parameters = [];
    expect(await openApiProblems(missingParameter)).toEqual(["get /players/{id}: path parameters  do not match the template"]);
  });
});
