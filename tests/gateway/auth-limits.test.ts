import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { DomainOptions } from "../../supervisor/domains.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { redisTest, waitFor } from "../support/services.ts";
import { hostOf, type TestPlatformNode, testNode } from "../support/test-node.ts";
import { type GatewayNode, gatewayNode, loggedIn, signup } from "./gateway-node.ts";

const minute = (max: number) => ({ max, windowMs: 60_000 });
const generous = minute(1000);
/** small limits, so a test reaches them in a few requests */
const LIMITS: DomainOptions = {
  credentials: { cost: CHEAP_HASH },
  rateLimits: {
    playerLogin: { perAddress: minute(5), perAccount: minute(3) },
    playerRegister: { perAddress: minute(3), perAccount: generous },
    playerRefresh: { perAddress: generous, perAccount: minute(2) },
    playerPassword: { perAddress: generous, perAccount: minute(2) },
  },
};

type Reply = { status: number; retryAfter: string | null; body: any };

/** The gateway of a served node, called over HTTP from 127.0.0.1 as a browser would. */
async function post(node: TestPlatformNode, brand: string, path: string, json: unknown, token?: string): Promise<Reply> {
  const url = node.servers.find((s) => s.name === "gateway")!.url;
  const headers: Record<string, string> = { host: hostOf(brand), "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, { method: path.startsWith("/api/v1/me") ? "PUT" : "POST", headers, body: JSON.stringify(json) });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

const statuses = (replies: Reply[]) => replies.map((r) => r.status);
const limited = (r: Reply) => r.status === 429 && r.body.error.code === "rate_limited" && Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 60;

describe("limits per account (in process: no address)", () => {
  let gw: GatewayNode;
  beforeAll(async () => void (gw = await gatewayNode({ brands: 1, domainOptions: LIMITS })));
  afterAll(() => gw.close());

  test("log-ins of one account past the limit are 429 with Retry-After; other accounts go on", async () => {
    const a = await loggedIn(gw, gw.brand);
    const b = await loggedIn(gw, gw.brand);
    const more = [];
    for (let i = 0; i < 3; i++) more.push(await gw.call(gw.brand, "POST", "/api/v1/auth/login", { json: { username: a.input.username, password: a.input.password } }));
    expect(more.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(more[2]!.body.error).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: expect.any(Number) } });
    expect((await gw.call(gw.brand, "POST", "/api/v1/auth/login", { json: { username: b.input.username, password: b.input.password } })).status).toBe(200);
  });

  test("refreshes and password checks are limited per player too", async () => {
    const p = await loggedIn(gw, gw.brand);
    const first = await gw.call(gw.brand, "POST", "/api/v1/auth/refresh", { json: { refreshToken: p.refreshToken } });
    await gw.call(gw.brand, "POST", "/api/v1/auth/refresh", { json: { refreshToken: first.body.refreshToken } });
    expect((await gw.call(gw.brand, "POST", "/api/v1/auth/refresh", { json: { refreshToken: first.body.refreshToken } })).status).toBe(429);
    const bank = { name: "Woori", account: "1002-333-444555", holder: "Kim Minsu" };
    const changes = [];
    for (let i = 0; i < 3; i++) changes.push(await gw.call(gw.brand, "PUT", "/api/v1/me/bank-account", { token: p.token, json: { password: p.input.password, bank } }));
    expect(changes.map((r) => r.status)).toEqual([200, 200, 429]);
  });
});

describe("limits per address (served)", () => {
  let node: TestPlatformNode;
  let brand: string;
  beforeAll(async () => {
    node = await testNode({ label: "limits", domains: ["player", "wallet"], domainOptions: LIMITS, serve: true });
    brand = await node.addBrand({ surfaces: ["gateway"] });
  });
  afterAll(() => node.stop());

  test("sign-ups from one address past the limit are 429 with Retry-After", async () => {
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await post(node, brand, "/api/v1/auth/register", signup()));
    expect(statuses(replies)).toEqual([201, 201, 201, 429]);
    expect(limited(replies[3]!)).toBe(true);
  });

  test("log-ins from one address past the limit are refused, whatever the account, legacy log-ins (replayed in process) included", async () => {
    const url = node.servers.find((s) => s.name === "gateway")!.url;
    const legacyLogin = async (i: number) => {
      const form = new URLSearchParams({ user_id: `legacy_${i}x`, user_pw: "some password" });
      const res = await fetch(`${url}/login`, { method: "POST", headers: { host: hostOf(brand), "content-type": "application/x-www-form-urlencoded" }, body: form });
      return ((await res.json()) as { code: string }).code;
    };
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await post(node, brand, "/api/v1/auth/login", { username: `nobody_${i}x`, password: "some password" }));
    expect(statuses(replies)).toEqual([401, 401, 401]);
    expect([await legacyLogin(1), await legacyLogin(2)]).toEqual(["invalid_credentials", "invalid_credentials"]);
    const past = await post(node, brand, "/api/v1/auth/login", { username: "nobody_9x", password: "some password" });
    expect(limited(past)).toBe(true);
    expect(await legacyLogin(3)).toBe("rate_limited");
  });
});

describe("limits across nodes", () => {
  redisTest("two nodes sharing Redis count one limit: log-ins split between them are refused at the limit", async () => {
    const env = { REDIS_PREFIX: `lim${crypto.randomUUID().slice(0, 8)}:` };
    await using a = await testNode({ label: "lim-a", env, domains: ["player", "wallet"], domainOptions: LIMITS, serve: true });
    await using b = await testNode({ label: "lim-b", env, domains: ["player", "wallet"], domainOptions: LIMITS, serve: true });
    const brand = await a.addBrand({ surfaces: ["gateway"] });
    await waitFor(() => b.edge.brands.get(brand), { what: "node b to learn the brand" });
    const input = signup();
    expect((await post(a, brand, "/api/v1/auth/register", input)).status).toBe(201);
    const right = { username: input.username, password: input.password };
    const replies = [await post(a, brand, "/api/v1/auth/login", right), await post(b, brand, "/api/v1/auth/login", right), await post(a, brand, "/api/v1/auth/login", right)];
    replies.push(await post(b, brand, "/api/v1/auth/login", right));
    expect(statuses(replies)).toEqual([200, 200, 200, 429]);
    expect(limited(replies[3]!)).toBe(true);
  });
});
