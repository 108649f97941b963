import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_AMOUNT } from "../../actors/runtime/fields.ts";
import { PAYOUT, type WalletNode, walletNode } from "../wallet/wallet-node.ts";

/** `/api/v1/wallet/*` on the gateway: a player's own money, every call through `wallet@brand`. */

let w: WalletNode;
let acme: string;
let beta: string;
let finance: { token: string };
beforeAll(async () => {
  w = await walletNode({ label: "gwal" });
  [acme, beta] = [await w.addBrand(), await w.addBrand()];
  finance = await w.staff("finance", [acme]);
}, 60_000);
afterAll(() => w.close());

async function fundedPlayer(amount: number) {
  const p = await w.player(acme);
  const deposit = await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, json: { amount, depositorName: "Kim Minsu" } });
  expect(deposit).toMatchObject({ status: 201, body: { status: "pending", amount: String(amount) } });
  expect((await w.admin("POST", `/brands/${acme}/deposits/${deposit.body.requestId}/approve`, { token: finance.token })).status).toBe(200);
  return p;
}

describe("/api/v1/wallet happy", () => {
  test("a deposit request, approved by staff, shows in balance and statement", async () => {
    const p = await fundedPlayer(50_000);
    expect(await w.gateway(acme, "GET", "/wallet/balance", { token: p.token })).toMatchObject({ status: 200, body: { cash: "50000", currency: "KRW" } });
    const statement = await w.gateway(acme, "GET", "/wallet/transactions?limit=5", { token: p.token });
    expect(statement).toMatchObject({ status: 200, body: { items: [{ amount: "50000", kind: "deposit_approval" }], nextCursor: null } });
  });

  test("a withdrawal is one ask: the wallet holds the amount and names the payout account it keeps for the player", async () => {
    const p = await fundedPlayer(30_000);
    await w.bankAccountChanged(acme, p.id, { ...PAYOUT, account: "333-444-555666" });
    const withdrawal = await w.gateway(acme, "POST", "/wallet/withdrawals", { token: p.token, json: { amount: "10000" } });
    expect(withdrawal).toMatchObject({ status: 201, body: { kind: "withdrawal", status: "pending", balance: { cash: "20000", locked: "10000" } } });
    const queue = await w.admin("GET", `/brands/${acme}/withdrawals?limit=200`, { token: finance.token });
    const queued = queue.body.items.find((i: { requestId: string }) => i.requestId === withdrawal.body.requestId);
    expect(queued.details).toEqual({ bankAccount: { ...PAYOUT, account: "333-444-555666" } });
    const mine = await w.gateway(acme, "GET", "/wallet/withdrawals", { token: p.token });
    expect(mine).toMatchObject({ status: 200, body: { items: [{ requestId: withdrawal.body.requestId, status: "pending" }], nextCursor: null } });
  });

  test("the same Idempotency-Key is the same deposit request", async () => {
    const p = await w.player(acme);
    const headers = { "idempotency-key": "dep-0001-abcd" };
    const first = await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, headers, json: { amount: 1000, depositorName: "Kim" } });
    const again = await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, headers, json: { amount: 1000, depositorName: "Kim" } });
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.body.replayed).toBe(true);
  });

  test("the player's own requests page by cursor, newest first", async () => {
    const p = await w.player(acme);
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push((await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, json: { amount: i, depositorName: "Kim" } })).body.requestId);
    const all = await w.gateway(acme, "GET", "/wallet/deposits", { token: p.token });
    expect(all.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(ids.toReversed());
    const first = await w.gateway(acme, "GET", "/wallet/deposits?limit=2", { token: p.token });
    const cursor = first.body.nextCursor;
    expect(cursor).toMatch(/^\d+$/);
    const rest = await w.gateway(acme, "GET", `/wallet/deposits?limit=2&cursor=${cursor}`, { token: p.token });
    expect(rest.body).toMatchObject({ items: [{ requestId: ids[0] }], nextCursor: null });
  });
});

