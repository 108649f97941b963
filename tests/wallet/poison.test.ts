import { describe, expect, test } from "bun:test";
import type { Outcome } from "../../actors/runtime/errors.ts";
import { MAX_AMOUNT } from "../../actors/runtime/fields.ts";
import { reconcile, walletAddress } from "../../actors/wallet/index.ts";
import { cashOf, directWriter, fund, incoming, type WalletHarness, walletHarness } from "./harness.ts";

const INT8_MAX = 2n ** 63n - 1n;

const adjust = (player: string, amount: number | bigint, fields: { adjustmentId?: string; reason?: string } = {}) => ({
  adjustmentId: fields.adjustmentId ?? crypto.randomUUID(),
  owner: { kind: "player" as const, id: player },
  amount: typeof amount === "bigint" ? (amount.toString() as unknown as number) : amount,
  reason: fields.reason ?? "test",
  by: { staffId: "staff-1", username: "staff-1" },
});

/**
 * Send `asks` while the wallet's mailbox is not watched, then watch it again: the wallet
 * takes them all in one batch, as it would under load.
 */
async function inOneBatch(h: WalletHarness, asks: [type: string, body: unknown][]): Promise<Outcome[]> {
  const address = walletAddress(h.brand);
  await h.system.unhost(address);
  const outcomes = asks.map(([type, body]) => h.system.askOutcome(address, type, body));
  await h.system.host("wallet", h.brand);
  return Promise.all(outcomes);
}

const restarts = (h: WalletHarness) => h.system.status().find((s) => s.address === walletAddress(h.brand))!.restarts;

