import { afterAll, beforeAll, expect, test } from "bun:test";
import { openCentralStore, type CentralStore } from "../../actors/runtime/central-store.ts";
import { createEdges, serveEdges, type EdgeServer } from "../../edges/index.ts";
import { opsRoutes } from "../../edges/internal/ops-routes.ts";
import { testNodeContext, type TestNode } from "../support/node-context.ts";
import { tempDir } from "../support/services.ts";

/**
 * `POST /internal/ops/owner` over HTTP. The first owner exists once per store and the shared
 * test store already has owners, so the route runs against a store of its own (PGlite).
 */

let node: TestNode;
let store: CentralStore;
let internal: EdgeServer;
let servers: EdgeServer[];

beforeAll(async () => {
  node = await testNodeContext({ env: { HOST: "127.0.0.1", GATEWAY_PORT: "0", AGENT_PORT: "0", ADMIN_PORT: "0", CALLBACK_PORT: "0", INTERNAL_PORT: "0" } });
  store = await openCentralStore({ dataDir: tempDir("owner-route") });
  await store.migrate();
  const ctx = { ...node, store };
  servers = serveEdges(ctx, createEdges(ctx, [{ edge: "internal", prefix: "/internal/ops", routes: opsRoutes }]));
  internal = servers.find((s) => s.name === "internal")!;
}, 30_000);

afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop({ graceMs: 0 })));
  await store?.close();
  await node?.close();
});

const createOwner = async (username: string, password = "the operator's secret") => {
  const response = await fetch(`${internal.url}/internal/ops/owner`, {
    method: "POST",
    headers: { authorization: `Bearer ${node.config.secrets.service}`, "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test("a username held by staff who are not an active owner is 409 conflict; nothing is created", async () => {
  await store.query("insert into staff (id, username, password_hash, role, brands) values ($1, 'ops', 'x', 'admin', null)", [crypto.randomUUID()]);
  await store.query("insert into staff (id, username, password_hash, role, brands, status) values ($1, 'retired', 'x', 'owner', null, 'disabled')", [crypto.randomUUID()]);
  for (const username of ["ops", "Retired"]) {
    expect(await createOwner(username)).toEqual({
      status: 409,
      body: {
        error: {
          code: "conflict",
          message: `username ${username.toLowerCase()} is taken by a staff member who is not an active owner; choose another username for the first owner`,
        },
      },
    });
  }
  expect(await store.query("select username from staff where role = 'owner' and status = 'active'")).toEqual([]);
});

test("weak input is 400; a free username becomes the first owner once", async () => {
  expect((await createOwner("root", "short")).status).toBe(400);
  expect(await createOwner("root")).toEqual({ status: 200, body: { created: true, username: "root" } });
  expect(await createOwner("ops")).toEqual({ status: 200, body: { created: false, username: "root" } });
});