describe("/api/v1/wallet bad input", () => {
  test("amounts must be positive whole numbers within MAX_AMOUNT; nothing is requested otherwise", async () => {
    const p = await w.player(acme);
    const outOfRange = [(MAX_AMOUNT + 1n).toString(), Number(MAX_AMOUNT) + 1, "9999999999999999", 2 ** 53 + 2];
    for (const amount of [-1, 0, 1.5, "1e6", "abc", "10000; DROP TABLE wallet_requests", "9".repeat(40), null, ...outOfRange]) {
      const res = await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, json: { amount, depositorName: "Kim" } });
      expect([amount, res.status, res.body.error.code]).toEqual([amount, 400, "validation_failed"]);
      const out = await w.gateway(acme, "POST", "/wallet/withdrawals", { token: p.token, json: { amount } });
      expect([amount, out.status, out.body.error.code]).toEqual([amount, 400, "validation_failed"]);
    }
    for (const depositorName of ["x'); --", "Kim\u0000", "\u202eKim", ""]) {
      expect((await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, json: { amount: 1000, depositorName } })).status).toBe(400);
    }
    expect(
      (await w.gateway(acme, "POST", "/wallet/deposits", { token: p.token, headers: { "idempotency-key": "bad key!" }, json: { amount: 1, depositorName: "Kim" } })).status,
    ).toBe(400);
    const rows = await w.node.parts.store.query<{ n: bigint }>("select count(*) as n from wallet_requests where brand_id = $1 and player_id = $2", [acme, p.id]);
    expect(rows[0]!.n).toBe(0n);
  });

  test("cursors past int64 and pages past the maximum are refused; the wallet keeps serving", async () => {
    const p = await fundedPlayer(1_000);
    for (const path of ["/wallet/transactions", "/wallet/deposits", "/wallet/withdrawals"]) {
      for (const query of ["cursor=9999999999999999999", "cursor=9223372036854775808", "cursor=x", "limit=201", "limit=0"]) {
        expect(await w.gateway(acme, "GET", `${path}?${query}`, { token: p.token })).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
      }
    }
    expect(await w.gateway(acme, "GET", "/wallet/transactions?cursor=9223372036854775807", { token: p.token })).toMatchObject({
      status: 200,
      body: { items: [{ amount: "1000" }] },
    });
    expect(w.node.parts.system.degradation("wallet", acme)).toBeNull();
  });

  test("a withdrawal over the balance is refused and moves nothing", async () => {
    const p = await fundedPlayer(5_000);
    const res = await w.gateway(acme, "POST", "/wallet/withdrawals", { token: p.token, json: { amount: 5_001 } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: "insufficient_funds" } } });
    expect((await w.gateway(acme, "GET", "/wallet/balance", { token: p.token })).body).toMatchObject({ cash: "5000", locked: "0" });
  });
});

describe("/api/v1/wallet security", () => {
  test("no token, a token of another brand, a forged or an expired one sees no money", async () => {
    const p = await fundedPlayer(1_000);
    expect((await w.gateway(acme, "GET", "/wallet/balance")).status).toBe(401);
    expect(await w.gateway(beta, "GET", "/wallet/balance", { token: p.token })).toMatchObject({ status: 403, body: { error: { code: "brand_mismatch" } } });
    expect((await w.gateway(beta, "POST", "/wallet/withdrawals", { token: p.token, json: { amount: 100 } })).status).toBe(403);
    const claims = { sub: p.id, brand: acme, kind: "player" as const, role: "player" };
    const forged = await w.forgedToken(claims, { secret: "not-the-node-secret-not-the-node-secret" });
    expect(await w.gateway(acme, "POST", "/wallet/withdrawals", { token: forged, json: { amount: 100 } })).toMatchObject({
      status: 401,
      body: { error: { code: "invalid_token" } },
    });
    const expired = await w.forgedToken(claims, { expiredSecondsAgo: 30 });
    expect(await w.gateway(acme, "GET", "/wallet/balance", { token: expired })).toMatchObject({ status: 401, body: { error: { code: "token_expired" } } });
    expect((await w.gateway(acme, "GET", "/wallet/balance", { token: p.token })).body).toMatchObject({ cash: "1000", locked: "0" });
  });
});
