import type { ActorKind } from "../../actors/runtime/actor.ts";
import { legacyRoutes } from "../../edges/gateway/legacy/legacy-routes.ts";
import { playerApiRoutes } from "../../edges/gateway/player-api-routes.ts";
import { createEdges, type EdgeRouteMount } from "../../edges/index.ts";
import { commonRoutes } from "../../edges/internal/common-routes.ts";
import { playersRoutes } from "../../edges/internal/players-routes.ts";
import type { DomainName, DomainOptions } from "../../supervisor/domains.ts";
import type { NodeParts } from "../../supervisor/node-parts.ts";
import { testNode } from "../support/test-node.ts";

export const PLAYER_MOUNTS: EdgeRouteMount[] = [
  { edge: "gateway", prefix: "/api/v1", routes: playerApiRoutes },
  { edge: "gateway", prefix: "/", routes: legacyRoutes },
  { edge: "internal", prefix: "/internal/players", routes: playersRoutes },
  { edge: "internal", prefix: "/internal/common", routes: commonRoutes },
];

export type Call = { json?: unknown; form?: Record<string, string>; token?: string; headers?: Record<string, string> };
export type Reply = { status: number; body: any };

/**
 * A node with the player, wallet and rolling domains for two brands (each with its own gateway host),
 * and the gateway and internal edges with the player routes, called in process.
 */
export async function gatewayNode(
  options: { kinds?: (node: NodeParts) => ActorKind[]; games?: boolean; brands?: number; domains?: DomainName[]; domainOptions?: DomainOptions } = {},
) {
  const domains: DomainName[] = ["player", "wallet", "rolling", ...(options.games ? (["game"] as const) : []), ...(options.domains ?? [])];
  const platform = await testNode({ label: "gw", domains, extraKinds: options.kinds, domainOptions: options.domainOptions });
  const node = platform.parts;
  const games = options.games ? platform.edge.game : undefined;
  const addBrand = () => platform.addBrand({ prefix: "gw", surfaces: ["gateway"] });
  const brands: string[] = [];
  for (let i = 0; i < (options.brands ?? 2); i++) brands.push(await addBrand());
  const apps = createEdges(platform.edge, PLAYER_MOUNTS);
  const send = async (edge: "gateway" | "internal", host: string, method: string, path: string, call: Call = {}): Promise<Reply> => {
    const headers: Record<string, string> = { host, ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body: BodyInit | undefined;
    if (call.json !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof call.json === "string" ? call.json : JSON.stringify(call.json);
    } else if (call.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(call.form).toString();
    }
    const res = await apps[edge].request(`http://${host}${path}`, { method, headers, body });
    return { status: res.status, body: await res.json() };
  };
  return {
    node,
    apps,
    brands,
    brand: brands[0]!,
    addBrand,
    call: (brand: string, method: string, path: string, call?: Call) => send("gateway", `play.${brand}.test`, method, path, call),
    /** a request to the gateway as sent, for callers that need the raw Response */
    raw: (host: string, path: string, init: RequestInit) => apps.gateway.request(`http://${host}${path}`, init),
    internal: (brand: string | null, method: string, path: string, call: Call = {}) =>
      send("internal", "internal.test", method, path, {
        ...call,
        token: call.token ?? node.config.secrets.service,
        headers: { ...(brand ? { "x-brand-id": brand } : {}), ...call.headers },
      }),
    shard: (brand: string) => node.shards.acquire(brand),
    games,
    edge: platform.edge,
    close: () => platform.stop(),
  };
}

export type GatewayNode = Awaited<ReturnType<typeof gatewayNode>>;

let counter = 0;
export function signup(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const tag = `${Date.now().toString(36).slice(-5)}${counter}`;
  return {
    username: `gw_${tag}`,
    password: "pass word 123",
    nickname: `nick${tag}`,
    phone: "010-2222-3333",
    bank: { name: "Shinhan", account: "110-222-333444", holder: "Kim Minsu" },
    ...overrides,
  };
}

/** Register and log in through the gateway; the tokens and the player. */
export async function loggedIn(gw: GatewayNode, brand: string, overrides: Record<string, unknown> = {}) {
  const input = signup(overrides);
  const registered = await gw.call(brand, "POST", "/api/v1/auth/register", { json: input });
  if (registered.status !== 201) throw new Error(`register: ${JSON.stringify(registered.body)}`);
  const login = await gw.call(brand, "POST", "/api/v1/auth/login", { json: { username: input.username, password: input.password } });
  if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.body)}`);
  return { input, token: login.body.accessToken as string, refreshToken: login.body.refreshToken as string, playerId: login.body.player.id as string };
}

export const count = (gw: GatewayNode, brand: string, table: string) => (gw.shard(brand).sqlite.query(`select count(*) as n from ${table}`).get() as { n: number }).n;
