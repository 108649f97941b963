import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type WalletNode, walletNode } from "./wallet-node.ts";

/** `/internal/wallet/*` on the internal edge: the service token, the brand by X-Brand-Id, every call through `wallet@brand`. */

let w: WalletNode;
let brand: string;
beforeAll(async () => {
  w = await walletNode({ label: "iwal" });
  brand = await w.addBrand();
}, 60_000);
afterAll(() => w.close());

const id = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const call = (method: string, path: string, json?: unknown, headers?: Record<string, string>) => w.internal(brand, method, path, { json, headers });

async function funded(amount: number) {
  const player = id("p");
  const requestId = id("d");
  expect((await call("POST", "/deposits", { requestId, player, amount })).status).toBe(201);
  expect((await call("POST", `/deposits/${requestId}/approve`, {})).status).toBe(200);
  return player;
}

describe("happy paths", () => {
  test("a deposit is requested, queued, approved, and shows in the balance and the statement", async () => {
    const player = id("p");
    const requestId = id("d");
    const created = await call("POST", "/deposits", { requestId, player, amount: 30000, depositorName: "LEE" });
    expect(created).toMatchObject({ status: 201, body: { requestId, status: "pending", amount: "30000" } });
    const queue = await call("GET", "/deposits?limit=200");
    expect(queue.body.items.find((i: { requestId: string }) => i.requestId === requestId)).toMatchObject({ details: { depositorName: "LEE" } });
    const approved = await call("POST", `/deposits/${requestId}/approve`, { staffId: "batch-1" });
    expect(approved).toMatchObject({ status: 200, body: { status: "approved", balance: { cash: "30000" } } });
    expect((await call("GET", `/players/${player}/balance`)).body).toEqual({ cash: "30000", bonus: "0", locked: "0", currency: "KRW" });
    const statement = await call("GET", `/players/${player}/transactions?limit=5`);
    expect(statement.body).toMatchObject({ items: [{ kind: "deposit_approval", amount: "30000", balanceAfter: "30000" }], nextCursor: null });
    // the caller named its job, not a staff member: the wallet audits the decision as the service's
    const rows = await w.audited(brand, "deposit.approve", `deposit:${requestId}`);
    expect(rows.find((r) => r.target === `deposit:${requestId}`)).toMatchObject({ staff_id: null, username: "service:batch-1" });
  });

  test("a withdrawal holds at once and goes to the payout account on file; a rejection returns the hold", async () => {
    const player = await funded(1000);
    await w.bankAccountChanged(brand, player);
    const requestId = id("w");
    expect(await call("POST", "/withdrawals", { requestId, player, amount: "600" })).toMatchObject({ status: 201, body: { balance: { cash: "400", locked: "600" } } });
    const queue = await call("GET", "/withdrawals?limit=200");
    expect(queue.body.items.find((i: { requestId: string }) => i.requestId === requestId)).toMatchObject({
      details: { bankAccount: { name: "Shinhan", account: "110-222-333444", holder: "Kim Minsu" } },
    });
    const rejected = await call("POST", `/withdrawals/${requestId}/reject`, { reason: "name mismatch" });
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected", balance: { cash: "1000", locked: "0" } } });
  });

  test("a staff token forwarded by the caller decides as that staff member", async () => {
    const finance = await w.staff("finance", [brand]);
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player: id("p"), amount: 5 });
    const approved = await call("POST", `/deposits/${requestId}/approve`, {}, { "x-access-token": finance.token });
    expect(approved.status).toBe(200);
    const rows = await w.audited(brand, "deposit.approve", `deposit:${requestId}`);
    expect(rows.find((r) => r.target === `deposit:${requestId}`)).toMatchObject({ staff_id: finance.staffId, username: finance.username });
  });

  test("a forwarded token is held to the admin edge's rules: a role without finance.write or a brand outside the scope decides nothing", async () => {
    const support = await w.staff("support", [brand]);
    const elsewhere = await w.staff("finance", ["other-a", "other-b"]); // two brands: the token names none, the scope decides
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player: id("p"), amount: 5 });
    for (const token of [support.token, elsewhere.token]) {
      expect(await call("POST", `/deposits/${requestId}/approve`, {}, { "x-access-token": token })).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    }
    const queue = await call("GET", "/deposits?limit=200"); // still in the pending queue
    expect(queue.body.items.find((i: { requestId: string }) => i.requestId === requestId)).toMatchObject({ requestId, amount: "5" });
  });
});

