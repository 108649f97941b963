import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_AMOUNT } from "../../actors/runtime/fields.ts";
import { type WalletNode, walletNode } from "../wallet/wallet-node.ts";

/**
 * The cashier on the admin edge (`/api/v1/brands/:brand/{deposits,withdrawals,players/:id/...}`):
 * each change is audited by `wallet@brand` in the commit that makes it, with the request and
 * balances as the wallet decided them; a replay or a refusal leaves no audit row.
 */

let w: WalletNode;
let brand: string;
let other: string;
let finance: { token: string; staffId: string; username: string };
let player: { token: string; id: string };

beforeAll(async () => {
  w = await walletNode({ label: "cash" });
  brand = await w.addBrand();
  other = await w.addBrand();
  finance = await w.staff("finance", [brand]);
  player = await w.player(brand);
}, 60_000);
afterAll(() => w.close());

const b = (path: string) => `/brands/${brand}${path}`;
const asFinance = (json?: unknown, headers?: Record<string, string>) => ({ token: finance.token, json, headers });

async function depositRequest(amount: number) {
  const opened = await w.gateway(brand, "POST", "/wallet/deposits", { token: player.token, json: { amount, depositorName: "Kim Minsu" } });
  expect(opened.status).toBe(201);
  return opened.body.requestId as string;
}

async function withdrawalRequest(amount: number) {
  const opened = await w.gateway(brand, "POST", "/wallet/withdrawals", { token: player.token, json: { amount } });
  expect(opened.status).toBe(201);
  return opened.body.requestId as string;
}

/** Prove that nothing since `mark` audited `target`: a good change after it is audited, and events of a brand arrive in order. */
async function noAuditOf(targets: string[]) {
  const requestId = await depositRequest(1);
  expect((await w.admin("POST", b(`/deposits/${requestId}/reject`), asFinance({ reason: "marker" }))).status).toBe(200);
  const rows = await w.audited(brand, "deposit.reject", `deposit:${requestId}`);
  for (const target of targets) expect(rows.filter((r) => r.target === target)).toEqual([]);
}

