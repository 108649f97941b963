import { describe, expect, test } from "bun:test";
import type { CentralStore, QueryOptions, SqlExecutor } from "../../actors/runtime/central-store.ts";
import { reconcile, type WalletWriter } from "../../actors/wallet/index.ts";
import { postgresTest, testStore } from "../support/services.ts";
import { createBrand, directWriter, incoming } from "./harness.ts";

/**
 * Statements list postings in commit order: the writer numbers each brand's postings as it
 * decides them, and batches commit in the order they were decided, whatever order their
 * rows reach the store in.
 */

const funding = (player: string, amount: number) =>
  incoming("adjust", { adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: player }, amount, reason: "funding", by: { staffId: "s", username: "s" } });
const bet = (player: string, uuid: string, amount: number) => incoming("bet", { provider: "evo", player, round: "r", transactionUuid: uuid, amount });
const rollback = (player: string, uuid: string, of: string) => incoming("rollback", { provider: "evo", player, round: "r", transactionUuid: uuid, referenceTransactionUuid: of });

type Line = { kind: string; amount: string; balanceAfter: string };

/** The player's whole cash statement, newest first, read page by page (`limit` lines a page). */
async function statement(writer: WalletWriter, player: string, limit: number): Promise<Line[]> {
  const lines: Line[] = [];
  let cursor: string | undefined;
  for (;;) {
    const [page] = await writer.receive([incoming("transactions", { owner: { kind: "player", id: player }, cursor, limit })]);
    if (!page?.ok) throw new Error(JSON.stringify(page));
    const value = page.value as { items: Line[]; nextCursor: string | null };
    lines.push(...value.items.map(({ kind, amount, balanceAfter }) => ({ kind, amount, balanceAfter })));
    if (value.nextCursor === null) return lines;
    cursor = value.nextCursor;
  }
}

/** Each line's balance is the one before it (older, next in the list) moved by its amount. */
function expectRunningBalances(lines: Line[]) {
  for (const [i, line] of lines.entries()) {
    const before = i + 1 < lines.length ? BigInt(lines[i + 1]!.balanceAfter) : 0n;
    expect(BigInt(line.balanceAfter)).toBe(before + BigInt(line.amount));
  }
}

/** The brand's stored posting numbers: 1..n, each once, when every writer continued from the stored maximum. */
async function expectNumbersContiguous(store: CentralStore, brand: string) {
  const rows = await store.query<{ number: bigint }>("SELECT number FROM wallet_postings WHERE brand_id = $1 ORDER BY number", [brand]);
  expect(rows.map((r) => BigInt(r.number))).toEqual(rows.map((_, i) => BigInt(i + 1)));
}

/**
 * The store seen through its transactions: `before(n)` runs ahead of the n-th transaction's
 * first statement (n from 1), `after(n)` once that statement is done.
 */
function steered(store: CentralStore, hooks: { before?: (n: number) => Promise<void> | void; after?: (n: number) => void }): CentralStore {
  let count = 0;
  return {
    kind: store.kind,
    get db() {
      return store.db;
    },
    query: (text, params, options) => store.query(text, params, options),
    migrate: () => store.migrate(),
    close: () => store.close(),
    transaction: (fn) => {
      const n = ++count;
      return store.transaction(async (tx) => {
        let first = true;
        const query: SqlExecutor["query"] = async <T>(text: string, params?: unknown[], options?: QueryOptions) => {
          if (!first) return tx.query<T>(text, params, options);
          first = false;
          await hooks.before?.(n);
          const rows = await tx.query<T>(text, params, options);
          hooks.after?.(n);
          return rows;
        };
        return fn({ query });
      });
    },
  } as CentralStore;
}

