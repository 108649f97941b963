import { describe, expect, test } from "bun:test";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { DriftError, OrderError } from "../../actors/wallet/commit.ts";
import { FencedError, reconcile } from "../../actors/wallet/index.ts";
import { testStore } from "../support/services.ts";
import { cashOf, createBrand, directWriter, fund, incoming, walletHarness } from "./harness.ts";

/** Two writers for one brand: only the one holding the newest epoch can commit. */

const funding = (player: string, amount: number) =>
  incoming("adjust", { adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: player }, amount, reason: "funding", by: { staffId: "s", username: "s" } });
const bet = (player: string, uuid: string, amount: number) => incoming("bet", { provider: "evo", player, round: "r", transactionUuid: uuid, amount });

describe("fencing", () => {
  test("a writer whose epoch was taken commits nothing, stays stopped, and the new writer sees the old one's commits", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    const first = await directWriter(store, brand, "node-a");
    expect((await first.receive([funding("p1", 1000)]))[0]!.ok).toBe(true);

    const second = await directWriter(store, brand, "node-b");
    expect(second.epoch).toBe(first.epoch + 1n);
    await expect(first.receive([bet("p1", "b1", 100)])).rejects.toBeInstanceOf(FencedError);
    await expect(first.receive([bet("p1", "b2", 100)])).rejects.toBeInstanceOf(FencedError);
    const kept = await store.query("SELECT 1 FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key IN ('p:evo:b1', 'p:evo:b2')", [brand]);
    expect(kept).toHaveLength(0);

    const [placed] = await second.receive([bet("p1", "b1", 100)]);
    expect(placed).toMatchObject({ ok: true, value: { balance: "900", replayed: false } });
    const [holder] = await store.query<{ holder: string; epoch: bigint }>("SELECT holder, epoch FROM wallet_epochs WHERE brand_id = $1", [brand]);
    expect(holder).toEqual({ holder: "node-b", epoch: second.epoch });
    expect((await reconcile(store, brand)).ok).toBe(true);
  });

  test("a takeover racing a commit: either the commit lands before the new epoch and is seen, or it is refused", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    let writer = await directWriter(store, brand, "node-0");
    await writer.receive([funding("p1", 100_000)]);
    let expected = 100_000n;
    for (let i = 1; i <= 15; i++) {
      const committing = writer.receive([bet("p1", `b${i}`, 10)]).then(
        () => true,
        (error) => (error instanceof FencedError ? false : Promise.reject(error)),
      );
      const next = await directWriter(store, brand, `node-${i}`);
      if (await committing) expected -= 10n;
      const [probe] = await next.receive([incoming("balance", { owner: { kind: "player", id: "p1" } })]);
      expect(probe).toMatchObject({ ok: true, value: { cash: String(expected) } });
      writer = next;
    }
    expect((await reconcile(store, brand)).ok).toBe(true);
  });

  test("in a runtime, the fenced actor crashes, restarts with a new epoch and answers", async () => {
    const h = await walletHarness();
    await fund(h, "p1", 1000);
    const usurper = await directWriter(h.store, h.brand, "elsewhere");
    await usurper.receive([bet("p1", "from-elsewhere", 300)]);
    const outcome = await h.wallet.bet({ provider: "evo", player: "p1", round: "r", transactionUuid: "here", amount: 100 });
    expect(outcome).toMatchObject({ ok: true, value: { balance: "600" } });
    expect(await cashOf(h, "p1")).toBe(600n);
    const fenced = await h.metrics.registry.getSingleMetricAsString("wallet_fenced_total");
    expect(fenced).toContain(`wallet_fenced_total{brand="${h.brand}"} 1`);
    expect(h.system.status()[0]!.restarts).toBe(1);
    await h.close();
  });
});

/** Another session locks the wallet's inserts out (reads go on) until the returned release. */
async function holdInserts(store: CentralStore): Promise<() => Promise<void>> {
  if (store.kind !== "postgres") return async () => {};
  const locked = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const held = store.transaction(async (tx) => {
    await tx.query("LOCK TABLE wallet_transactions, wallet_accounts IN EXCLUSIVE MODE");
    locked.resolve();
    await release.promise;
  });
  await locked.promise;
  return async () => {
    release.resolve();
    await held;
  };
}

describe("commits decided ahead", () => {
  test("batches decided before the one ahead commits write the balances of their own decision", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    const writer = await directWriter(store, brand);
    // on PostgreSQL another session holds the inserts back, so all three are decided before
    // the first one writes anything (PGlite has one session: there they may interleave)
    const release = await holdInserts(store);
    // the first batch creates the player's and the house's accounts; the next two change them again
    const decided = [];
    decided.push(await writer.decide([funding("p1", 1000)]));
    decided.push(await writer.decide([bet("p1", "b1", 100), funding("p2", 10)]));
    decided.push(await writer.decide([bet("p1", "b2", 50)]));
    await release();
    const outcomes = await Promise.all(decided.map((d) => d.committed));
    expect(outcomes.flat().every((o) => o.ok)).toBe(true);
    expect(outcomes[2]![0]).toMatchObject({ value: { balance: "850" } });
    const [cash] = await store.query<{ balance: bigint }>("SELECT balance FROM wallet_accounts WHERE brand_id = $1 AND owner_id = 'p1' AND type = 'cash'", [brand]);
    expect(BigInt(cash!.balance)).toBe(850n);
    expect((await reconcile(store, brand)).ok).toBe(true);
  });

  test("a batch decided while the one before it commits writes nothing when that commit fails", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    const writer = await directWriter(store, brand);
    await writer.receive([funding("p1", 1000)]);
    // the store drifts from the writer's memory under p1: the next commit touching p1 aborts
    await store.query("UPDATE wallet_accounts SET balance = balance + 1 WHERE brand_id = $1 AND owner_id = 'p1' AND type = 'cash'", [brand]);
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => "committed",
        (error: unknown) => error,
      );
    const failing = settle((await writer.decide([bet("p1", "b1", 100)])).committed);
    // decided before the first commit is known to fail; on its own it would commit (no balance moves)
    const behind = settle((await writer.decide([incoming("setPlayerStatus", { player: "p2", suspended: true })])).committed);
    expect(await failing).toBeInstanceOf(DriftError);
    // it queued behind the failed batch on the epoch row and found that batch's number missing
    expect(await behind).toBeInstanceOf(OrderError);
    expect(await store.query("SELECT 1 FROM wallet_suspended_players WHERE brand_id = $1", [brand])).toHaveLength(0);
    expect(await store.query("SELECT 1 FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key = 'p:evo:b1'", [brand])).toHaveLength(0);
    // the writer stays broken until it is replaced
    await expect(writer.decide([bet("p1", "b2", 1)])).rejects.toThrow(/nothing was committed|committed nothing/);
  });
});
