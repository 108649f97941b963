import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { upgradeWebSocket, websocket } from "hono/bun";
import { createEdges, EDGE_NAMES, type EdgeApps, type EdgeServer, serveEdges } from "../../edges/index.ts";
import { type EdgeEnv, signAccessToken } from "../../edges/shared/index.ts";
import { createBrand } from "../support/catalog.ts";
import { edgeContextOf, type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

let node: TestNode;
beforeAll(async () => {
  node = await testNodeContext({ env: { HOST: "127.0.0.1", GATEWAY_PORT: "0", AGENT_PORT: "0", ADMIN_PORT: "0", CALLBACK_PORT: "0", INTERNAL_PORT: "0" } });
});
afterAll(() => node.close());

describe("serveEdges", () => {
  test("starts five servers on port 0 that answer /healthz over HTTP, then stop", async () => {
    const servers = serveEdges(edgeContextOf(node), createEdges(edgeContextOf(node)));
    try {
      expect(servers.map((s) => s.name)).toEqual([...EDGE_NAMES]);
      expect(new Set(servers.map((s) => s.port)).size).toBe(5);
      for (const server of servers) {
        expect(server.port).toBeGreaterThan(0);
        const res = await fetch(`${server.url}/healthz`);
        expect(await res.json()).toEqual({ status: "ok", edge: server.name, node: node.config.NODE_ID });
        expect(res.headers.get("x-request-id")).toBeTruthy();
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    await expect(fetch(`${servers[0]!.url}/healthz`)).rejects.toThrow();
  });

  test("stop lets an in-flight request finish", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived = false;
    const slow = () => new Hono<EdgeEnv>().get("/slow", async (c) => ((arrived = true), await held, c.json({ done: true })));
    const servers = serveEdges(edgeContextOf(node), createEdges(edgeContextOf(node), [{ edge: "callback", prefix: "/", routes: slow }]));
    const callback = servers.find((s) => s.name === "callback")!;
    const inFlight = fetch(`${callback.url}/slow`);
    await waitFor(() => arrived, { what: "the slow request to arrive" });
    const stopped = Promise.all(servers.map((s) => s.stop()));
    await expect(fetch(`${callback.url}/healthz`)).rejects.toThrow();
    release();
    expect(await (await inFlight).json()).toEqual({ done: true });
    await stopped;
  });

  test("an edge can take a websocket handler (the admin /ws)", async () => {
    const ws = () =>
      new Hono<EdgeEnv>().get(
        "/ws",
        upgradeWebSocket(() => ({ onMessage: (event, socket) => socket.send(`echo:${event.data}`) })),
      );
    const servers = serveEdges(edgeContextOf(node), createEdges(edgeContextOf(node), [{ edge: "admin", prefix: "/", routes: ws }]), { websocket: { admin: websocket } });
    const admin = servers.find((s) => s.name === "admin")!;
    try {
      const socket = new WebSocket(`${admin.url.replace("http", "ws")}/ws`);
      const reply = new Promise<string>((resolve, reject) => {
        socket.onmessage = (e) => resolve(String(e.data));
        socket.onerror = () => reject(new Error("websocket failed"));
      });
      socket.onopen = () => socket.send("hi");
      expect(await reply).toBe("echo:hi");
      socket.close();
    } finally {
      await Promise.all(servers.map((s: EdgeServer) => s.stop({ graceMs: 100 })));
    }
  });
});

describe("admin edge", () => {
  let apps: EdgeApps;
  const brand = uniqueBrand("adm");
  beforeAll(async () => {
    await createBrand(node.system, { id: brand, name: brand, domains: [{ domain: `admin.${brand}.test`, surface: "admin" }] });
    const legacy = () =>
      new Hono<EdgeEnv>()
        .get("/api/admin/players", (c) => c.json({ leaked: true }))
        .get("/api/v1/context", (c) => c.json({ brand: c.var.brand?.id ?? null, staff: c.var.claims?.sub ?? null }));
    apps = createEdges(edgeContextOf(node), [{ edge: "admin", prefix: "/", routes: legacy }]);
  });

  test("/api/admin/* is 404 even when a route would match", async () => {
    for (const path of ["/api/admin", "/api/admin/players", "/api/admin/a/b"]) {
      const res = await apps.admin.request(`http://admin.${brand}.test${path}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  test("global staff carry no brand; an admin host names one", async () => {
    const token = await signAccessToken(node, { sub: "s1", brand: null, role: "owner", kind: "staff" }, 60);
    const headers = { authorization: `Bearer ${token}` };
    expect(await (await apps.admin.request("http://backoffice.test/api/v1/context", { headers })).json()).toEqual({ brand: null, staff: "s1" });
    expect(await (await apps.admin.request(`http://admin.${brand}.test/api/v1/context`, { headers })).json()).toEqual({ brand, staff: "s1" });
  });
});
