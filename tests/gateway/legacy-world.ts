import { sign } from "hono/jwt";
import { REGISTRY_ADDRESS } from "../../actors/game/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { walletClient } from "../../actors/wallet/index.ts";
import { type GatewayNode, loggedIn, signup } from "./gateway-node.ts";

/**
 * The state a legacy fixture is replayed against: a brand of its own, a player with known
 * credentials and 50000 in cash, a message from staff, a published notice, a provider with one
 * game. Fixture strings like "{username}" are replaced by these values.
 */

export type Fixture = { route: string; requires?: string; cases: FixtureCase[] };
export type FixtureCase = {
  name: string;
  request: {
    method: "GET" | "POST";
    path: string;
    host?: "unknown";
    auth?: "bearer" | "field";
    token?: string;
    query?: Record<string, string>;
    form?: Record<string, string>;
    json?: Record<string, unknown>;
  };
  response: unknown;
};

const SETUP = { staffId: null, username: "test-setup" };

export async function registerTestProvider(gw: GatewayNode): Promise<string> {
  const provider = `lg${crypto.randomUUID().slice(0, 8)}`;
  await gw.node.system.ask(REGISTRY_ADDRESS, "registerProvider", { code: provider, name: "Legacy Studio", dialect: "standard", allBrands: true, by: SETUP });
  await gw.node.system.ask(REGISTRY_ADDRESS, "upsertGame", { provider, code: "slot-1", name: "Lucky Slot", category: "slots", by: SETUP });
  return provider;
}

export async function legacyWorld(gw: GatewayNode, provider: string) {
  const brand = await gw.addBrand();
  const player = await loggedIn(gw, brand);
  const other = await loggedIn(gw, brand);
  const deposit = await gw.call(brand, "POST", "/api/v1/wallet/deposits", { token: player.token, json: { amount: 50_000, depositorName: "Kim Minsu" } });
  expectOk(await walletClient(gw.node.system, brand).depositApprove({ requestId: deposit.body.requestId, by: { staffId: "staff-1", username: "finance" } }));
  const memo = await gw.internal(brand, "POST", `/internal/players/${player.playerId}/messages`, { json: { title: "Welcome", body: "Enjoy your stay", senderId: "staff-1" } });
  const otherMemo = await gw.internal(brand, "POST", `/internal/players/${other.playerId}/messages`, {
    json: { title: "Private", body: "for the other player", senderId: "staff-1" },
  });
  await gw.internal(brand, "POST", "/internal/common/content", { json: { kind: "notice", title: "Grand opening", body: "Welcome bonus all week" } });
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: player.playerId, brand, role: "player", kind: "player", jti: crypto.randomUUID() };
  const fresh = signup();
  const values: Record<string, unknown> = {
    username: player.input.username,
    password: player.input.password,
    nickname: player.input.nickname,
    freshUsername: fresh.username,
    freshNickname: fresh.nickname,
    memoId: memo.body.messageId,
    otherMemoId: otherMemo.body.messageId,
    provider,
    expiredToken: await sign({ ...claims, iat: now - 3600, exp: now - 60 }, gw.node.config.secrets.jwt, "HS256"),
    forgedToken: await sign({ ...claims, iat: now, exp: now + 600 }, "a-secret-that-is-not-the-platform-secret", "HS256"),
  };
  return { brand, token: player.token, values };
}

type World = Awaited<ReturnType<typeof legacyWorld>>;

/** "{name}" alone becomes the value itself (numbers stay numbers); inside a string, its text. */
export function substitute(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && whole[1]! in values) return values[whole[1]!];
    return value.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)]));
  return value;
}

/** Send a fixture's request as an old client would. */
export async function replay(gw: GatewayNode, world: World, fixtureCase: FixtureCase): Promise<Response> {
  const r = substitute(fixtureCase.request, world.values) as FixtureCase["request"];
  const token = r.token ?? world.token;
  const headers: Record<string, string> = {};
  const query = new URLSearchParams(r.query);
  let body: string | undefined;
  const fields: Record<string, unknown> = { ...(r.form ?? r.json ?? {}) };
  if (r.auth === "bearer") headers.authorization = `Bearer ${token}`;
  if (r.auth === "field") {
    if (r.method === "GET") query.set("token", token);
    else fields.token = token;
  }
  if (r.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(fields as Record<string, string>).toString();
  } else if (r.json || (r.method === "POST" && r.auth === "field")) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(fields);
  }
  const host = r.host === "unknown" ? "nobody.unknown.test" : `play.${world.brand}.test`;
  return gw.raw(host, `${r.path}${query.size > 0 ? `?${query}` : ""}`, { method: r.method, headers: { host, ...headers }, body });
}

const MARKERS: Record<string, (v: unknown) => boolean> = {
  "<id>": (v) => (typeof v === "string" && v.length > 0) || (typeof v === "number" && v > 0),
  "<time>": (v) => (typeof v === "string" && !Number.isNaN(Date.parse(v))) || (typeof v === "number" && v > 1_600_000_000_000),
  "<token>": (v) => typeof v === "string" && v.length >= 20,
  "<url>": (v) => typeof v === "string" && /^(https?:\/\/|\/)\S+$/.test(v),
  "<text>": (v) => typeof v === "string" && v.length > 0,
};

/** Field-by-field comparison; ids, times and tokens match by shape. The differences, as paths. */
export function differences(expected: unknown, actual: unknown, path = "$"): string[] {
  if (typeof expected === "string" && expected in MARKERS) return MARKERS[expected]!(actual) ? [] : [`${path}: expected ${expected}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => differences(e, actual[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((k) =>
      !(k in expected) ? [`${path}.${k}: not expected`] : differences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
