import type { Hono } from "hono";
import { createAdminEdge } from "./admin/index.ts";
import { createAgentEdge } from "./agent/index.ts";
import { createCallbackEdge } from "./callback/index.ts";
import { createGatewayEdge } from "./gateway/index.ts";
import { createInternalEdge } from "./internal/index.ts";
import type { EdgeContext } from "./shared/edge-context.ts";
import { EDGE_NAMES, type EdgeEnv, type EdgeName, type RouteModule, type RouteMount } from "./shared/index.ts";

export { EDGE_NAMES, type EdgeName } from "./shared/index.ts";

/** One domain's route module on one edge, mounted under `prefix` (the registry's entries). */
export type EdgeRouteMount = RouteMount & { edge: EdgeName };
export type EdgeApps = Record<EdgeName, Hono<EdgeEnv>>;

const FACTORIES: Record<EdgeName, (ctx: EdgeContext, mounts: RouteMount[]) => Hono<EdgeEnv>> = {
  gateway: createGatewayEdge,
  agent: createAgentEdge,
  admin: createAdminEdge,
  callback: createCallbackEdge,
  internal: createInternalEdge,
};

const PORT_SETTING = {
  gateway: "GATEWAY_PORT",
  agent: "AGENT_PORT",
  admin: "ADMIN_PORT",
  callback: "CALLBACK_PORT",
  internal: "INTERNAL_PORT",
} as const satisfies Record<EdgeName, string>;

/** Every edge app, each with the route modules the registry mounts on it. */
export function createEdges(ctx: EdgeContext, routes: readonly EdgeRouteMount[] = []): EdgeApps {
  const apps = {} as EdgeApps;
  for (const edge of EDGE_NAMES)
    apps[edge] = FACTORIES[edge](
      ctx,
      routes.filter((r) => r.edge === edge),
    );
  return apps;
}

export type EdgeServer = {
  name: EdgeName;
  /** the bound port (the real one when the setting is 0) */
  port: number;
  url: string;
  /**
   * Stop accepting; in-flight requests finish. Connections still open after `graceMs`
   * (websockets, slow clients) are closed.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
};

export type ServeOptions = {
  /** Bun websocket handlers per edge, e.g. `{ admin: websocket }` from hono/bun for `/ws` */
  websocket?: Partial<Record<EdgeName, Bun.WebSocketHandler<any>>>;
};

/** Start one Bun server per edge on `HOST` and its configured port. */
export function serveEdges(ctx: EdgeContext, apps: EdgeApps, options: ServeOptions = {}): EdgeServer[] {
  const servers: EdgeServer[] = [];
  try {
    for (const edge of EDGE_NAMES) servers.push(serveEdge(ctx, edge, apps[edge], options.websocket?.[edge]));
  } catch (error) {
    for (const server of servers) void server.stop({ graceMs: 0 });
    throw error;
  }
  return servers;
}

function serveEdge(ctx: EdgeContext, name: EdgeName, app: Hono<EdgeEnv>, websocket: Bun.WebSocketHandler<any> | undefined): EdgeServer {
  const listen = { hostname: ctx.config.HOST, port: ctx.config[PORT_SETTING[name]] };
  // the server is the env, where hono/bun's upgradeWebSocket looks for it
  const fetch = (request: Request, server: Bun.Server<any>) => app.fetch(request, server);
  const server = websocket ? Bun.serve({ ...listen, fetch, websocket }) : Bun.serve({ ...listen, fetch });
  const port = server.port!;
  return {
    name,
    port,
    url: `http://${server.hostname}:${port}`,
    async stop({ graceMs = 10_000 } = {}) {
      const closed = server.stop();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
      if ((await Promise.race([closed, late])) === "late") await server.stop(true);
      clearTimeout(timer);
    },
  };
}

export type { RouteModule, RouteMount };