describe("a wallet message that fails by itself", () => {
  test("a cursor past int8 refuses that query alone (the protocol bounds it; a store refusal would too); its batch commits; no restart", async () => {
    const h = await walletHarness();
    try {
      await fund(h, "p1", 100);
      const outcomes = await inOneBatch(h, [
        ["adjust", adjust("p1", 5)],
        ["transactions", { owner: { kind: "player", id: "p1" }, cursor: "99999999999999999999" }],
        ["adjust", adjust("p2", 7)],
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ ok: false, error: { code: "validation_failed" } });
      expect(await cashOf(h, "p1")).toBe(105n);
      expect(await cashOf(h, "p2")).toBe(7n);
      expect(restarts(h)).toBe(0);
      expect(h.system.degradation("wallet", h.brand)).toBeNull();
    } finally {
      await h.close();
    }
  });

  test("a query the store refuses for its input (a body no edge or protocol would pass) is refused alone, the writer goes on", async () => {
    const h = await walletHarness();
    try {
      await fund(h, "p1", 100);
      const writer = await directWriter(h.store, h.brand, "unchecked");
      const unchecked = { ...incoming("balance", { owner: { kind: "player", id: "p1" } }), type: "transactions" };
      unchecked.body = { owner: { kind: "player", id: "p1" }, account: "cash", cursor: "99999999999999999999", limit: 5 };
      const [refused, balance] = await writer.receive([unchecked, incoming("balance", { owner: { kind: "player", id: "p1" } })]);
      expect(refused).toMatchObject({ ok: false, error: { code: "validation_failed", message: expect.stringContaining("the store refused this query") } });
      expect(balance).toMatchObject({ ok: true, value: { cash: "100" } });
    } finally {
      await h.close();
    }
  });

  test("a NUL byte in a text field is refused alone: its batch-mates commit, money stays balanced, no restart", async () => {
    const h = await walletHarness();
    try {
      const outcomes = await inOneBatch(h, [
        ["adjust", adjust("p1", 10)],
        ["adjust", adjust("p2", 20, { reason: "bad\u0000reason" })],
        ["adjust", adjust("p3", 30)],
        ["adjust", adjust("p4", 40, { adjustmentId: "adj\u0000x" })],
        ["adjust", adjust("p5", 50)],
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
      for (const i of [1, 3]) expect(outcomes[i]).toMatchObject({ ok: false, error: { code: "validation_failed" } });
      expect(await cashOf(h, "p1")).toBe(10n);
      expect(await cashOf(h, "p2")).toBe(0n);
      expect(await cashOf(h, "p3")).toBe(30n);
      expect(await cashOf(h, "p4")).toBe(0n);
      expect(await cashOf(h, "p5")).toBe(50n);
      expect(restarts(h)).toBe(0);
      expect((await reconcile(h.store, h.brand)).ok).toBe(true);
      expect((await h.system.transport.stats(walletAddress(h.brand))).deadLetters).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe("balance range", () => {
  /** A player and the house already near int8's ends, as years of play could leave them (reconciled: one balanced transaction). */
  async function nearTheEnds(h: WalletHarness, player: string, balance: bigint) {
    const [cash, house, tx] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await h.store.transaction(async (db) => {
      await db.query(
        `INSERT INTO wallet_accounts (id, brand_id, owner_kind, owner_id, type, currency, balance)
         VALUES ($1, $3, 'player', $4, 'cash', 'KRW', $5::int8), ($2, $3, 'brand', $3, 'house', 'KRW', -$5::int8)`,
        [cash, house, h.brand, player, balance.toString()],
      );
      await db.query(
        `INSERT INTO wallet_transactions (id, brand_id, idempotency_key, fingerprint, kind, status, reply, amount, player_id)
         VALUES ($1, $2, 'seed', 'seed', 'adjustment', 'accepted', '{}', $3::int8, $4)`,
        [tx, h.brand, balance.toString(), player],
      );
      await db.query(
        // written around the writer (already active): numbers below any it gives
        `INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after, number)
         VALUES ($1, $2, $4, $5::int8, $5::int8, -2), ($1, $3, $4, -$5::int8, -$5::int8, -1)`,
        [tx, cash, house, h.brand, balance.toString()],
      );
    });
  }

  test("an adjustment that would take a balance past int8 is refused amount_out_of_range, nothing moved", async () => {
    const h = await walletHarness();
    try {
      const near = INT8_MAX - 100n;
      await nearTheEnds(h, "whale", near);
      // the player's cash would pass int8's maximum
      const refused = await h.wallet.adjust(adjust("whale", MAX_AMOUNT));
      expect(refused).toMatchObject({ ok: false, error: { code: "amount_out_of_range" } });
      // the house would pass int8's minimum
      const other = await h.wallet.adjust(adjust("minnow", MAX_AMOUNT));
      expect(other).toMatchObject({ ok: false, error: { code: "amount_out_of_range" } });
      expect(await cashOf(h, "whale")).toBe(near);
      expect(await cashOf(h, "minnow")).toBe(0n);
      expect(restarts(h)).toBe(0);
      expect((await reconcile(h.store, h.brand)).ok).toBe(true);
      expect((await h.wallet.adjust(adjust("whale", 100))).ok).toBe(true);
      expect(await cashOf(h, "whale")).toBe(INT8_MAX);
      // the house now holds -INT8_MAX: one more unit fits, two do not
      expect((await h.wallet.adjust(adjust("minnow", 2))).ok).toBe(false);
      expect((await h.wallet.adjust(adjust("whale", -1))).ok).toBe(true);
      expect((await reconcile(h.store, h.brand)).ok).toBe(true);
    } finally {
      await h.close();
    }
  });

  test("a message never moves more than an edge accepts: past MAX_AMOUNT is refused before any turn", async () => {
    const h = await walletHarness();
    try {
      for (const amount of [MAX_AMOUNT + 1n, -(MAX_AMOUNT + 1n), 2n ** 62n - 1n]) {
        expect(await h.wallet.adjust(adjust("p1", amount))).toMatchObject({ ok: false, error: { code: "validation_failed" } });
      }
      expect((await h.wallet.adjust(adjust("p1", MAX_AMOUNT))).ok).toBe(true);
      expect(await cashOf(h, "p1")).toBe(MAX_AMOUNT);
    } finally {
      await h.close();
    }
  });
});
