import { expect } from "bun:test";
import { type CentralStore, DEFAULT_STORE_TIMEOUTS } from "../../actors/runtime/central-store.ts";
import { reconcile } from "../../actors/wallet/index.ts";
import { postgresTest, testStore, waitFor } from "../support/services.ts";
import { createBrand, directWriter, incoming } from "./harness.ts";
import { type Bet, type Reply, WalletNode } from "./wallet-process.ts";

/**
 * A wallet node frozen (SIGSTOP) inside a commit, holding the brand's epoch row: the server
 * ends its session once it sits idle in its transaction, so a second writer takes the epoch
 * within the lock timeout and serves. Resumed (SIGCONT), the old writer commits nothing of
 * its frozen transaction: its bets reach the ledger once, through whoever holds the newest
 * epoch, and its own answers for them are replays of that. No acknowledged bet is lost or
 * applied twice.
 */

const PLAYERS = 4;
const FUNDS = 100_000;
const LOCK_TIMEOUT_MS = DEFAULT_STORE_TIMEOUTS.lockMs;

postgresTest(
  "a writer paused inside a commit: a second writer takes over within the lock timeout, and the resumed one commits nothing",
  async (databaseUrl) => {
    const store = await testStore();
    const brand = await createBrand(store);
    const funder = await directWriter(store, brand, "funder");
    await funder.receive(
      Array.from({ length: PLAYERS }, (_, i) =>
        incoming("adjust", {
          adjustmentId: `fund-${i}`,
          owner: { kind: "player", id: `p${i}` },
          amount: FUNDS,
          reason: "paused test",
          by: { staffId: "s", username: "test-setup" },
        }),
      ),
    );
    let n = 0;
    const newBet = (): Bet => {
      const body = { provider: "evo", player: `p${n % PLAYERS}`, round: `r${n}`, transactionUuid: `b${n}`, amount: 1 + (n % 5) };
      n++;
      return { key: body.transactionUuid, messageId: crypto.randomUUID(), body };
    };
    const sent = new Map<string, Bet>();
    const replies: (Reply & { from: "old" | "new" })[] = [];
    const inLedger = async (keys: string[]) =>
      (
        await store.query<{ key: string; id: string }>("SELECT idempotency_key AS key, id FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key = ANY($2::text[])", [
          brand,
          keys.map((k) => `p:evo:${k}`),
        ])
      ).map((r) => ({ key: r.key.slice("p:evo:".length), id: r.id }));

    const old = await WalletNode.start(databaseUrl, brand, { PAUSE_IN_COMMIT: "3" });
    let fresh: WalletNode | undefined;
    try {
      // bets keep flowing, a few in flight, until the old writer freezes inside its third commit
      let frozen = false;
      void old.paused.then(() => (frozen = true));
      const sendToOld = () => {
        const bet = newBet();
        sent.set(bet.key, bet);
        old.send(bet);
      };
      old.onReply = (reply) => {
        replies.push({ ...reply, from: "old" });
        if (!frozen) sendToOld();
      };
      for (let i = 0; i < 4; i++) sendToOld();
      await old.paused;
      await waitFor(() => old.state() === "T", { what: "the old writer stopped" });
      // unanswered: the frozen transaction's bets (and the next batch's), or an earlier batch's whose answers were on their way
      const answered = new Set(replies.map((r) => r.key));
      const unanswered = [...sent.values()].filter((b) => !answered.has(b.key));
      const committedBeforePause = new Set((await inLedger(unanswered.map((b) => b.key))).map((r) => r.key));
      const frozenBets = unanswered.filter((b) => !committedBeforePause.has(b.key));
      expect(frozenBets.length).toBeGreaterThan(0);

      // a second writer: its first bet waits for the epoch row until the server ends the frozen session
      fresh = await WalletNode.start(databaseUrl, brand);
      const freshReplies = new Map<string, Reply>();
      fresh.onReply = (reply) => {
        replies.push({ ...reply, from: "new" });
        freshReplies.set(reply.key, reply);
      };
      const first = newBet();
      sent.set(first.key, first);
      const asked = performance.now();
      fresh.send(first);
      await waitFor(() => freshReplies.get(first.key), { what: "the second writer's first answer", timeoutMs: 15_000 });
      const takeoverMs = performance.now() - asked;
      expect(freshReplies.get(first.key)!.outcome.ok).toBe(true);
      expect(takeoverMs).toBeLessThan(LOCK_TIMEOUT_MS + 1000);

      // nothing of the frozen transaction is in the ledger; the provider retries those bets on the new writer
      expect(await inLedger(frozenBets.map((b) => b.key))).toEqual([]);
      for (const bet of frozenBets) fresh.send({ ...bet, messageId: crypto.randomUUID() });
      await waitFor(() => frozenBets.every((b) => freshReplies.has(b.key)), { what: "the retried bets answered", timeoutMs: 10_000 });
      for (const bet of frozenBets) expect(freshReplies.get(bet.key)!.outcome).toMatchObject({ ok: true, value: { replayed: false } });
      const committedByNew = new Map((await inLedger(frozenBets.map((b) => b.key))).map((r) => [r.key, r.id]));

      // resumed, the old writer answers its frozen asks with what the new writer committed, or
      // (while it waits for a fresh session) with "unavailable, nothing applied"; never a commit of its own
      old.signal("SIGCONT");
      const oldAnswer = (key: string) => replies.find((r) => r.from === "old" && r.key === key)?.outcome;
      await waitFor(() => unanswered.every((b) => oldAnswer(b.key)), { what: "the resumed writer's answers", timeoutMs: 15_000 });
      for (const bet of frozenBets) {
        const answer = oldAnswer(bet.key)!;
        if (answer.ok) expect(answer.value).toMatchObject({ transactionId: committedByNew.get(bet.key), replayed: true });
        else expect(answer.error.code).toBe("unavailable");
      }
    } finally {
      old.signal("SIGCONT");
      await Promise.all([old.stop(), fresh?.stop()]);
    }

    await expectEachBetOnce(store, brand, sent, replies);
  },
  40_000,
);

/** Every acknowledged bet in the ledger once, none twice, each player's cash the funding less its bets, the ledger reconciled. */
async function expectEachBetOnce(store: CentralStore, brand: string, sent: Map<string, Bet>, replies: Reply[]) {
  const rows = await store.query<{ key: string; n: bigint }>(
    "SELECT idempotency_key AS key, count(*) AS n FROM wallet_transactions WHERE brand_id = $1 AND kind = 'bet' GROUP BY idempotency_key",
    [brand],
  );
  const counted = new Map(rows.map((r) => [r.key.slice("p:evo:".length), Number(r.n)]));
  for (const reply of replies) if (reply.outcome.ok) expect(counted.get(reply.key)).toBe(1);
  for (const count of counted.values()) expect(count).toBe(1);
  const spent = new Map<string, number>();
  for (const key of counted.keys()) {
    const bet = sent.get(key)!;
    spent.set(bet.body.player, (spent.get(bet.body.player) ?? 0) + bet.body.amount);
  }
  const cash = await store.query<{ owner_id: string; balance: bigint }>(
    "SELECT owner_id, balance FROM wallet_accounts WHERE brand_id = $1 AND owner_kind = 'player' AND type = 'cash'",
    [brand],
  );
  for (const account of cash) expect(Number(account.balance)).toBe(FUNDS - (spent.get(account.owner_id) ?? 0));
  expect((await reconcile(store, brand)).ok).toBe(true);
}
