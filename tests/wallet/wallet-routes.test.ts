import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { edgeErrorHandler } from "../../edges/shared/index.ts";
import { createLogger } from "../../actors/runtime/index.ts";
import { walletRoutes } from "../../edges/internal/wallet-routes.ts";
import type { EdgeContext } from "../../edges/shared/edge-context.ts";
import { domainClients } from "../../supervisor/edge-context.ts";
import { fund, walletHarness, type WalletHarness } from "./harness.ts";

/** `/internal/wallet/*` as the internal edge mounts it, called with app.request(). */

let h: WalletHarness;
let app: Hono;
beforeAll(async () => {
  h = await walletHarness();
  // the routes use only the clients and the log of their context
  const log = createLogger("silent");
  app = new Hono().onError(edgeErrorHandler(log)).route("/", walletRoutes({ clients: domainClients(h.system), log } as EdgeContext));
});
afterAll(() => h.close());

const id = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const call = (method: string, path: string, body?: unknown, brand: string | null = h.brand) =>
  app.request(path, {
    method,
    headers: { "content-type": "application/json", ...(brand === null ? {} : { "x-brand-id": brand }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("happy paths", () => {
  test("a deposit is requested, queued, approved, and shows in the balance and the statement", async () => {
    const player = id("p");
    const requestId = id("d");
    const created = await call("POST", "/deposits", { requestId, player, amount: 30000, depositorName: "LEE" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ requestId, status: "pending", amount: "30000" });
    const queue = await (await call("GET", "/deposits?limit=200")).json();
    expect(queue.items.some((i: { requestId: string }) => i.requestId === requestId)).toBe(true);
    const approved = await call("POST", `/deposits/${requestId}/approve`, { staffId: "staff-1" });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: "approved", balance: { cash: "30000" } });
    expect(await (await call("GET", `/players/${player}/balance`)).json()).toEqual({ cash: "30000", bonus: "0", locked: "0", currency: "KRW" });
    const statement = await (await call("GET", `/players/${player}/transactions?limit=5`)).json();
    expect(statement.items).toMatchObject([{ kind: "deposit_approval", amount: "30000", balanceAfter: "30000" }]);
  });

  test("a withdrawal holds at once and a rejection returns the hold", async () => {
    const player = id("p");
    await fund(h, player, 1000);
    const requestId = id("w");
    expect((await call("POST", "/withdrawals", { requestId, player, amount: "600" })).status).toBe(201);
    expect(await (await call("GET", `/players/${player}/balance`)).json()).toMatchObject({ cash: "400", locked: "600" });
    const rejected = await call("POST", `/withdrawals/${requestId}/reject`, { staffId: "s", reason: "name mismatch" });
    expect(await rejected.json()).toMatchObject({ status: "rejected", balance: { cash: "1000", locked: "0" } });
  });
});

describe("errors", () => {
  test("bad input is 400 with the error envelope", async () => {
    const bad = await call("POST", "/deposits", { requestId: id("d"), player: "p1", amount: -5 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "validation_failed" } });
    const notJson = await app.request("/deposits", { method: "POST", headers: { "x-brand-id": h.brand, "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: { code: "bad_request", message: "the request body is not valid JSON" } });
    expect((await call("GET", "/players/p1/transactions?limit=0")).status).toBe(400);
  });

  test("a missing or malformed brand is 400", async () => {
    const missing = await call("GET", "/players/p1/balance", undefined, null);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: "validation_failed", message: "X-Brand-Id: a brand id is required" } });
    expect((await call("GET", "/players/p1/balance", undefined, "../etc")).status).toBe(400);
  });

  test("the wallet's refusals keep their codes: not found 404, not enough money and wrong state 409", async () => {
    const player = id("p");
    const unknown = await call("POST", `/deposits/${id("nope")}/approve`, {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const poor = await call("POST", "/withdrawals", { requestId: id("w"), player, amount: 1 });
    expect(poor.status).toBe(409);
    expect(await poor.json()).toMatchObject({ error: { code: "insufficient_funds" } });
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player, amount: 5 });
    await call("POST", `/deposits/${requestId}/reject`, { reason: "no money arrived" });
    const late = await call("POST", `/deposits/${requestId}/approve`, {});
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: "invalid_state" } });
  });
});
