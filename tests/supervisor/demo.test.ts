import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { signBody } from "../../actors/game/index.ts";
import { loadConfig } from "../../config/index.ts";
import { main } from "../../supervisor/cli.ts";
import { buildNode, type PlatformNode } from "../../supervisor/node.ts";
import { DATABASE_URL, tempDir } from "../support/services.ts";

/**
 * `supervisor demo` against a served node, twice. The demo names fixed things (brand demo,
 * staff owner, provider demo-slots) and the first owner exists once per store, so with a
 * PostgreSQL server the node gets a database of its own; its mailboxes stay in memory, since
 * on the shared Redis its global actors would take other test processes' messages.
 */
const database = DATABASE_URL ? `casino_demo_${crypto.randomUUID().slice(0, 8)}` : undefined;
const env = {
  NODE_ENV: "test",
  DATA_DIR: tempDir("demo"),
  LOG_LEVEL: "silent",
  GATEWAY_PORT: "0",
  AGENT_PORT: "0",
  ADMIN_PORT: "0",
  CALLBACK_PORT: "0",
  INTERNAL_PORT: "0",
};

let node: PlatformNode;
const edge = (name: string) => node.servers.find((e) => e.name === name)!;

async function onServer(sql: string) {
  const admin = postgres(DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(sql);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (database) {
    await onServer(`create database ${database}`);
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  node = await buildNode({ config: loadConfig({ ...env, DATABASE_URL: databaseUrl, NODE_ID: `demo-${crypto.randomUUID().slice(0, 8)}` }), serve: true });
}, 60_000);

afterAll(async () => {
  await node?.stop();
  if (database) await onServer(`drop database if exists ${database} with (force)`);
});

/** The CLI as a newcomer runs it, with the settings of the node it talks to. */
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const saved = { ...process.env };
  for (const key of ["DATABASE_URL", "REDIS_URL"]) delete process.env[key];
  const ports = Object.fromEntries(node.servers.map((e) => [`${e.name.toUpperCase()}_PORT`, String(e.port)]));
  const { secrets } = node.parts.config;
  Object.assign(process.env, { ...env, ...ports, JWT_SECRET: secrets.jwt, SERVICE_TOKEN: secrets.service, SESSION_TOKEN_SECRET: secrets.session });
  try {
    const code = await main(argv, (line) => lines.push(line));
    return { code, out: lines.join("\n") };
  } finally {
    process.env = saved;
  }
}

const printed = (out: string, pattern: RegExp) => {
  const match = out.match(pattern);
  if (!match) throw new Error(`${pattern} not in:\n${out}`);
  return match[1]!;
};

