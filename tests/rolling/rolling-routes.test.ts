import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { catalogClient } from "../../actors/catalog/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { hostOf } from "../support/test-node.ts";
import { type Reply, type WalletNode, walletNode } from "../wallet/wallet-node.ts";

/**
 * The rolling surfaces: the player's progress on the gateway (and in the legacy /user/info),
 * staff views, history and cancel on the admin edge, `/internal/rolling/*`; each with its
 * happy, bad-input and security cases.
 */

let w: WalletNode;
let acme: string;
let beta: string;
let finance: { token: string; staffId: string; username: string };
let support: { token: string };
let player: { token: string; id: string };
let rollingId: string;

const internal = async (
  brand: string | null,
  method: string,
  path: string,
  call: { json?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> => {
  const headers: Record<string, string> = { host: "internal.test", ...(brand ? { "x-brand-id": brand } : {}), ...call.headers };
  if (call.token !== null) headers.authorization = `Bearer ${call.token ?? w.node.config.secrets.service}`;
  if (call.json !== undefined) headers["content-type"] = "application/json";
  const res = await w.node.apps.internal.request(`http://internal.test/internal/rolling${path}`, {
    method,
    headers,
    body: call.json === undefined ? undefined : JSON.stringify(call.json),
  });
  return { status: res.status, body: await res.json() };
};

/** A new player of acme with a deposit approved, and the record rolling opened for it. */
async function depositRecord(amount: number) {
  const other = await w.player(acme);
  const asked = await w.gateway(acme, "POST", "/wallet/deposits", { token: other.token, json: { amount, depositorName: "Kim Minsu" } });
  await w.admin("POST", `/brands/${acme}/deposits/${asked.body.requestId}/approve`, { token: finance.token });
  const [record] = await waitFor(
    async () => {
      const items = (await internal(acme, "GET", `/players/${other.id}`)).body.items;
      return items.length > 0 ? items : undefined;
    },
    { what: "the deposit's record" },
  );
  return { player: other, record };
}

beforeAll(async () => {
  w = await walletNode({ label: "rroutes" });
  [acme, beta] = [await w.addBrand(), await w.addBrand()];
  for (const brand of [acme, beta]) {
    expectOk(await catalogClient(w.node.parts.system).configureBrand({ brand, patch: { rolling: { depositMultiple: 2, categoryRates: { slots: 1 } } }, by: TEST_SETUP }));
  }
  finance = await w.staff("finance", [acme]);
  support = await w.staff("support", [acme]);
  player = await w.player(acme);
  const asked = await w.gateway(acme, "POST", "/wallet/deposits", { token: player.token, json: { amount: 5_000, depositorName: "Kim Minsu" } });
  await w.admin("POST", `/brands/${acme}/deposits/${asked.body.requestId}/approve`, { token: finance.token });
  const mine = await waitFor(
    async () => {
      const res = await w.gateway(acme, "GET", "/rolling", { token: player.token });
      return res.body.items?.length === 1 ? res : undefined;
    },
    { what: "the deposit's record" },
  );
  rollingId = mine.body.items[0].id;
}, 60_000);
afterAll(() => w.close());

describe("/api/v1/rolling (gateway)", () => {
  test("happy: the player's records with what the open ones still need; the legacy /user/info says it as `rolling`", async () => {
    const mine = await w.gateway(acme, "GET", "/rolling", { token: player.token });
    expect(mine).toMatchObject({
      status: 200,
      body: {
        items: [{ id: rollingId, sourceKind: "deposit", amount: "5000", multiple: 2, target: "10000", progress: "0", remaining: "10000", status: "open" }],
        nextCursor: null,
        summary: { open: 1, remaining: "10000" },
      },
    });
    expect((await w.gateway(acme, "GET", "/rolling?status=completed", { token: player.token })).body).toMatchObject({ items: [], summary: { open: 1 } });
    const legacy = await w.node.apps.gateway.request(`http://${hostOf(acme)}/user/info`, { headers: { host: hostOf(acme), authorization: `Bearer ${player.token}` } });
    expect(await legacy.json()).toMatchObject({ result: 1, data: { money: 5000, point: 0, rolling: 10000 } });
  });

  test("bad input: a status or page that is not one is refused", async () => {
    for (const query of ["status=done", "limit=0", "limit=201", "cursor=abc", "cursor=99999999999999999999"]) {
      const res = await w.gateway(acme, "GET", `/rolling?${query}`, { token: player.token });
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, "validation_failed"]);
    }
  });

  test("security: no token, another brand's token, a forged or expired one", async () => {
    expect((await w.gateway(acme, "GET", "/rolling")).status).toBe(401);
    const elsewhere = await w.gateway(beta, "GET", "/rolling", { token: player.token });
    expect(elsewhere).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    const claims = { sub: player.id, brand: acme, kind: "player" as const, role: "player" };
    expect((await w.gateway(acme, "GET", "/rolling", { token: await w.forgedToken(claims, { secret: "not-the-secret-of-this-platform" }) })).status).toBe(401);
    expect((await w.gateway(acme, "GET", "/rolling", { token: await w.forgedToken(claims, { expiredSecondsAgo: 60 }) })).body.error.code).toBe("token_expired");
  });
});

