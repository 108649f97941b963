import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { loadConfig } from "../../config/index.ts";
import { buildNode, type PlatformNode } from "../../supervisor/node.ts";
import { createBrand } from "../support/catalog.ts";
import { DATABASE_URL, REDIS_URL, tempDir, uniqueBrand } from "../support/services.ts";
import { countersOf, TopInfoClient } from "./socket-client.ts";

let node: PlatformNode;
const url = (edge: string) => node.servers.find((e) => e.name === edge)!.url;

beforeAll(async () => {
  const ports = { GATEWAY_PORT: "0", AGENT_PORT: "0", ADMIN_PORT: "0", CALLBACK_PORT: "0", INTERNAL_PORT: "0" };
  const config = loadConfig({
    NODE_ENV: "test",
    NODE_ID: `node-${crypto.randomUUID().slice(0, 8)}`,
    DATA_DIR: tempDir("node"),
    LOG_LEVEL: "silent",
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX: `t${crypto.randomUUID().slice(0, 8)}:`,
    ...ports,
  });
  node = await buildNode({ config: config, serve: true });
}, 60_000);
afterAll(() => node?.stop());

async function signIn(username: string, password: string): Promise<string> {
  const res = await fetch(`${url("admin")}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe("the back office on a started node", () => {
  test("the first owner comes from ensureOwner; no account exists before it", async () => {
    const username = `owner-${crypto.randomUUID().slice(0, 8)}`;
    const refused = await fetch(`${url("admin")}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: "any password at all" }),
    });
    expect(refused.status).toBe(401);
    const result = expectOk(await node.edge.staff.ensureOwner(username, "the operator's secret"));
    // a shared PostgreSQL already has owners from other runs; a fresh embedded store does not
    if (!DATABASE_URL) expect(result).toEqual({ created: true, username });
    if (result.created) {
      const token = await signIn(username, "the operator's secret");
      const me = await fetch(`${url("admin")}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ username, role: "owner", brands: null });
    }
  });

  test("/ws on the node's admin edge pushes counters fed by the node's event bus; /api/admin is gone", async () => {
    const brand = uniqueBrand("node");
    await createBrand(node.parts.system, { id: brand, name: "Node brand" });
    const username = `ro-${crypto.randomUUID().slice(0, 8)}`;
    const created = await node.parts.system.askOutcome("identity", "createStaff", {
      username,
      passwordHash: await Bun.password.hash("a read-only secret", { algorithm: "argon2id", memoryCost: 1024, timeCost: 1 }),
      role: "read_only",
      brands: [brand],
      by: { staffId: null, username: "test-setup" },
    });
    expect(created.ok).toBe(true);
    const token = await signIn(username, "a read-only secret");
    const client = new TopInfoClient(`${url("admin").replace("http", "ws")}/ws`);
    try {
      const ready = await client.authenticate(token);
      expect(ready).toMatchObject({ type: "ready", staff: { username, role: "read_only", brands: [brand] } });
      const since = performance.now();
      await node.parts.events.publish([{ id: crypto.randomUUID(), type: "player.registered", brand, at: Date.now(), payload: { playerId: crypto.randomUUID() } }]);
      await client.next(countersOf(brand, "newPlayersToday", 1), since);
    } finally {
      client.close();
    }
    const gone = await fetch(`${url("admin")}/api/admin/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(gone.status).toBe(404);
  });
});
