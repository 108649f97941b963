import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { type BackOffice, backOffice } from "../admin/back-office-fixture.ts";
import { signup } from "../gateway/gateway-node.ts";
import { addDomain } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { hostOf } from "../support/test-node.ts";
import { FakeTelegram } from "./fake-telegram.ts";
import { kbDeposit } from "./recon-fixture.ts";

const CHAT = -4242;
/** the bank's number, on the sources' lists of senders */
const BANK = "16449999";
let bo: BackOffice;
let brand: string;
let otherBrand: string;
let tg: FakeTelegram;
let owner: string;

async function http(
  edge: "gateway" | "admin" | "callback",
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; host?: string } = {},
) {
  const headers: Record<string, string> = { host: options.host ?? hostOf(brand, edge === "admin" ? "admin" : "gateway"), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await bo.apps[edge].request(`http://${headers.host}${path}`, { method, headers, body });
  return { status: res.status, body: (await res.json()) as any, text: "" };
}

async function staff(role: "owner" | "finance" | "support", brands: string[] | null) {
  return (await bo.staff(role, brands)).token;
}

async function player(depositor: string, amount: number) {
  const input = signup();
  expect((await http("gateway", "POST", "/api/v1/auth/register", { body: input })).status).toBe(201);
  const token = (await http("gateway", "POST", "/api/v1/auth/login", { body: { username: input.username, password: input.password } })).body.accessToken as string;
  const request = await http("gateway", "POST", "/api/v1/wallet/deposits", { token, body: { amount, depositorName: depositor } });
  expect(request.status).toBe(201);
  // recon hears of the request through the wallet's events
  await waitFor(() => bo.node.shards.acquire(brand).sqlite.query("select 1 from recon_requests where request_id = ?").get(request.body.requestId));
  return { token, requestId: request.body.requestId as string };
}

const cash = async (token: string) => (await http("gateway", "GET", "/api/v1/wallet/balance", { token })).body.cash as string;
const recon = (path: string) => `/api/v1/brands/${brand}/recon${path}`;

beforeAll(async () => {
  bo = await backOffice();
  [brand, otherBrand] = bo.brands;
  await addDomain(bo.node.system, brand, hostOf(brand, "gateway"));
  tg = new FakeTelegram();
  owner = await staff("owner", null);
}, 30_000);
afterAll(async () => {
  await bo.close();
  tg.stop();
});

describe("recon end to end", () => {
  let webhookId: string;
  let webhookSecret: string;
  let telegramId: string;

  test("staff add a Telegram bot and a signed webhook; no reply or list carries a secret again", async () => {
    const bot = await http("admin", "POST", recon("/sources"), {
      token: owner,
      body: { kind: "telegram", label: "bank phone bot", token: tg.token, settings: { apiUrl: tg.url, chatIds: [String(CHAT)], senders: [BANK] } },
    });
    expect(bot.status).toBe(201);
    expect(bot.body.webhookSecret).toBeNull();
    telegramId = bot.body.id;
    const hook = await http("admin", "POST", recon("/sources"), { token: owner, body: { kind: "webhook", label: "forwarder app", settings: { senders: [BANK] } } });
    expect(hook.status).toBe(201);
    [webhookId, webhookSecret] = [hook.body.id, hook.body.webhookSecret];
    expect(webhookSecret.length).toBeGreaterThan(30);
    const list = await http("admin", "GET", recon("/sources"), { token: owner });
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(tg.token);
    expect(text).not.toContain(webhookSecret);
    expect(list.body.items.map((s: { id: string }) => s.id).sort()).toEqual([telegramId, webhookId].sort());
    const missingToken = await http("admin", "POST", recon("/sources"), { token: owner, body: { kind: "pushbullet", label: "x" } });
    expect([missingToken.status, missingToken.body.error.code]).toEqual([400, "validation_failed"]);
  });

  test("a deposit request, an SMS through Telegram: credited within 2 s; the same SMS again and through the webhook credits once", async () => {
    const p = await player("김민수", 73_000);
    const sms = kbDeposit("김민수", 73_000, 9_173_000);
    const sent = Date.now();
    tg.post(CHAT, `보낸사람 : ${BANK}\n${sms}`);
    await waitFor(async () => (await cash(p.token)) === "73000", { timeoutMs: 2000, what: "the deposit to be credited" });
    expect(Date.now() - sent).toBeLessThan(2000);

    tg.post(CHAT, `보낸사람 : ${BANK}\n${sms}`);
    const raw = JSON.stringify({ id: "fwd-1", text: sms, sender: BANK });
    const hooked = await http("callback", "POST", `/recon/webhook/${brand}/${webhookId}`, {
      raw,
      headers: { "x-recon-signature": await signBody(webhookSecret, raw) },
      host: "callback.test",
    });
    expect(hooked).toMatchObject({ status: 200, body: { state: "duplicate", replayed: false } });
    const again = await http("callback", "POST", `/recon/webhook/${brand}/${webhookId}`, {
      raw,
      headers: { "x-recon-signature": await signBody(webhookSecret, raw) },
      host: "callback.test",
    });
    // a forwarder's retry is the same message: the first answer again, nothing stored twice
    expect(again).toMatchObject({ status: 200, body: { messageId: hooked.body.messageId } });
    await waitFor(async () => (await http("admin", "GET", recon(`/messages?sourceId=${telegramId}`), { token: owner })).body.items.length === 2, {
      what: "the second Telegram copy",
    });
    const copies = (await http("admin", "GET", recon(`/messages?sourceId=${telegramId}`), { token: owner })).body.items;
    expect(copies.map((m: { state: string }) => m.state).sort()).toEqual(["duplicate", "matched"]);
    expect(await cash(p.token)).toBe("73000");
  });

  test("the webhook refuses a wrong signature, another source's secret and hostile bodies, storing nothing", async () => {
    const raw = JSON.stringify({ id: "fwd-2", text: kbDeposit("아무개", 1, 2) });
    const hook = (headers: Record<string, string>, body = raw, path = `/recon/webhook/${brand}/${webhookId}`) =>
      http("callback", "POST", path, { raw: body, headers, host: "callback.test" });
    expect((await hook({})).status).toBe(401);
    expect((await hook({ "x-recon-signature": await signBody("not the secret", raw) })).status).toBe(401);
    expect((await hook({ "x-recon-signature": await signBody(webhookSecret, raw) }, raw, `/recon/webhook/${otherBrand}/${webhookId}`)).status).toBe(404);
    expect((await hook({ "x-recon-signature": await signBody(webhookSecret, raw) }, raw, `/recon/webhook/${brand}/${telegramId}`)).status).toBe(401);
    const nul = JSON.stringify({ id: "fwd-3", text: "a\u0000b" });
    expect((await hook({ "x-recon-signature": await signBody(webhookSecret, nul) }, nul)).status).toBe(400);
    const stored = (await http("admin", "GET", recon(`/messages?sourceId=${webhookId}`), { token: owner })).body.items.map((m: { externalId: string }) => m.externalId);
    expect(stored).not.toContain("fwd-2");
    // the longest id a forwarder may send is taken as it is
    const long = JSON.stringify({ id: "x".repeat(200), text: "[Web발신] 인증번호 123456 입력하세요" });
    expect(await hook({ "x-recon-signature": await signBody(webhookSecret, long) }, long)).toMatchObject({ status: 200, body: { state: "ignored" } });
  });

  test("two pending requests with the same amount and name: neither approved, both offered; staff match one, audited", async () => {
    const a = await player("이수진", 55_000);
    const b = await player("이수진", 55_000);
    tg.post(CHAT, kbDeposit("이수진", 55_000, 9_228_000));
    const queued = await waitFor(async () =>
      (await http("admin", "GET", recon("/review"), { token: owner })).body.items.find((m: { parsed: { amount: string } }) => m.parsed.amount === "55000"),
    );
    expect(queued.candidates.map((c: { requestId: string }) => c.requestId).sort()).toEqual([a.requestId, b.requestId].sort());
    await waitFor(async () => (await http("admin", "GET", `/api/v1/brands/${brand}/top-info`, { token: owner })).body.counters.unmatchedReconMessages >= 1, {
      what: "the unmatched counter",
    });
    expect([await cash(a.token), await cash(b.token)]).toEqual(["0", "0"]);

    const support = await staff("support", [brand]);
    expect((await http("admin", "POST", recon(`/messages/${queued.id}/match`), { token: support, body: { requestId: a.requestId } })).status).toBe(403);
    const outsider = await staff("finance", [otherBrand]);
    expect((await http("admin", "POST", recon(`/messages/${queued.id}/match`), { token: outsider, body: { requestId: a.requestId } })).status).toBe(403);
    expect((await http("admin", "POST", recon(`/messages/${queued.id}/match`), { body: { requestId: a.requestId } })).status).toBe(401);
    const wrong = await http("admin", "POST", recon(`/messages/${queued.id}/match`), { token: owner, body: { requestId: "no-such-request" } });
    expect([wrong.status, wrong.body.error.code]).toEqual([409, "recon_request_not_pending"]);

    const matched = await http("admin", "POST", recon(`/messages/${queued.id}/match`), { token: owner, body: { requestId: a.requestId } });
    expect(matched).toMatchObject({ status: 200, body: { state: "matched", match: { how: "manual" } } });
    await waitFor(async () => (await cash(a.token)) === "55000");
    const rows = await waitFor(
      async () => {
        const found = await bo.node.store.query<{ action: string; after: { requestId: string } }>("select action, after from audit_log where target = $1", [
          `recon_message:${queued.id}`,
        ]);
        return found.length > 0 ? found : undefined;
      },
      { what: "the match's audit row" },
    );
    expect(rows).toEqual([expect.objectContaining({ action: "recon.match", after: expect.objectContaining({ requestId: a.requestId }) })]);
    // the refused attempts above left no audit row
    expect(await cash(b.token)).toBe("0");
  });

  test("a Telegram bot in webhook mode: updates carrying the secret token are stored once; others are refused or dropped", async () => {
    const made = await http("admin", "POST", recon("/sources"), {
      token: owner,
      body: { kind: "telegram", label: "bot by webhook", settings: { mode: "webhook", chatIds: [String(CHAT)], senders: [BANK] } },
    });
    expect(made).toMatchObject({ status: 201, body: { kind: "telegram", settings: { mode: "webhook" } } });
    const { id, webhookSecret: secretToken } = made.body as { id: string; webhookSecret: string };
    const p = await player("최유리", 64_000);
    const update = (updateId: number, chat: number, text: string) =>
      JSON.stringify({
        update_id: updateId,
        message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "group" }, from: { id: 7, is_bot: false, first_name: "phone" }, text },
      });
    const push = (body: string, token: string | null = secretToken, source = id) =>
      http("callback", "POST", `/recon/telegram/${brand}/${source}`, {
        raw: body,
        headers: token === null ? {} : { "x-telegram-bot-api-secret-token": token },
        host: "callback.test",
      });
    const sms = `보낸사람 : ${BANK}\n${kbDeposit("최유리", 64_000, 9_292_000)}`;
    const first = await push(update(501, CHAT, sms));
    expect(first).toMatchObject({ status: 200, body: { ok: true, state: "matched" } });
    await waitFor(async () => (await cash(p.token)) === "64000");
    // Telegram delivering the same update again is the same message
    expect((await push(update(501, CHAT, sms))).body.messageId).toBe(first.body.messageId);
    expect((await push(update(502, 999, sms))).body).toEqual({ ok: true, messageId: null, state: null });
    expect((await push(update(503, CHAT, sms), null)).status).toBe(401);
    expect((await push(update(503, CHAT, sms), `${secretToken}x`)).status).toBe(401);
    expect(
      (
        await push(
          update(503, CHAT, sms),
          tg.token,
          (
            await http("admin", "GET", recon("/sources"), { token: owner })
          ).body.items.find((s: { kind: string; settings: { mode: string } }) => s.kind === "telegram" && s.settings.mode === "polling").id,
        )
      ).status,
    ).toBe(401);
    const switched = await http("admin", "PATCH", recon(`/sources/${id}`), { token: owner, body: { settings: { mode: "polling" } } });
    expect([switched.status, switched.body.error.code]).toEqual([409, "invalid_state"]);
    expect(await cash(p.token)).toBe("64000");
  });

  test("bad input is a 400 with a stable code; an unknown notice is a 404", async () => {
    expect((await http("admin", "GET", recon("/messages?limit=0"), { token: owner })).status).toBe(400);
    expect((await http("admin", "GET", recon("/messages?cursor=abc"), { token: owner })).status).toBe(400);
    expect((await http("admin", "POST", recon("/messages/not-a-uuid/dismiss"), { token: owner, body: { reason: "x" } })).status).toBe(400);
    const missing = await http("admin", "POST", recon(`/messages/${crypto.randomUUID()}/dismiss`), { token: owner, body: { reason: "x" } });
    expect([missing.status, missing.body.error.code]).toEqual([404, "recon_message_not_found"]);
    const bad = await http("admin", "POST", recon("/sources"), {
      token: owner,
      body: { kind: "telegram", label: "x", token: "short", settings: { apiUrl: "file:///etc/passwd" } },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, "validation_failed"]);
  });

  test("a source's URLs name only the public services (or a host the operator allowed): no token goes elsewhere", async () => {
    const token = "123456789:AAH-a-bot-token-as-botfather-gives";
    const refused = [
      { kind: "telegram", settings: { apiUrl: "https://evil.example" } },
      { kind: "telegram", settings: { apiUrl: "https://api.telegram.org@evil.example" } },
      { kind: "telegram", settings: { apiUrl: "http://api.telegram.org" } },
      { kind: "telegram", settings: { apiUrl: "https://api.pushbullet.com" } },
      { kind: "pushbullet", settings: { apiUrl: "https://api.pushbullet.com.evil.example" } },
      { kind: "pushbullet", settings: { streamUrl: "wss://evil.example" } },
      { kind: "pushbullet", settings: { apiUrl: "http://localhost:1" } },
    ];
    for (const body of refused) {
      const res = await http("admin", "POST", recon("/sources"), { token: owner, body: { ...body, label: "x", token } });
      expect({ body, res: [res.status, res.body.error?.code, res.body.error?.message] }).toEqual({
        body,
        res: [400, "validation_failed", expect.stringContaining("RECON_UPSTREAM_HOSTS")],
      });
      expect(JSON.stringify(res.body)).not.toContain(token);
    }
    // a host the operator allowed (the tests' local fakes) is taken; moving the source elsewhere later is refused too
    const bot = new FakeTelegram();
    try {
      const local = await http("admin", "POST", recon("/sources"), { token: owner, body: { kind: "telegram", label: "local", token: bot.token, settings: { apiUrl: bot.url } } });
      expect(local.status).toBe(201);
      expect(JSON.stringify(local.body)).not.toContain(bot.token);
      const moved = await http("admin", "PATCH", recon(`/sources/${local.body.id}`), { token: owner, body: { status: "paused", settings: { apiUrl: "https://evil.example" } } });
      expect([moved.status, moved.body.error.code]).toEqual([400, "validation_failed"]);
      const paused = await http("admin", "PATCH", recon(`/sources/${local.body.id}`), { token: owner, body: { status: "paused" } });
      expect(paused.body.settings.apiUrl).toBe(bot.url);
    } finally {
      bot.stop();
    }
  });
});
