import { websocket } from "hono/bun";
import type { Role } from "../../actors/identity/index.ts";
import { createEdges, type EdgeApps, type EdgeRouteMount, type EdgeServer, serveEdges } from "../../edges/index.ts";
import type { EdgeContext } from "../../edges/shared/edge-context.ts";
import { signAccessToken } from "../../edges/shared/index.ts";
import type { NodeParts } from "../../supervisor/node-parts.ts";
import { ROUTES } from "../../supervisor/routes.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { testNode } from "../support/test-node.ts";

export type BackOffice = {
  /** the node's parts (tests reach around the edges only to arrange and inspect) */
  node: NodeParts;
  edge: EdgeContext;
  /** two brands: staff are scoped to one or the other in the security tests */
  brands: [string, string];
  /** host a brand a test created (its actors, and its outbox rows relayed to this node's bus) */
  hostBrand(brand: string): Promise<void>;
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
  // sockets recheck their session every 200 ms here, so a test sees a scope change without waiting 30 s
  const platform = await testNode({ label: "bo", env: { STAFF_SOCKET_RECHECK_MS: "200" }, domainOptions: { credentials: { cost: CHEAP_HASH } } });
  const node = platform.parts;
  const brands: [string, string] = [await platform.addBrand({ prefix: "bo" }), await platform.addBrand({ prefix: "bo" })];
  const apps = options.mounts?.length ? createEdges(platform.edge, [...ROUTES, ...options.mounts]) : platform.apps;
  const servers: EdgeServer[] = [];

  const admin: BackOffice["admin"] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    return Promise.resolve(apps.admin.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }));
  };

  return {
    node,
    edge: platform.edge,
    brands,
    hostBrand: (brand) => platform.hostBrand(brand),
    apps,
    admin,
    async staff(role, scope) {
      const username = `bo-${crypto.randomUUID().slice(0, 10)}`;
      const password = "a good long password";
      const created = await platform.edge.clients.identity().createStaff({
        username,
        passwordHash: await platform.edge.staff.hash(password),
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
      servers.push(...serveEdges(platform.edge, apps, { websocket: { admin: websocket } }));
      return servers;
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop({ graceMs: 100 })));
      await platform.stop();
    },
  };
}