describe("cashier happy", () => {
  test("deposits approved and rejected: each decision audited once, with who decided and the request and balances before and after", async () => {
    const [approve, reject] = [await depositRequest(30_000), await depositRequest(5_000)];
    const approved = await w.admin("POST", b(`/deposits/${approve}/approve`), asFinance());
    expect(approved).toMatchObject({ status: 200, body: { requestId: approve, status: "approved", balance: { cash: "30000" }, replayed: false } });
    // approving again replays the decision: nothing moves, nothing more is audited
    expect(await w.admin("POST", b(`/deposits/${approve}/approve`), asFinance())).toMatchObject({ status: 200, body: { replayed: true } });
    const rejected = await w.admin("POST", b(`/deposits/${reject}/reject`), asFinance({ reason: "no transfer\narrived" }));
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected", balance: { cash: "30000" } } });

    const rows = await w.audited(brand, "deposit.reject", `deposit:${reject}`);
    const approvals = rows.filter((r) => r.target === `deposit:${approve}`);
    expect(approvals).toEqual([
      expect.objectContaining({
        action: "deposit.approve",
        username: finance.username,
        staff_id: finance.staffId,
        before: { status: "pending", amount: "30000", balance: { cash: "0", bonus: "0", locked: "0", currency: "KRW" } },
        after: expect.objectContaining({
          status: "approved",
          amount: "30000",
          source: "staff",
          balance: expect.objectContaining({ cash: "30000" }),
          transactionId: approved.body.transactionId,
        }),
      }),
    ]);
    expect(rows.find((r) => r.target === `deposit:${reject}`)).toMatchObject({ action: "deposit.reject", after: { status: "rejected", reason: "no transfer\narrived" } });
  });

  test("withdrawals approved and rejected are audited with the hold they moved", async () => {
    const [pay, refuse] = [await withdrawalRequest(10_000), await withdrawalRequest(2_000)];
    expect(await w.admin("POST", b(`/withdrawals/${pay}/approve`), asFinance())).toMatchObject({ status: 200, body: { status: "approved" } });
    expect(await w.admin("POST", b(`/withdrawals/${refuse}/reject`), asFinance({ reason: "name mismatch" }))).toMatchObject({
      status: 200,
      body: { status: "rejected", balance: { locked: "0" } },
    });
    const rows = await w.audited(brand, "withdrawal.reject", `withdrawal:${refuse}`);
    expect(rows.find((r) => r.target === `withdrawal:${pay}`)).toMatchObject({
      action: "withdrawal.approve",
      before: { status: "pending", balance: { locked: "12000" } },
      after: { status: "approved", balance: { locked: "2000" } },
    });
    expect(rows.find((r) => r.target === `withdrawal:${refuse}`)).toMatchObject({
      before: { balance: { locked: "2000" } },
      after: { reason: "name mismatch", balance: { locked: "0" } },
    });
  });

  test("an adjustment is audited with the balances before and after; its retry (same Idempotency-Key) moves and audits nothing more", async () => {
    const target = await w.player(brand);
    const headers = { "idempotency-key": `adj-${crypto.randomUUID()}` };
    const adjusted = await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount: 7_000, reason: "goodwill" }, headers));
    expect(adjusted).toMatchObject({ status: 201, body: { amount: "7000", balance: { cash: "7000" }, replayed: false } });
    expect(await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount: 7_000, reason: "goodwill" }, headers))).toMatchObject({
      status: 201,
      body: { transactionId: adjusted.body.transactionId, replayed: true },
    });
    const taken = await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount: "-2000", reason: "bonus abuse" }));
    expect(taken).toMatchObject({ status: 201, body: { balance: { cash: "5000" } } });
    await noAuditOf([]);
    const rows = (await w.auditRows(brand)).filter((r) => r.target === `player:${target.id}`);
    expect(rows).toEqual([
      expect.objectContaining({
        action: "wallet.adjust",
        before: expect.objectContaining({ cash: "0" }),
        after: expect.objectContaining({ cash: "7000", amount: "7000", reason: "goodwill" }),
      }),
      expect.objectContaining({
        action: "wallet.adjust",
        before: expect.objectContaining({ cash: "7000" }),
        after: expect.objectContaining({ cash: "5000", amount: "-2000", account: "cash" }),
      }),
    ]);
    const statement = await w.admin("GET", b(`/players/${target.id}/transactions?limit=1`), asFinance());
    const cursor = statement.body.nextCursor;
    expect(cursor).toMatch(/^\d+$/);
    expect(statement).toMatchObject({ status: 200, body: { items: [{ kind: "adjustment", amount: "-2000" }] } });
    const older = await w.admin("GET", b(`/players/${target.id}/transactions?limit=1&cursor=${cursor}`), asFinance());
    expect(older.body).toMatchObject({ items: [{ amount: "7000" }], nextCursor: null });
  });

  test("a reconciliation run by staff is audited with its result", async () => {
    const run = await w.admin("POST", b("/reconciliation/run"), asFinance());
    expect(run).toMatchObject({ status: 200, body: { ok: true, brands: [brand] } });
    const rows = await w.audited(brand, "wallet.reconcile", `brand:${brand}`);
    expect(rows.find((r) => r.action === "wallet.reconcile")).toMatchObject({ username: finance.username, after: { ok: true, accountMismatches: 0 } });
  });

  test("the pending queues page by cursor, oldest first", async () => {
    const first = await depositRequest(11);
    const second = await depositRequest(12);
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { status: number; body: any } = await w.admin("GET", b(`/deposits?limit=1${cursor ? `&cursor=${cursor}` : ""}`), asFinance());
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((i: { requestId: string }) => i.requestId));
      cursor = page.body.nextCursor;
    }
    expect(seen.indexOf(first)).toBeLessThan(seen.indexOf(second));
  });
});

