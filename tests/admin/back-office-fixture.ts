import { websocket } from "hono/bun";
import { adminOptions, catalogKind, closeTopInfoHub, startTopInfoFeed, topInfoHub, topInfoKind } from "../../actors/admin/index.ts";
import { gameDomain } from "../../actors/game/index.ts";
import { identityKind, identityOptions, type Role } from "../../actors/identity/index.ts";
import { playerKind } from "../../actors/player/index.ts";
import { walletKind } from "../../actors/wallet/index.ts";
import { BACK_OFFICE_ROUTES } from "../../edges/admin/back-office-routes.ts";
import { useAdminEdgeDeps } from "../../edges/admin/staff-access.ts";
import { createEdges, serveEdges, type EdgeApps, type EdgeRouteMount, type EdgeServer } from "../../edges/index.ts";
import { metaRoutes } from "../../edges/internal/meta-routes.ts";
import { signAccessToken } from "../../edges/shared/index.ts";
import { testNodeContext, type TestNode } from "../support/node-context.ts";
import { uniqueBrand } from "../support/services.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";

const PORTS = { HOST: "127.0.0.1", GATEWAY_PORT: "0", AGENT_PORT: "0", ADMIN_PORT: "0", CALLBACK_PORT: "0", INTERNAL_PORT: "0" };

export type BackOffice = {
  node: TestNode;
  /** two brands: staff are scoped to one or the other in the security tests */
  brands: [string, string];
  apps: EdgeApps;
  /** `/api/v1/...` on the admin edge, in process */
  admin(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** a new staff member, signed in through the login route */
  staff(role: Role, brands: string[] | null): Promise<{ token: string; staffId: string; username: string }>;
  playerToken(brand: string): Promise<string>;
  /** serve every edge on port 0 (the websocket tests) */
  serve(): EdgeServer[];
  close(): Promise<void>;
};

/**
 * A node with the domains the back office talks to (identity, catalog, admin, wallet,
 * player, game), the admin edge with every back-office route, and two fresh brands whose
 * central outbox rows this node relays.
 */
export async function backOffice(options: { mounts?: EdgeRouteMount[] } = {}): Promise<BackOffice> {
  const brands: [string, string] = [uniqueBrand("bo"), uniqueBrand("bo")];
  const node = await testNodeContext({ env: { ...PORTS, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" }, outboxBrands: brands });
  const identity = identityOptions({ hashCost: CHEAP_HASH });
  const hub = topInfoHub(node);
  // kinds that read the node's catalog are registered once the node exists
  for (const kind of [
    identityKind(node.store, identity),
    catalogKind(node.store, node.catalog),
    topInfoKind({ store: node.store, catalog: node.catalog, hub, options: adminOptions() }),
    walletKind(node),
    playerKind(node),
    ...gameDomain(node).kinds(),
  ]) node.system.register(kind);
  for (const global of ["identity", "catalog", "game_registry"]) await node.system.host(global, null);
  for (const brand of brands) {
    await node.catalog.create({ id: brand, name: `Brand ${brand}` });
    for (const domain of ["admin", "wallet", "player", "game"]) await node.system.host(domain, brand);
  }
  await gameDomain(node).start();
  const feed = await startTopInfoFeed(node);
  useAdminEdgeDeps(node, identity);
  const apps = createEdges(node, [
    ...BACK_OFFICE_ROUTES.map((r) => ({ ...r, edge: "admin" as const })),
    { edge: "internal", prefix: "/internal/meta", routes: metaRoutes },
    ...(options.mounts ?? []),
  ]);
  const servers: EdgeServer[] = [];

  const admin: BackOffice["admin"] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    return Promise.resolve(apps.admin.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }));
  };

  return {
    node,
    brands,
    apps,
    admin,
    async staff(role, scope) {
      const username = `bo-${crypto.randomUUID().slice(0, 10)}`;
      const password = "a good long password";
      const created = await node.system.askOutcome("identity", "staff.create", {
        username,
        passwordHash: await Bun.password.hash(password, { algorithm: "argon2id", ...CHEAP_HASH }),
        role,
        brands: scope,
        by: { staffId: null, username: "test-setup" },
      });
      if (!created.ok) throw new Error(created.error.message);
      const res = await admin("POST", "/api/v1/auth/login", { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { accessToken: string; staff: { id: string } };
      return { token: body.accessToken, staffId: body.staff.id, username };
    },
    playerToken: (brand) => signAccessToken(node, { sub: crypto.randomUUID(), brand, role: "player", kind: "player" }, 600),
    serve() {
      servers.push(...serveEdges(node, apps, { websocket: { admin: websocket } }));
      return servers;
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop({ graceMs: 100 })));
      await feed.stop();
      await gameDomain(node).stop();
      await node.close();
      await closeTopInfoHub(node);
    },
  };
}