describe("/api/v1/brands/:brand/rollings (admin)", () => {
  test("happy: the brand's list, one record, a player's history; cancel audited", async () => {
    const list = await w.admin("GET", `/brands/${acme}/rollings?status=open&player=${player.id}`, { token: support.token });
    expect(list).toMatchObject({ status: 200, body: { items: [{ id: rollingId, status: "open" }], nextCursor: null } });
    expect(await w.admin("GET", `/brands/${acme}/rollings/${rollingId}`, { token: support.token })).toMatchObject({
      status: 200,
      body: { id: rollingId, status: "open", target: "10000" },
    });
    const history = await w.admin("GET", `/brands/${acme}/players/${player.id}/rollings`, { token: support.token });
    expect(history).toMatchObject({ status: 200, body: { items: [{ id: rollingId }], summary: { open: 1, remaining: "10000" } } });

    const { player: other, record } = await depositRecord(100);
    const cancelled = await w.admin("POST", `/brands/${acme}/rollings/${record.id}/cancel`, { token: finance.token, json: { reason: "deposit returned to the bank" } });
    expect(cancelled).toMatchObject({ status: 200, body: { id: record.id, status: "cancelled", closedBy: finance.staffId, closeReason: "deposit returned to the bank" } });
    const rows = await w.audited(acme, "rolling.cancel", `rolling:${record.id}`);
    expect(rows.find((r) => r.action === "rolling.cancel")).toMatchObject({ username: finance.username, staff_id: finance.staffId, after: { status: "cancelled" } });
    await waitFor(async () => (await w.gateway(acme, "POST", "/wallet/withdrawals", { token: other.token, json: { amount: 100 } })).status === 201, {
      what: "the other player's withdrawal to pass",
    });
  });

  test("errors: an unknown record, a bad reason, status or id", async () => {
    expect(await w.admin("GET", `/brands/${acme}/rollings/nope`, { token: support.token })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await w.admin("POST", `/brands/${acme}/rollings/nope/cancel`, { token: finance.token, json: { reason: "x" } })).toMatchObject({ status: 404 });
    for (const reason of ["", "bad\u0000reason", "x".repeat(501)]) {
      const res = await w.admin("POST", `/brands/${acme}/rollings/${rollingId}/cancel`, { token: finance.token, json: { reason } });
      expect([res.status, res.body.error.code]).toEqual([400, "validation_failed"]);
    }
    expect((await w.admin("GET", `/brands/${acme}/rollings?status=gone`, { token: support.token })).status).toBe(400);
    expect((await w.admin("GET", `/brands/${acme}/rollings/${"x".repeat(201)}`, { token: support.token })).status).toBe(400);
  });

  test("security: a refused cancel leaves no audit; another brand's staff see nothing", async () => {
    const first = await depositRecord(300);
    const second = await depositRecord(400);
    expect((await w.admin("POST", `/brands/${acme}/rollings/${first.record.id}/cancel`, { token: finance.token, json: { reason: "first" } })).status).toBe(200);
    await w.audited(acme, "rolling.cancel", `rolling:${first.record.id}`);
    expect((await w.admin("POST", `/brands/${acme}/rollings/${second.record.id}/cancel`, { token: support.token, json: { reason: "not my job" } })).status).toBe(403);
    expect(await w.admin("POST", `/brands/${acme}/rollings/${first.record.id}/cancel`, { token: finance.token, json: { reason: "again" } })).toMatchObject({
      status: 409,
      body: { error: { code: "invalid_state" } },
    });
    expect((await w.admin("POST", `/brands/${acme}/rollings/${second.record.id}/cancel`, { token: finance.token, json: { reason: "second" } })).status).toBe(200);
    // events of one brand arrive in order: once the later cancel's row is there, a row of the refused ones would be too
    const rows = await w.audited(acme, "rolling.cancel", `rolling:${second.record.id}`);
    const reasons = rows.filter((r) => r.action === "rolling.cancel" && [first.record.id, second.record.id].some((id) => r.target === `rolling:${id}`)).map((r) => r.after.reason);
    expect(reasons).toEqual(["first", "second"]);
    expect((await w.admin("GET", `/brands/${beta}/rollings`, { token: finance.token })).status).toBe(403);
    expect((await w.admin("GET", `/brands/${beta}/players/${player.id}/rollings`, { token: support.token })).status).toBe(403);
  });
});

