import { expect, test } from "bun:test";
import { reconcile } from "../../actors/wallet/index.ts";
import { waitFor } from "../support/services.ts";
import { cashOf, fund, outboxOf, walletHarness } from "./harness.ts";

/** Reconciliation finds what does not add up, reports it, and never corrects it silently. */

async function cashAccount(h: Awaited<ReturnType<typeof walletHarness>>, player: string) {
  const [row] = await h.store.query<{ id: string }>("SELECT id FROM wallet_accounts WHERE brand_id = $1 AND owner_kind = 'player' AND owner_id = $2 AND type = 'cash'", [
    h.brand,
    player,
  ]);
  return row!.id;
}

test("a clean ledger reconciles, per brand and across brands", async () => {
  const h = await walletHarness();
  await fund(h, "p1", 500);
  await h.wallet.bet({ provider: "evo", player: "p1", round: "r", transactionUuid: "b1", amount: 200 });
  const outcome = await h.wallet.reconcile({});
  expect(outcome).toMatchObject({ ok: true, value: { brands: [h.brand], accountsChecked: 3, transactionsChecked: 2, ok: true } });
  const everything = await reconcile(h.store);
  expect(everything.brands).toContain(h.brand);
  expect(everything.accountMismatches.filter((m) => m.brand === h.brand)).toEqual([]);
  await h.close();
});

test("a balance that differs from its postings and a transaction that does not sum to zero are reported", async () => {
  const h = await walletHarness();
  await fund(h, "p1", 500);
  const account = await cashAccount(h, "p1");
  await h.store.query("UPDATE wallet_accounts SET balance = balance + 7 WHERE id = $1", [account]);
  const stray = crypto.randomUUID();
  // written around the writer: a number below any it gives
  await h.store.query("INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after, number) VALUES ($1, $2, $3, 3, 0, -1)", [stray, account, h.brand]);

  const outcome = await h.wallet.reconcile({});
  expect(outcome).toMatchObject({
    ok: true,
    value: {
      ok: false,
      accountMismatches: [{ brand: h.brand, accountId: account, balance: "507", postings: "503" }],
      unbalancedTransactions: [{ brand: h.brand, transactionId: stray, sum: "3" }],
    },
  });
  const [event] = await outboxOf(h.store, h.brand, "wallet.reconciliation_mismatch");
  expect(event!.payload).toMatchObject({ brand: h.brand, accountMismatchCount: 1, unbalancedTransactionCount: 1 });
  expect(await h.metrics.registry.getSingleMetricAsString("wallet_reconciliation_mismatches")).toContain(`wallet_reconciliation_mismatches{brand="${h.brand}"} 2`);
  await h.close();
});

test("the hourly timer runs reconciliation inside the actor's mailbox", async () => {
  const h = await walletHarness();
  await fund(h, "p1", 1);
  await h.system.fireTimer("wallet", "reconcile");
  const runs = () => h.metrics.registry.getSingleMetricAsString("wallet_reconciliations_total");
  await waitFor(async () => (await runs()).includes(`wallet_reconciliations_total{brand="${h.brand}",result="ok"} 1`), { what: "a reconciliation run" });
  await h.close();
});

test("a balance changed behind the writer's back stops its commit; the restarted writer works from the store", async () => {
  const h = await walletHarness();
  await fund(h, "p1", 500);
  await h.store.query("UPDATE wallet_accounts SET balance = 450 WHERE id = $1", [await cashAccount(h, "p1")]);
  const outcome = await h.wallet.bet({ provider: "evo", player: "p1", round: "r", transactionUuid: "b1", amount: 100 });
  expect(outcome).toMatchObject({ ok: true, value: { balance: "350" } });
  expect(h.system.status()[0]!.lastError).toContain("holds 350 in the store, 400 in memory");
  expect(await cashOf(h, "p1")).toBe(350n);
  const report = await reconcile(h.store, h.brand);
  expect(report.accountMismatches).toHaveLength(1);
  await h.close();
});
