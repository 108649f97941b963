import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SessionTokens, signBody } from "../../actors/game/index.ts";
import { walletRefusal } from "../../edges/callback/dialects/replies.ts";
import { createBrand } from "../support/catalog.ts";
import type { CallbackNode } from "./callback-node.ts";
import { callbackFixture, cash, fund, launch, type ProviderClient, registerProvider, staff } from "./provider-client.ts";

/**
 * The common rules of every dialect: provider lookup, IP allow-list, signature over the raw
 * body (before anything is parsed), malformed bodies (400, nothing moved), secret rotation
 * and an internal failure (500).
 */

let node: CallbackNode;
let brand: string;
let standard: ProviderClient;
let batch: ProviderClient;

beforeAll(
  async () =>
    ({
      node,
      brand,
      providers: { standard, batch },
    } = await callbackFixture(["standard", "batch"], { env: { ASK_TIMEOUT_MS: "1500" } })),
  30_000,
);
afterAll(() => node?.close());

async function funded(provider: ProviderClient, amount = 500) {
  const player = `pl-${crypto.randomUUID().slice(0, 8)}`;
  await fund(node, brand, player, amount);
  return { player, token: await launch(node, brand, player, provider.code) };
}

const betBody = (token: string, uuid: string, amount: number = 100) => ({ token, transaction_uuid: uuid, round: "r1", game_code: "slot-1", amount, currency: "KRW" });
const playBody = (token: string, actionId: string, amount: number = 100) => ({
  token,
  round: "r1",
  game_code: "slot-1",
  currency: "KRW",
  finished: false,
  actions: [{ action: "bet", action_id: actionId, amount }],
});

