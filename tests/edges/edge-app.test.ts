import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { Logger } from "../../actors/runtime/log.ts";
import { createEdges } from "../../edges/index.ts";
import { type EdgeEnv, validated } from "../../edges/shared/index.ts";
import { edgeContextOf, type TestNode, testNodeContext } from "../support/node-context.ts";

type Logged = { level: string; msg: string; fields?: Record<string, unknown> };

function capturingLogger(lines: Logged[], base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields: { ...base, ...fields } });
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error"), child: (f) => capturingLogger(lines, { ...base, ...f }) };
}

const signup = z.object({ username: z.string().min(3), amount: z.coerce.number().int().positive() });

function probeRoutes() {
  return new Hono<EdgeEnv>()
    .get("/platform-error", () => {
      throw new PlatformError("overloaded", "wallet@x has 1000 messages queued; retry later", { retryAfterSeconds: 3 });
    })
    .get("/conflict", () => {
      throw new PlatformError("conflict", "username taken");
    })
    .post("/zod", async (c) => c.json(signup.parse(await c.req.json())))
    .post("/raw-json", async (c) => c.json(await c.req.json()))
    .get("/bug", () => {
      throw new Error("db password is hunter2");
    })
    .post("/echo", async (c) => c.json({ size: (await c.req.text()).length }))
    .post("/signup", validated(signup, "json"), (c) => c.json(c.req.valid("json")))
    .get("/search", validated(z.object({ page: z.coerce.number().int().min(1), tag: z.array(z.string()).optional() }), "query"), (c) => c.json(c.req.valid("query")))
    .get("/players/:id", validated(z.object({ id: z.string().regex(/^\d+$/) }), "param"), (c) => c.json(c.req.valid("param")));
}

describe("edge frame", () => {
  let node: TestNode;
  let app: Hono<EdgeEnv>;
  const logged: Logged[] = [];

  beforeAll(async () => {
    node = await testNodeContext({ env: { BODY_LIMIT_BYTES: "1024" } });
    const ctx = { ...edgeContextOf(node), log: capturingLogger(logged) };
    app = createEdges(ctx, [{ edge: "callback", prefix: "/", routes: probeRoutes }]).callback;
  });
  afterAll(() => node.close());

  test("echoes a sane X-Request-Id and replaces an unsafe one", async () => {
    const kept = await app.request("/healthz", { headers: { "X-Request-Id": "abc-123_X" } });
    expect(kept.headers.get("x-request-id")).toBe("abc-123_X");
    const replaced = await app.request("/healthz", { headers: { "X-Request-Id": 'bad id"<script>' } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const made = await app.request("/healthz");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a PlatformError keeps its code, status and Retry-After", async () => {
    const res = await app.request("/platform-error");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.json()).toEqual({ error: { code: "overloaded", message: "wallet@x has 1000 messages queued; retry later" } });
    const conflict = await app.request("/conflict");
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get("retry-after")).toBeNull();
  });

  test("a ZodError is 400 validation_failed naming every field", async () => {
    const res = await app.request("/zod", { method: "POST", body: JSON.stringify({ username: "x", amount: -1 }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("username:");
    expect(error.message).toContain("amount:");
  });

  test("malformed JSON is 400 bad_request, read directly or through validated()", async () => {
    for (const path of ["/raw-json", "/signup"]) {
      const res = await app.request(path, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: "bad_request", message: "the request body is not valid JSON" } });
    }
  });

  test("a bug is 500 internal with a generic message and the request id; the log has the error", async () => {
    const res = await app.request("/bug", { headers: { "X-Request-Id": "req-bug-1" } });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("req-bug-1");
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("at ");
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "internal error; quote request id req-bug-1 when reporting it" } });
    const line = logged.find((l) => l.msg === "request failed" && l.fields?.requestId === "req-bug-1");
    expect(line?.fields).toMatchObject({ edge: "callback", path: "/bug", method: "GET" });
    expect(String(line?.fields?.error)).toContain("hunter2");
  });

  test("an unknown route is the 404 envelope", async () => {
    const res = await app.request("/nowhere", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route for DELETE /nowhere" } });
  });

  test("a body over BODY_LIMIT_BYTES is 413, with or without Content-Length", async () => {
    const big = "x".repeat(1025);
    const declared = await app.request("/echo", { method: "POST", body: big, headers: { "content-length": String(big.length) } });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    const chunked = await app.request("/echo", { method: "POST", body: stream, headers: { "transfer-encoding": "chunked" } });
    expect(chunked.status).toBe(413);
    const fits = await app.request("/echo", { method: "POST", body: "x".repeat(1024) });
    expect(await fits.json()).toEqual({ size: 1024 });
  });

  test("/healthz answers while alive, /readyz follows readiness() with its reasons", async () => {
    const health = await app.request("/healthz");
    expect(await health.json()).toEqual({ status: "ok", edge: "callback", node: node.config.NODE_ID });
    expect((await app.request("/readyz")).status).toBe(200);
    node.setReady(false);
    const draining = await app.request("/readyz");
    expect(draining.status).toBe(503);
    const body = (await draining.json()) as { error: { code: string; details: { reasons: string[] } } };
    expect(body.error.code).toBe("unavailable");
    expect(body.error.details.reasons).toEqual(["the node is starting or draining"]);
    expect(draining.headers.get("retry-after")).toBe("1");
    node.setReady(true);
  });
});

describe("validated()", () => {
  let node: TestNode;
  let app: Hono<EdgeEnv>;
  beforeAll(async () => {
    node = await testNodeContext();
    app = createEdges(edgeContextOf(node), [{ edge: "callback", prefix: "/", routes: probeRoutes }]).callback;
  });
  afterAll(() => node.close());

  test("parses a JSON body and a form body alike", async () => {
    const json = await app.request("/signup", { method: "POST", body: JSON.stringify({ username: "alice", amount: 5 }), headers: { "content-type": "application/json" } });
    expect(await json.json()).toEqual({ username: "alice", amount: 5 });
    const form = await app.request("/signup", { method: "POST", body: new URLSearchParams({ username: "bobby", amount: "7" }) });
    expect(await form.json()).toEqual({ username: "bobby", amount: 7 });
    const multipart = new FormData();
    multipart.set("username", "carol");
    multipart.set("amount", "9");
    expect(await (await app.request("/signup", { method: "POST", body: multipart })).json()).toEqual({ username: "carol", amount: 9 });
  });

  test("a missing body reports the required fields", async () => {
    const res = await app.request("/signup", { method: "POST" });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/username: .*; amount: /);
  });

  test("query and path parameters, with the part named in the message", async () => {
    expect(await (await app.request("/search?page=2&tag=a&tag=b")).json()).toEqual({ page: 2, tag: ["a", "b"] });
    const bad = await app.request("/search?page=0");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toStartWith("query.page:");
    expect(await (await app.request("/players/42")).json()).toEqual({ id: "42" });
    const badParam = await app.request("/players/x1");
    expect(((await badParam.json()) as { error: { message: string } }).error.message).toStartWith("param.id:");
  });
});