describe("/internal/rolling", () => {
  test("happy: lists, a player's, one record; a cancel in the name the caller gives", async () => {
    expect(await internal(acme, "GET", `/players/${player.id}`)).toMatchObject({ status: 200, body: { items: [{ id: rollingId }], summary: { open: 1 } } });
    expect(await internal(acme, "GET", `?player=${player.id}`)).toMatchObject({ status: 200, body: { items: [{ id: rollingId }] } });
    expect(await internal(acme, "GET", `/${rollingId}`)).toMatchObject({ status: 200, body: { id: rollingId, remaining: "10000" } });
    const { record } = await depositRecord(200);
    expect(await internal(acme, "POST", `/${record.id}/cancel`, { json: { reason: "migration cleanup", by: "ops-bot" } })).toMatchObject({
      status: 200,
      body: { status: "cancelled", closedBy: "service:ops-bot" },
    });
    const rows = await w.audited(acme, "rolling.cancel", `rolling:${record.id}`);
    expect(rows.find((r) => r.target === `rolling:${record.id}`)).toMatchObject({ username: "service:ops-bot", staff_id: null });
    // a forwarded staff token names who acts, whatever the body says
    const forwarded = await depositRecord(250);
    const asStaff = await internal(acme, "POST", `/${forwarded.record.id}/cancel`, { json: { reason: "chargeback", by: "ops-bot" }, headers: { "x-access-token": finance.token } });
    expect(asStaff).toMatchObject({ status: 200, body: { closedBy: finance.staffId } });
    const staffRows = await w.audited(acme, "rolling.cancel", `rolling:${forwarded.record.id}`);
    expect(staffRows.find((r) => r.target === `rolling:${forwarded.record.id}`)).toMatchObject({ username: finance.username, staff_id: finance.staffId });
  });

  test("errors and security: the service token, a brand, valid input", async () => {
    expect((await internal(acme, "GET", "", { token: null })).status).toBe(401);
    expect((await internal(acme, "GET", "", { token: "not-the-service-token" })).status).toBe(401);
    expect(await internal(null, "GET", "")).toMatchObject({ status: 404, body: { error: { code: "brand_not_found" } } });
    expect((await internal(acme, "GET", "?status=bogus")).status).toBe(400);
    expect((await internal(acme, "POST", `/${rollingId}/cancel`, { json: { reason: "ok", by: "has space" } })).status).toBe(400);
    expect(await internal(acme, "GET", "/no-such-record")).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const staffToken = await w.forgedToken({ sub: finance.staffId, brand: beta, kind: "staff", role: "finance" });
    expect(await internal(acme, "GET", "", { headers: { "x-access-token": staffToken } })).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
  });
});