describe("errors", () => {
  test("bad input is 400 with the error envelope, nothing reaches the wallet", async () => {
    const player = await funded(100);
    const past = "9223372036854775808";
    for (const path of [
      `/players/${player}/transactions?cursor=${past}`,
      `/agents/a1/transactions?cursor=${past}`,
      `/deposits?cursor=${past}`,
      `/withdrawals?cursor=abc`,
      "/deposits?limit=0",
    ]) {
      expect(await call("GET", path)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    const bodies = [
      { requestId: id("d"), player, amount: -5 },
      { requestId: id("d"), player, amount: "1000000000000000" },
      { requestId: id("d"), player, amount: 10, depositorName: "Kim\u0000" },
      { requestId: "has space", player, amount: 10 },
      { requestId: id("d"), player: "p\u0000", amount: 10 },
    ];
    for (const body of bodies) expect(await call("POST", "/deposits", body)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player, amount: 5 });
    expect(await call("POST", `/deposits/${requestId}/reject`, { reason: "nul\u0000" })).toMatchObject({ status: 400 });
    expect(await call("POST", `/deposits/${requestId}/approve`, { staffId: "bad id" })).toMatchObject({ status: 400 });
    const notJson = await w.internal(brand, "POST", "/deposits", { json: "{" });
    expect(notJson).toEqual({ status: 400, body: { error: { code: "bad_request", message: "the request body is not valid JSON" } } });
    expect((await call("GET", `/players/${player}/balance`)).body).toMatchObject({ cash: "100", locked: "0" });
  });

  test("the brand must be named and known", async () => {
    expect(await w.internal(null, "GET", "/players/p1/balance")).toMatchObject({ status: 404, body: { error: { code: "brand_not_found" } } });
    expect(await w.internal("../etc", "GET", "/players/p1/balance")).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    expect(await w.internal("no-such-brand", "GET", "/players/p1/balance")).toMatchObject({ status: 404, body: { error: { code: "brand_not_found" } } });
  });

  test("the wallet's refusals keep their codes: not found 404, not enough money and wrong state 409", async () => {
    const player = id("p");
    expect(await call("POST", `/deposits/${id("nope")}/approve`, {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await call("POST", "/withdrawals", { requestId: id("w"), player, amount: 1 })).toMatchObject({ status: 409, body: { error: { code: "insufficient_funds" } } });
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player, amount: 5 });
    await call("POST", `/deposits/${requestId}/reject`, { reason: "no money arrived" });
    expect(await call("POST", `/deposits/${requestId}/approve`, {})).toMatchObject({ status: 409, body: { error: { code: "invalid_state" } } });
  });
});

describe("security", () => {
  test("no service token, a wrong one, or a forwarded token of another brand is refused", async () => {
    expect(await w.internal(brand, "GET", "/players/p1/balance", { token: "not-the-token" })).toMatchObject({ status: 401 });
    const other = await w.addBrand();
    const elsewhere = await w.staff("finance", [other]);
    const requestId = id("d");
    await call("POST", "/deposits", { requestId, player: id("p"), amount: 5 });
    expect(await call("POST", `/deposits/${requestId}/approve`, {}, { "x-access-token": elsewhere.token })).toMatchObject({
      status: 403,
      body: { error: { code: "brand_mismatch" } },
    });
    const forged = await w.forgedToken({ sub: "s-1", brand, kind: "staff", role: "finance" }, { secret: "another-secret-another-secret-another" });
    expect(await call("POST", `/deposits/${requestId}/approve`, {}, { "x-access-token": forged })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    expect((await call("GET", "/deposits?limit=200")).body.items.some((i: { requestId: string }) => i.requestId === requestId)).toBe(true);
  });
});
