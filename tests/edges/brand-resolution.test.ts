import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { sign } from "hono/jwt";
import type { ActorKind } from "../../actors/runtime/actor.ts";
import { createEdges, type EdgeApps } from "../../edges/index.ts";
import { type BrandedEnv, type EdgeEnv, requireAccess, requireBrand, requireHealthy, signAccessToken, verifyAccessToken } from "../../edges/shared/index.ts";
import { createBrand, setBrandStatus } from "../support/catalog.ts";
import { edgeContextOf, type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

const crashing: ActorKind = {
  domain: "crashy",
  scope: "brand",
  messages: {},
  create: () => ({
    recall: async () => new Map(),
    receive: async () => {
      throw new Error("always fails");
    },
  }),
};

const whoami = (c: { var: BrandedEnv["Variables"] }) => ({ brand: c.var.brand.id, source: c.var.brandSource, sub: c.var.claims?.sub ?? null });

function playerRoutes(node: TestNode) {
  return () =>
    new Hono<BrandedEnv>()
      .get("/api/v1/whoami", (c) => c.json(whoami(c)))
      .get("/api/v1/me", requireAccess({ kinds: ["player"] }), (c) => c.json(whoami(c)))
      .get("/api/v1/crashy", requireHealthy(edgeContextOf(node), "crashy"), (c) => c.json({ ok: true }));
}

function internalRoutes() {
  return new Hono<EdgeEnv>()
    .get("/internal/global", (c) => c.json({ brand: c.var.brand?.id ?? null }))
    .get("/internal/wallet/balance", requireBrand(), (c) => c.json({ brand: c.var.brand!.id, source: c.var.brandSource }));
}

async function errorOf(res: Response) {
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

describe("brand resolution", () => {
  let node: TestNode;
  let apps: EdgeApps;
  const acme = uniqueBrand("acme");
  const beta = uniqueBrand("beta");
  const off = uniqueBrand("off");
  const play = (id: string) => `http://play.${id}.test`;
  const player = (brand: string | null, sub = "p1") => signAccessToken(node, { sub, brand, role: "player", kind: "player" }, 300);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    node = await testNodeContext({ kinds: [crashing], env: { RESTART_INTENSITY: "1", RESTART_BACKOFF_MS: "1", RESTART_PERIOD_MS: "60000" } });
    for (const id of [acme, beta, off]) {
      await createBrand(node.system, {
        id,
        name: id,
        domains: [
          { domain: `play.${id}.test`, surface: "gateway" },
          { domain: `admin.${id}.test`, surface: "admin" },
        ],
      });
    }
    await setBrandStatus(node.system, off, "disabled");
    apps = createEdges(edgeContextOf(node), [
      { edge: "gateway", prefix: "/", routes: playerRoutes(node) },
      { edge: "internal", prefix: "/", routes: internalRoutes },
    ]);
  });
  afterAll(() => node.close());

  test("the Host names the brand on the gateway", async () => {
    const res = await apps.gateway.request(`${play(acme)}/api/v1/whoami`);
    expect(await res.json()).toEqual({ brand: acme, source: "host", sub: null });
    const withPort = await apps.gateway.request("/api/v1/whoami", { headers: { host: `PLAY.${acme}.test:8080` } });
    expect(((await withPort.json()) as { brand: string }).brand).toBe(acme);
  });

  test("an unknown host, or a host of another surface, is 404 brand_not_found", async () => {
    expect(await errorOf(await apps.gateway.request("http://nobody.test/api/v1/whoami"))).toEqual({ status: 404, code: "brand_not_found" });
    expect(await errorOf(await apps.gateway.request(`http://admin.${acme}.test/api/v1/whoami`))).toEqual({ status: 404, code: "brand_not_found" });
  });

  test("a disabled brand is 403 brand_disabled, by host or by token", async () => {
    expect(await errorOf(await apps.gateway.request(`${play(off)}/api/v1/whoami`))).toEqual({ status: 403, code: "brand_disabled" });
    const res = await apps.gateway.request("http://nobody.test/api/v1/whoami", { headers: bearer(await player(off)) });
    expect(await errorOf(res)).toEqual({ status: 403, code: "brand_disabled" });
  });

  test("the token's brand claim names the brand and agrees with the host", async () => {
    const token = await player(acme, "p-42");
    const alone = await apps.gateway.request("http://nobody.test/api/v1/me", { headers: bearer(token) });
    expect(await alone.json()).toEqual({ brand: acme, source: "token", sub: "p-42" });
    const both = await apps.gateway.request(`${play(acme)}/api/v1/me`, { headers: bearer(token) });
    expect(await both.json()).toEqual({ brand: acme, source: "host", sub: "p-42" });
    expect(await errorOf(await apps.gateway.request(`${play(acme)}/api/v1/me`))).toEqual({ status: 401, code: "unauthorized" });
  });

  test("host and token naming different brands is 403 brand_mismatch", async () => {
    const res = await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: bearer(await player(beta)) });
    expect(await errorOf(res)).toEqual({ status: 403, code: "brand_mismatch" });
  });

  test("a forged, an expired, and a wrong-kind token are 401", async () => {
    const forged = await sign({ sub: "p1", brand: acme, role: "player", kind: "player", iat: 1, exp: 9_999_999_999, jti: "j" }, "not-the-secret-not-the-secret-xx", "HS256");
    expect(await errorOf(await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: bearer(forged) }))).toEqual({ status: 401, code: "invalid_token" });
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: "p1", brand: acme, role: "player", kind: "player", iat: now - 600, exp: now - 1, jti: "j" }, node.config.secrets.jwt, "HS256");
    expect(await errorOf(await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: bearer(expired) }))).toEqual({ status: 401, code: "token_expired" });
    const payload = (await player(acme)).split(".")[1];
    const unsigned = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${payload}.`;
    expect(await errorOf(await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: bearer(unsigned) }))).toEqual({ status: 401, code: "invalid_token" });
    const staff = await signAccessToken(node, { sub: "s1", brand: acme, role: "admin", kind: "staff" }, 300);
    expect(await errorOf(await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: bearer(staff) }))).toEqual({ status: 401, code: "invalid_token" });
  });

  test("signAccessToken and verifyAccessToken round-trip the claims", async () => {
    const token = await signAccessToken(node, { sub: "s9", brand: null, role: "owner", kind: "staff" }, 60);
    const claims = await verifyAccessToken(node, token);
    expect(claims).toMatchObject({ sub: "s9", brand: null, role: "owner", kind: "staff" });
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("X-Brand-Id from outside is ignored on the gateway", async () => {
    const res = await apps.gateway.request(`${play(acme)}/api/v1/whoami`, { headers: { "x-brand-id": beta } });
    expect(await res.json()).toEqual({ brand: acme, source: "host", sub: null });
    expect(await errorOf(await apps.gateway.request("http://nobody.test/api/v1/whoami", { headers: { "x-brand-id": acme } }))).toEqual({ status: 404, code: "brand_not_found" });
  });

  test("the internal edge wants the service token before anything but the probes", async () => {
    const missing = await apps.internal.request("/internal/wallet/balance", { headers: { "x-brand-id": acme } });
    expect(await errorOf(missing)).toEqual({ status: 401, code: "unauthorized" });
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await apps.internal.request("/internal/wallet/balance", { headers: { authorization: "Bearer wrong", "x-brand-id": acme } });
    expect(await errorOf(wrong)).toEqual({ status: 401, code: "unauthorized" });
    expect((await apps.internal.request("/healthz")).status).toBe(200);
  });

  test("behind the service token, X-Brand-Id names the brand; brand-scoped routes require it", async () => {
    const service = bearer(node.config.secrets.service);
    const res = await apps.internal.request("/internal/wallet/balance", { headers: { ...service, "x-brand-id": acme } });
    expect(await res.json()).toEqual({ brand: acme, source: "header" });
    expect(await errorOf(await apps.internal.request("/internal/wallet/balance", { headers: service }))).toEqual({ status: 404, code: "brand_not_found" });
    expect(await (await apps.internal.request("/internal/global", { headers: service })).json()).toEqual({ brand: null });
    const unknown = await apps.internal.request("/internal/wallet/balance", { headers: { ...service, "x-brand-id": uniqueBrand("nope") } });
    expect(await errorOf(unknown)).toEqual({ status: 404, code: "brand_not_found" });
    const badSlug = await apps.internal.request("/internal/wallet/balance", { headers: { ...service, "x-brand-id": "../etc" } });
    expect(await errorOf(badSlug)).toEqual({ status: 400, code: "validation_failed" });
  });

  test("X-Brand-Id disagreeing with the forwarded token's brand is 403 brand_mismatch", async () => {
    const headers = { ...bearer(node.config.secrets.service), "x-brand-id": acme, "x-access-token": await player(beta) };
    expect(await errorOf(await apps.internal.request("/internal/wallet/balance", { headers }))).toEqual({ status: 403, code: "brand_mismatch" });
    const agreeing = { ...headers, "x-access-token": await player(acme) };
    expect((await apps.internal.request("/internal/wallet/balance", { headers: agreeing })).status).toBe(200);
  });

  test("a degraded domain of the brand is 503 degraded with Retry-After", async () => {
    expect((await apps.gateway.request(`${play(beta)}/api/v1/crashy`)).status).toBe(200);
    const address = await node.system.host("crashy", beta);
    await node.system.tell(address, "timer", { name: "tick", firedAt: Date.now() });
    await waitFor(() => node.system.degradation("crashy", beta), { what: "crashy to be degraded" });
    const res = await apps.gateway.request(`${play(beta)}/api/v1/crashy`);
    expect(await errorOf(res)).toEqual({ status: 503, code: "degraded" });
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await apps.gateway.request(`${play(acme)}/api/v1/crashy`)).status).toBe(200);
  });
});