describe("callback edge, both dialects", () => {
  test("an unknown provider is 404; an operation its dialect lacks is 404", async () => {
    const response = await fetch(`${node.url}/callbacks/nobody/transaction/bet`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe("not_found");
    expect((await standard.call("play", {})).http).toBe(404);
    expect((await batch.call("transaction/bet", {})).http).toBe(404);
  });

  for (const [name, body] of [
    ["standard", (token: string, id: string) => ({ provider: () => standard, op: "transaction/bet", body: betBody(token, id) })],
    ["batch", (token: string, id: string) => ({ provider: () => batch, op: "play", body: playBody(token, id) })],
  ] as const) {
    test(`${name}: a missing or wrong signature is 401 and records nothing under the key`, async () => {
      const provider = name === "standard" ? standard : batch;
      const { player, token } = await funded(provider);
      const call = body(token, crypto.randomUUID());
      const unsigned = await provider.call(call.op, call.body, { signature: null });
      expect(unsigned).toEqual({ http: 401, body: { status: "RS_ERROR_INVALID_SIGNATURE", message: expect.any(String) } });
      const raw = JSON.stringify(call.body);
      const wrongSecret = await provider.call(call.op, call.body, { secret: "some-other-secret-0123456789abcdefghij" });
      expect(wrongSecret.http).toBe(401);
      const upperHex = (await signBody(provider.secret, raw)).toUpperCase();
      expect((await provider.call(call.op, call.body, { raw, signature: upperHex })).http).toBe(401);
      const otherBody = await provider.call(call.op, call.body, { raw: raw.replace('"amount":100', '"amount":1'), signature: await signBody(provider.secret, raw) });
      expect(otherBody.http).toBe(401);
      expect(await cash(node, brand, player)).toBe(500n);
      expect((await provider.call(call.op, call.body)).body).toMatchObject({ status: "RS_OK", balance: 400 });
    });

    test(`${name}: malformed bodies are 400 RS_ERROR_WRONG_TYPES and move nothing`, async () => {
      const provider = name === "standard" ? standard : batch;
      const { player, token } = await funded(provider);
      const id = crypto.randomUUID();
      const good = body(token, id).body as Record<string, any>;
      const bad: { raw?: string; body?: unknown }[] = [
        { raw: "{not json" },
        { raw: "" },
        { body: [] },
        { body: { ...good, token: undefined } },
        { body: { ...good, round: 7 } },
        { body: { ...good, round: "r\u0000" } },
        { body: { ...good, game_code: "slot-1\u0000" } },
        { raw: `\uFEFF${JSON.stringify(good)}` },
        { raw: JSON.stringify({ ...good, extra: JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`) }) },
        ...(name === "standard"
          ? [
              { body: { ...good, amount: -5 } },
              { body: { ...good, amount: 1.5 } },
              { body: { ...good, amount: "100" } },
              { body: { ...good, currency: "krw" } },
              { body: { ...good, amount: 2 ** 60 } },
              { body: { ...good, amount: 1e15 } },
              { body: { ...good, transaction_uuid: "tx\u0000" } },
              { body: { ...good, transaction_uuid: "with space" } },
            ]
          : [
              { body: { ...good, actions: [] } },
              { body: { ...good, finished: "yes" } },
              { body: { ...good, actions: [{ action: "jackpot", action_id: "a", amount: 1 }] } },
              {
                body: {
                  ...good,
                  actions: [
                    { action: "bet", action_id: "a", amount: 1 },
                    { action: "win", action_id: "a", amount: 1 },
                  ],
                },
              },
              { body: { ...good, actions: [{ action: "bet", action_id: "a", amount: -1 }] } },
              { body: { ...good, actions: [{ action: "bet", action_id: "a\u0000", amount: 1 }] } },
            ]),
      ];
      for (const b of bad) {
        const raw = b.raw ?? JSON.stringify(b.body);
        const reply = await provider.call(body(token, id).op, undefined, { raw });
        expect({ raw, reply }).toEqual({ raw, reply: { http: 400, body: { status: "RS_ERROR_WRONG_TYPES", message: expect.any(String) } } });
      }
      expect(await cash(node, brand, player)).toBe(500n);
      expect((await provider.call(body(token, id).op, good)).body).toMatchObject({ status: "RS_OK", balance: 400 });
    });
  }

  test("a body that is not UTF-8 is 400 RS_ERROR_WRONG_TYPES, signed or not", async () => {
    const raw = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const response = await fetch(`${node.url}/callbacks/${standard.code}/user/balance`, {
      method: "POST",
      body: raw,
      headers: { "x-signature": await signBody(standard.secret, raw) },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status: "RS_ERROR_WRONG_TYPES", message: "the body is not UTF-8" });
  });

  test("a provider with an IP allow-list refuses other addresses before reading the body", async () => {
    const fenced = await registerProvider(node, "standard", { ipAllowList: ["203.0.113.0/24"] });
    const { token } = await funded(fenced);
    const refused = await fenced.call("transaction/bet", betBody(token, crypto.randomUUID()));
    expect(refused.http).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    const opened = await staff(node, "PATCH", `/integration/providers/${fenced.code}`, { ipAllowList: ["203.0.113.0/24", "127.0.0.1"] });
    expect(opened.http).toBe(200);
    expect((await fenced.call("transaction/bet", betBody(token, crypto.randomUUID()))).body.status).toBe("RS_OK");
  });

  test("a rotated secret signs from then on; the old one only during the grace it was given", async () => {
    const rotating = await registerProvider(node, "standard");
    const { token } = await funded(rotating, 1000);
    const old = rotating.secret;
    const graced = await staff(node, "POST", `/integration/providers/${rotating.code}/rotate-secret`, { graceSeconds: 600 });
    expect(graced.http).toBe(200);
    expect(graced.body.provider.previousSecretUntil).toBeGreaterThan(Date.now());
    const fresh = graced.body.secret as string;
    expect((await rotating.call("transaction/bet", betBody(token, crypto.randomUUID()), { secret: old })).body.status).toBe("RS_OK");
    expect((await rotating.call("transaction/bet", betBody(token, crypto.randomUUID()), { secret: fresh })).body.status).toBe("RS_OK");
    const hard = await staff(node, "POST", `/integration/providers/${rotating.code}/rotate-secret`, {});
    expect((await rotating.call("transaction/bet", betBody(token, crypto.randomUUID()), { secret: fresh })).http).toBe(401);
    expect((await rotating.call("transaction/bet", betBody(token, crypto.randomUUID()), { secret: hard.body.secret })).body.status).toBe("RS_OK");
  });

  test("an internal failure is HTTP 500 RS_ERROR_UNKNOWN: the provider retries or rolls back", async () => {
    // a brand whose wallet runs nowhere: the ask times out, the outcome is unknown
    const orphan = `cb-${crypto.randomUUID().slice(0, 8)}`;
    await createBrand(node.ctx.system, { id: orphan, name: orphan });
    const claims = { brand: orphan, player: "p1", provider: standard.code, game: "slot-1", session: "s1", expiresAt: Date.now() + 60_000 };
    const token = await new SessionTokens(node.ctx.config.secrets.session).issue(claims);
    const reply = await standard.call("transaction/bet", betBody(token, crypto.randomUUID()));
    expect(reply).toEqual({ http: 500, body: { status: "RS_ERROR_UNKNOWN", message: expect.stringContaining("timeout") } });
  });

  test("a call refused for now (overloaded, a dependency away, degraded) is HTTP 503 with Retry-After: certainly not applied", () => {
    for (const code of ["overloaded", "unavailable", "degraded"]) {
      const reply = walletRefusal({ code, message: "wallet@acme has 1000 messages queued" });
      expect(reply).toEqual({ http: 503, retryAfterSeconds: 1, body: { status: "RS_ERROR_UNKNOWN", message: "not applied: wallet@acme has 1000 messages queued; retry later" } });
    }
    expect(walletRefusal({ code: "timeout", message: "unknown" }).http).toBe(500);
    expect(walletRefusal({ code: "amount_out_of_range", message: "too much" })).toMatchObject({ http: 400, body: { status: "RS_ERROR_WRONG_TYPES" } });
  });
});
