import { afterAll, beforeAll, expect, test } from "bun:test";
import { type CentralStore, openCentralStore } from "../../actors/runtime/central-store.ts";
import { loadConfig } from "../../config/index.ts";
import { buildNode, type PlatformNode } from "../../supervisor/node.ts";
import { tempDir } from "../support/services.ts";
import { EPHEMERAL_PORTS } from "../support/test-node.ts";
import { CHEAP_HASH } from "./identity-fixture.ts";

/**
 * `POST /internal/ops/owner` over HTTP. The first owner exists once per store and the shared
 * test store already has owners, so the route runs on a node with a store of its own (PGlite).
 */

let node: PlatformNode;
let store: CentralStore;

beforeAll(async () => {
  store = await openCentralStore({ dataDir: tempDir("owner-route") });
  await store.migrate();
  const config = loadConfig({ NODE_ENV: "test", NODE_ID: `owner-${crypto.randomUUID().slice(0, 8)}`, DATA_DIR: tempDir("owner-node"), LOG_LEVEL: "silent", ...EPHEMERAL_PORTS });
  node = await buildNode({ config, store, domains: ["identity"], domainOptions: { credentials: { cost: CHEAP_HASH } }, placement: "explicit", serve: true });
}, 30_000);

afterAll(async () => {
  await node?.stop();
  await store?.close();
});

const createOwner = async (username: string, password = "the operator's secret") => {
  const internal = node.servers.find((s) => s.name === "internal")!;
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
  const [row] = await store.query<{ role: string; brands: unknown; password_hash: string }>("select role, brands, password_hash from staff where username = 'root'");
  expect(row).toMatchObject({ role: "owner", brands: null });
  expect(await Bun.password.verify("the operator's secret", row!.password_hash)).toBe(true);
  // the identity actor audits the bootstrap in the same commit as the account
  const audit = await store.query<{ username: string; action: string }>(
    "select username, action from audit_log where target like 'staff:%' and action = 'staff.create' and username = 'bootstrap'",
  );
  expect(audit).toEqual([{ username: "bootstrap", action: "staff.create" }]);
});
