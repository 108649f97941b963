import { beforeAll, expect, test } from "bun:test";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { RS } from "../../actors/wallet/index.ts";
import { testStore } from "../support/services.ts";
import { createBrand, directWriter, incoming } from "./harness.ts";

/**
 * What one batch leaves in the ledger, column by column: the commit sends its rows as
 * positional arrays, so a column read from the wrong place, a JSON null taken for a value, or
 * rows stored out of the order they were decided in shows here.
 */

let store: CentralStore;
beforeAll(async () => {
  store = await testStore();
});

test("a batch's transactions, postings and events are stored in decision order with every column", async () => {
  const brand = await createBrand(store);
  const writer = await directWriter(store, brand, "rows");
  const bet = { provider: "evo", player: "p1", round: "r-9", gameCode: "slot-7", gameCategory: "slots", amount: 30 };
  const outcomes = await writer.receive([
    incoming("adjust", { adjustmentId: "fund-1", owner: { kind: "player", id: "p1" }, amount: 100, reason: "welcome", by: { staffId: "staff-4", username: "staff-4" } }, "m-fund"),
    incoming("bet", { ...bet, transactionUuid: "tx-1" }, "m-bet"),
    incoming("bet", { ...bet, transactionUuid: "tx-2", amount: 500 }, "m-broke"),
    incoming("win", { ...bet, transactionUuid: "tx-3", amount: 45, referenceTransactionUuid: "tx-1" }, "m-win"),
  ]);
  expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
  expect(outcomes[2]).toMatchObject({ ok: false, error: { code: RS.notEnoughMoney } });

  const transactions = await store.query<Record<string, unknown>>(
    `SELECT id, idempotency_key, kind, status, refusal_code, reply, amount, player_id, round_id, game_code, game_category, provider,
       reference, metadata, metadata IS NULL AS no_metadata, message_id FROM wallet_transactions WHERE brand_id = $1 ORDER BY seq`,
    [brand],
  );
  expect(transactions.map((t) => [t.kind, t.status, t.amount, t.message_id])).toEqual([
    ["adjustment", "accepted", 100n, "m-fund"],
    ["bet", "accepted", 30n, "m-bet"],
    ["bet", "refused", 500n, "m-broke"],
    ["win", "accepted", 45n, "m-win"],
  ]);
  const [fund, accepted, refused, win] = transactions;
  expect(fund).toMatchObject({ player_id: "p1", round_id: null, game_code: null, provider: null, refusal_code: null });
  // the staff member's id, never their username: players read the metadata on their statement
  expect(fund).toMatchObject({ no_metadata: false, metadata: { reason: "welcome", staffId: "staff-4" } });
  expect(JSON.stringify(fund!.metadata)).not.toContain("username");
  expect(accepted).toMatchObject({ round_id: "r-9", game_code: "slot-7", game_category: "slots", provider: "evo", reference: null, metadata: null, no_metadata: true });
  expect(accepted!.reply).toEqual(outcomes[1]);
  expect(refused).toMatchObject({ refusal_code: RS.notEnoughMoney, reply: outcomes[2] });
  expect(win).toMatchObject({ reference: expect.stringContaining("tx-1"), reply: outcomes[3] });

  const postings = await store.query<{ amount: bigint; balance_after: bigint; owner_kind: string }>(
    `SELECT p.amount, p.balance_after, a.owner_kind FROM wallet_postings p JOIN wallet_accounts a ON a.id = p.account_id
     WHERE p.brand_id = $1 ORDER BY p.number`,
    [brand],
  );
  const player = postings.filter((p) => p.owner_kind === "player").map((p) => [p.amount, p.balance_after]);
  expect(player).toEqual([
    [100n, 100n],
    [-30n, 70n],
    [45n, 115n],
  ]);
  expect(postings.reduce((sum, p) => sum + BigInt(p.amount), 0n)).toBe(0n);

  const events = await store.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM outbox WHERE brand_id = $1 ORDER BY seq", [brand]);
  expect(events.map((e) => e.type)).toEqual(["wallet.adjusted", "audit.recorded", "wallet.bet_settled", "wallet.win"]);
  // the adjustment's audit, written in the same commit with the balances the wallet decided
  expect(events[1]!.payload).toEqual({
    brand,
    action: "wallet.adjust",
    target: "player:p1",
    by: { staffId: "staff-4", username: "staff-4" },
    before: { cash: "0", bonus: "0", locked: "0", currency: "KRW" },
    after: { cash: "100", bonus: "0", locked: "0", currency: "KRW", amount: "100", account: "cash", reason: "welcome", transactionId: fund!.id },
  });
  expect(events[2]!.payload).toMatchObject({ player: "p1", amount: "30", balance: "70", round: "r-9", gameCode: "slot-7", gameCategory: "slots" });
});

test("an event's outcome is kept while the relay can replay the event; other message outcomes for a day", async () => {
  const brand = await createBrand(store);
  const suspend = incoming("player.suspended", { playerId: "p1" }, "evt-suspend");
  const replayOf = { ...suspend };
  const refusal = incoming("depositApprove", { requestId: "nope", by: { staffId: null, username: "s" } }, "m-refused");
  const writer = await directWriter(store, brand, "first");
  expect(await writer.receive([suspend, refusal])).toMatchObject([{ ok: true }, { ok: false, error: { code: "not_found" } }]);
  await writer.receive([incoming("player.reinstated", { playerId: "p1" }, "evt-reinstate")]);
  const age = (id: string, interval: string) =>
    store.query(`UPDATE wallet_messages SET created_at = now() - $3::interval WHERE brand_id = $1 AND message_id = $2`, [brand, id, interval]);
  await age("evt-suspend", "2 days");
  await age("m-refused", "2 days");
  const timer = (id: string) => ({ id, type: "timer", body: { name: "reconcile", firedAt: Date.now() }, envelope: { ...suspend.envelope, id, type: "timer" }, deliveryCount: 1 });
  await writer.receive([timer("t-1")]);
  const kept = await store.query<{ message_id: string; event: boolean }>("SELECT message_id, event FROM wallet_messages WHERE brand_id = $1 ORDER BY message_id", [brand]);
  expect(kept).toEqual([
    { message_id: "evt-reinstate", event: true },
    { message_id: "evt-suspend", event: true },
  ]);
  // the relay replays the two-day-old suspension to a writer that never saw it: it changes nothing
  const fresh = await directWriter(store, brand, "second");
  expect(await fresh.receive([replayOf])).toEqual([{ ok: true, value: { player: "p1", suspended: true } }]);
  expect(await store.query("SELECT 1 FROM wallet_suspended_players WHERE brand_id = $1", [brand])).toEqual([]);
  await age("evt-suspend", "9 days");
  await fresh.receive([timer("t-2")]);
  expect((await store.query<{ message_id: string }>("SELECT message_id FROM wallet_messages WHERE brand_id = $1", [brand])).map((r) => r.message_id)).toEqual(["evt-reinstate"]);
});