describe("cashier errors", () => {
  test("refused changes answer their codes and leave no audit row", async () => {
    const unknown = `nope-${crypto.randomUUID()}`;
    expect(await w.admin("POST", b(`/deposits/${unknown}/approve`), asFinance())).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const rejected = await depositRequest(100);
    await w.admin("POST", b(`/deposits/${rejected}/reject`), asFinance({ reason: "late" }));
    expect(await w.admin("POST", b(`/deposits/${rejected}/approve`), asFinance())).toMatchObject({ status: 409, body: { error: { code: "invalid_state" } } });
    const poor = await w.player(brand);
    expect(await w.admin("POST", b(`/players/${poor.id}/adjustments`), asFinance({ amount: -1, reason: "too much" }))).toMatchObject({
      status: 409,
      body: { error: { code: "insufficient_funds" } },
    });
    await noAuditOf([`deposit:${unknown}`, `player:${poor.id}`]);
    expect((await w.auditRows(brand)).filter((r) => r.target === `deposit:${rejected}`).map((r) => r.action)).toEqual(["deposit.reject"]);
  });

  test("hostile input is a 400 before anything reaches the wallet", async () => {
    const target = await w.player(brand);
    const past = "9999999999999999999"; // 19 digits, past int64
    for (const path of [
      `/deposits?cursor=${past}`,
      `/withdrawals?cursor=${past}`,
      `/players/${target.id}/transactions?cursor=${past}`,
      "/deposits?limit=201",
      "/deposits?cursor=-1",
    ]) {
      expect(await w.admin("GET", b(path), asFinance())).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    const requestId = await depositRequest(100);
    for (const reason of ["bad\u0000reason", "\u0007", "   ", "x".repeat(501)]) {
      expect(await w.admin("POST", b(`/deposits/${requestId}/reject`), asFinance({ reason }))).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    for (const amount of [0, 1.5, "1e6", Number(MAX_AMOUNT) + 1, (MAX_AMOUNT + 1n).toString(), "-9999999999999999", null]) {
      const res = await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount, reason: "x" }));
      expect([amount, res.status, res.body.error.code]).toEqual([amount, 400, "validation_failed"]);
    }
    expect((await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount: 5, reason: "nul\u0000" }))).status).toBe(400);
    expect((await w.admin("POST", b(`/players/${target.id}/adjustments`), asFinance({ amount: 5, reason: "x" }, { "idempotency-key": "short" }))).status).toBe(400);
    expect((await w.admin("POST", b(`/players/bad%00id/adjustments`), asFinance({ amount: 5, reason: "x" }))).status).toBe(400);
    expect((await w.admin("GET", `/brands/NOT_A_BRAND/deposits`, asFinance())).status).toBe(400);
    expect(await w.admin("GET", b(`/players/${target.id}/balance`), asFinance())).toMatchObject({ status: 200, body: { cash: "0" } });
  });
});

describe("cashier security", () => {
  test("another brand, a role without finance.write, a player's token, a forged or an expired token are refused", async () => {
    const requestId = await depositRequest(100);
    expect(await w.admin("POST", `/brands/${other}/deposits/${requestId}/approve`, asFinance())).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    const support = await w.staff("support", [brand]);
    expect(await w.admin("POST", b(`/deposits/${requestId}/approve`), { token: support.token })).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect((await w.admin("GET", b("/deposits"), { token: support.token })).status).toBe(200);
    expect(await w.admin("POST", b(`/deposits/${requestId}/approve`), { token: player.token })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const claims = { sub: finance.staffId, brand, kind: "staff" as const, role: "finance" };
    const forged = await w.forgedToken(claims, { secret: "not-the-node-secret-not-the-node-secret" });
    expect(await w.admin("POST", b(`/deposits/${requestId}/approve`), { token: forged })).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    const expired = await w.forgedToken(claims, { expiredSecondsAgo: 60 });
    expect(await w.admin("POST", b(`/deposits/${requestId}/approve`), { token: expired })).toMatchObject({ status: 401, body: { error: { code: "token_expired" } } });
    expect(await w.admin("POST", b(`/deposits/${requestId}/approve`))).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    await noAuditOf([`deposit:${requestId}`]);
    expect(await w.gateway(brand, "GET", "/wallet/deposits", { token: player.token })).toMatchObject({ status: 200 });
  });
});
