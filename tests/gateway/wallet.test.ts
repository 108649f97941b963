import { expectOk } from "../../actors/runtime/client.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { walletClient, walletProtocol } from "../../actors/wallet/index.ts";
import { gatewayNode, loggedIn, type GatewayNode } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  [acme, beta] = gw.brands as [string, string];
});
afterAll(() => gw.close());

async function fundedPlayer(amount: number) {
  const p = await loggedIn(gw, acme);
  const deposit = await gw.call(acme, "POST", "/api/v1/wallet/deposits", { token: p.token, json: { amount, depositorName: "Kim Minsu" } });
  expect(deposit).toMatchObject({ status: 201, body: { status: "pending", amount: String(amount) } });
  expectOk(await walletClient(gw.node.system, acme).depositApprove({ requestId: deposit.body.requestId, staffId: "staff-1" }));
  return p;
}

describe("/api/v1/wallet happy", () => {
  test("a deposit request, approved by staff, shows in balance and statement", async () => {
    const p = await fundedPlayer(50_000);
    expect(await gw.call(acme, "GET", "/api/v1/wallet/balance", { token: p.token })).toMatchObject({ status: 200, body: { cash: "50000", currency: "KRW" } });
    const statement = await gw.call(acme, "GET", "/api/v1/wallet/transactions?limit=5", { token: p.token });
    expect(statement.status).toBe(200);
    expect(statement.body.items.map((i: { amount: string }) => i.amount)).toEqual(["50000"]);
  });

  test("a withdrawal holds the amount at once; the bank account on file goes with it", async () => {
    const p = await fundedPlayer(30_000);
    const withdrawal = await gw.call(acme, "POST", "/api/v1/wallet/withdrawals", { token: p.token, json: { amount: "10000" } });
    expect(withdrawal).toMatchObject({ status: 201, body: { kind: "withdrawal", status: "pending", balance: { cash: "20000", locked: "10000" } } });
  });

  test("the same Idempotency-Key is the same deposit request", async () => {
    const p = await loggedIn(gw, acme);
    const headers = { "idempotency-key": "dep-0001-abcd" };
    const first = await gw.call(acme, "POST", "/api/v1/wallet/deposits", { token: p.token, headers, json: { amount: 1000, depositorName: "Kim" } });
    const again = await gw.call(acme, "POST", "/api/v1/wallet/deposits", { token: p.token, headers, json: { amount: 1000, depositorName: "Kim" } });
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.body.replayed).toBe(true);
  });

  test.skipIf(!("playerRequests" in walletProtocol))("the player's own deposit and withdrawal requests are listed", async () => {
    const p = await fundedPlayer(10_000);
    const list = await gw.call(acme, "GET", "/api/v1/wallet/deposits", { token: p.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
  });
});

describe("/api/v1/wallet bad input", () => {
  test("amounts must be positive whole numbers; nothing is requested otherwise", async () => {
    const p = await loggedIn(gw, acme);
    for (const amount of [-1, 0, 1.5, "1e6", "abc", "10000; DROP TABLE wallet_requests", "9".repeat(40), null]) {
      const res = await gw.call(acme, "POST", "/api/v1/wallet/deposits", { token: p.token, json: { amount, depositorName: "Kim" } });
      expect([res.status, res.body.error.code]).toEqual([400, "validation_failed"]);
    }
    const named = await gw.call(acme, "POST", "/api/v1/wallet/deposits", { token: p.token, json: { amount: 1000, depositorName: "x'); --" } });
    expect(named.status).toBe(400);
    const rows = await gw.node.store.query<{ n: bigint }>("select count(*) as n from wallet_requests where brand_id = $1 and player_id = $2", [acme, p.playerId]);
    expect(rows[0]!.n).toBe(0n);
  });

  test("a withdrawal over the balance is refused and moves nothing", async () => {
    const p = await fundedPlayer(5_000);
    const res = await gw.call(acme, "POST", "/api/v1/wallet/withdrawals", { token: p.token, json: { amount: 5_001 } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: "insufficient_funds" } } });
    expect((await gw.call(acme, "GET", "/api/v1/wallet/balance", { token: p.token })).body).toMatchObject({ cash: "5000", locked: "0" });
  });

});

describe("/api/v1/wallet security", () => {
  test("no token, or a token of another brand, sees no money", async () => {
    const p = await fundedPlayer(1_000);
    expect((await gw.call(acme, "GET", "/api/v1/wallet/balance")).status).toBe(401);
    expect(await gw.call(beta, "GET", "/api/v1/wallet/balance", { token: p.token })).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    expect((await gw.call(beta, "POST", "/api/v1/wallet/withdrawals", { token: p.token, json: { amount: 100 } })).status).toBe(403);
  });
});