async function call(edgeName: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = { "content-type": "application/json", ...options.headers };
  const res = await fetch(`${edge(edgeName).url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as any };
}

const asGateway = { host: "demo.localhost" };

describe("supervisor demo", () => {
  let first: { code: number; out: string };
  let second: { code: number; out: string };

  test("runs twice against a running node; the second run finds what the first made", async () => {
    first = await cli("demo");
    expect(first.code).toBe(0);
    expect(first.out).toContain("brand     demo created (KRW); hosts demo.localhost (gateway), agent.demo.localhost (agent), admin.demo.localhost (admin)");
    expect(first.out).toContain("deposit   100000 approved; alice's cash balance 100000 KRW");
    second = await cli("demo");
    expect(second.code).toBe(0);
    expect(second.out).toContain("brand     demo exists (KRW)");
    expect(second.out).toContain("owner     an owner already exists (owner); its password is unchanged");
    expect(second.out).toContain("provider  demo-slots already registered");
    expect(second.out).toContain("player    alice exists, password reset");
    expect(second.out).toContain("deposit   100000 approved on an earlier run; alice's cash balance 100000 KRW");
    // secrets are shown once
    expect(second.out).not.toContain(printed(first.out, /owner created, password (\S+)/));
    expect(second.out).not.toContain(printed(first.out, /registered, secret (\S+)/));
    expect(node.parts.catalog.get("demo")?.domains).toHaveLength(3);
  }, 30_000);

  test("alice logs in over the gateway with the last printed password and has her balance", async () => {
    const password = printed(second.out, /alice exists, password reset, password (\S+)/);
    const stale = printed(first.out, /alice signed up, password (\S+)/);
    expect(password).not.toBe(stale);
    expect((await call("gateway", "POST", "/api/v1/auth/login", { headers: asGateway, body: { username: "alice", password: stale } })).status).toBe(401);
    const login = await call("gateway", "POST", "/api/v1/auth/login", { headers: asGateway, body: { username: "alice", password } });
    expect(login.status).toBe(200);
    const balance = await call("gateway", "GET", "/api/v1/wallet/balance", { headers: { ...asGateway, authorization: `Bearer ${login.body.accessToken}` } });
    expect(balance).toEqual({ status: 200, body: { cash: "100000", bonus: "0", locked: "0", currency: "KRW" } });
  });

  test("the owner logs in on the admin edge with the password printed once, and sees alice's balance", async () => {
    const password = printed(first.out, /owner created, password (\S+)/);
    const login = await call("admin", "POST", "/api/v1/auth/login", { body: { username: "owner", password } });
    expect(login.status).toBe(200);
    const staff = { authorization: `Bearer ${login.body.accessToken}` };
    expect((await call("admin", "GET", "/api/v1/auth/me", { headers: staff })).body).toMatchObject({ username: "owner", role: "owner", brands: null });
    const alice = printed(second.out, /\(id ([0-9a-f-]{36})\)/);
    const balance = await call("admin", "GET", `/api/v1/brands/demo/players/${alice}/balance`, { headers: staff });
    expect(balance.body).toMatchObject({ cash: "100000", currency: "KRW" });
  });

  test("the printed provider secret signs a bet on a game alice launched", async () => {
    const secret = printed(first.out, /registered, secret (\S+)/);
    const password = printed(second.out, /alice exists, password reset, password (\S+)/);
    const login = await call("gateway", "POST", "/api/v1/auth/login", { headers: asGateway, body: { username: "alice", password } });
    const asAlice = { ...asGateway, authorization: `Bearer ${login.body.accessToken}` };
    const games = await call("gateway", "GET", "/api/v1/games", { headers: asGateway });
    expect(games.body.items.map((g: { code: string }) => g.code).sort()).toEqual(["blackjack", "fruit-party", "gold-rush"]);
    const launch = await call("gateway", "POST", "/api/v1/games/launch", { headers: asAlice, body: { provider: "demo-slots", game: "fruit-party" } });
    expect(launch.status).toBe(200);
    const bet = JSON.stringify({ token: launch.body.token, transaction_uuid: "bet-1", round: "round-1", game_code: "fruit-party", amount: 1000, currency: "KRW" });
    const post = (signature: string) =>
      fetch(`${edge("callback").url}/callbacks/demo-slots/transaction/bet`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": signature },
        body: bet,
      });
    expect((await post(await signBody("not the secret, but long enough to be one", bet))).status).toBe(401);
    const placed = await post(await signBody(secret, bet));
    expect(placed.status).toBe(200);
    expect(await placed.json()).toMatchObject({ status: "RS_OK", balance: 99000, currency: "KRW" });
  });

  test("options that take a value keep it (a brand's name and currency)", async () => {
    expect((await cli("brand", "create", "named", "--name", "Named Casino", "--currency", "USD")).code).toBe(0);
    expect(node.parts.catalog.get("named")).toMatchObject({ name: "Named Casino", currency: "USD" });
  });

  test("explains itself", async () => {
    const help = await cli("demo", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("supervisor demo [--owner-password <password>]");
    expect(help.out).toContain('-H "Host: demo.localhost"');
    expect((await cli("--help")).out).toMatch(/\n {2}demo +load demo data/);
    expect(first.out).toContain(`G=${edge("gateway").url}; A=${edge("admin").url}`);
  });
});