describe("statements in commit order", () => {
  postgresTest("a batch whose rows reach the store before the batch ahead of it is still listed after it, with the right running balances", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    // the first writing batch after funding (the bet) holds its rows back until the next one
    // (the bet's rollback) has inserted its own: the rollback's rows are stored first
    const inserted = Promise.withResolvers<void>();
    const writer = await directWriter(
      steered(store, {
        before: (n) => (n === 2 ? inserted.promise : undefined),
        after: (n) => (n === 3 ? inserted.resolve() : undefined),
      }),
      brand,
    );
    expect((await writer.receive([funding("p1", 1000)]))[0]!.ok).toBe(true);
    const placed = await writer.decide([bet("p1", "b1", 100)]);
    const undone = await writer.decide([rollback("p1", "rb1", "b1")]);
    const outcomes = await Promise.all([placed.committed, undone.committed]);
    expect(outcomes.flat().every((o) => o.ok)).toBe(true);

    // the store took the rollback's rows first: its transaction has the lower serial number
    const order = await store.query<{ kind: string }>("SELECT kind FROM wallet_transactions WHERE brand_id = $1 ORDER BY seq", [brand]);
    expect(order.map((r) => r.kind)).toEqual(["adjustment", "rollback", "bet"]);

    for (const limit of [1, 2, 10]) {
      const lines = await statement(writer, "p1", limit);
      expect(lines).toEqual([
        { kind: "rollback", amount: "100", balanceAfter: "1000" },
        { kind: "bet", amount: "-100", balanceAfter: "900" },
        { kind: "adjustment", amount: "1000", balanceAfter: "1000" },
      ]);
      expectRunningBalances(lines);
    }
    await expectNumbersContiguous(store, brand);
    expect((await reconcile(store, brand)).ok).toBe(true);
  });

  test("a failed batch's numbers are given again by the next writer, in the order it commits, never twice", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    // the bet's commit fails before it writes anything; the batch decided behind it commits nothing
    const failing = await directWriter(
      steered(store, {
        before: (n) => {
          if (n === 2) throw new Error("connection lost");
        },
      }),
      brand,
      "node-a",
    );
    expect((await failing.receive([funding("p1", 1000)]))[0]!.ok).toBe(true);
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (error: unknown) => error,
      );
    const lost = settle((await failing.decide([bet("p1", "b1", 100)])).committed);
    const behind = settle((await failing.decide([bet("p1", "b2", 300), funding("p1", 50)])).committed);
    expect(await lost).toBeInstanceOf(Error);
    expect(await behind).toBeInstanceOf(Error);
    expect(await store.query("SELECT 1 FROM wallet_transactions WHERE brand_id = $1 AND kind = 'bet'", [brand])).toHaveLength(0);

    // a fresh writer (as the runtime starts one) takes the messages again, in another order
    const writer = await directWriter(store, brand, "node-b");
    expect((await writer.receive([bet("p1", "b2", 300)]))[0]).toMatchObject({ ok: true, value: { balance: "700" } });
    expect((await writer.receive([bet("p1", "b1", 100), rollback("p1", "rb2", "b2")]))[0]).toMatchObject({ ok: true, value: { balance: "600" } });

    const lines = await statement(writer, "p1", 2);
    expect(lines).toEqual([
      { kind: "rollback", amount: "300", balanceAfter: "900" },
      { kind: "bet", amount: "-100", balanceAfter: "600" },
      { kind: "bet", amount: "-300", balanceAfter: "700" },
      { kind: "adjustment", amount: "1000", balanceAfter: "1000" },
    ]);
    expectRunningBalances(lines);
    await expectNumbersContiguous(store, brand);
    expect((await reconcile(store, brand)).ok).toBe(true);
  });

  test("a posting number already taken fails the commit loudly; the next writer continues past it", async () => {
    const store = await testStore();
    const brand = await createBrand(store);
    const first = await directWriter(store, brand, "node-a");
    expect((await first.receive([funding("p1", 1000)]))[0]!.ok).toBe(true);
    // a row written around the writer takes the number it gives next (the funding took 1 and 2)
    const [account] = await store.query<{ id: string }>("SELECT id FROM wallet_accounts WHERE brand_id = $1 AND owner_id = 'p1'", [brand]);
    await store.query("INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after, number) VALUES ($1, $2, $3, 0, 1000, 3)", [
      crypto.randomUUID(),
      account!.id,
      brand,
    ]);
    await expect(first.receive([bet("p1", "b1", 100)])).rejects.toThrow(/wallet_postings_brand_number_uq/);
    expect(await store.query("SELECT 1 FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key = 'p:evo:b1'", [brand])).toHaveLength(0);

    const next = await directWriter(store, brand, "node-b");
    expect((await next.receive([bet("p1", "b1", 100)]))[0]).toMatchObject({ ok: true, value: { balance: "900" } });
    const numbers = await store.query<{ number: bigint }>("SELECT number FROM wallet_postings WHERE brand_id = $1 ORDER BY number", [brand]);
    expect(numbers.map((r) => BigInt(r.number))).toEqual([1n, 2n, 3n, 4n, 5n]);
  });
});
