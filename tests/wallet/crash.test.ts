import { expect } from "bun:test";
import type { Outcome } from "../../actors/runtime/index.ts";
import { reconcile } from "../../actors/wallet/index.ts";
import { postgresTest, testStore } from "../support/services.ts";
import { createBrand, directWriter, incoming } from "./harness.ts";
import { type Bet, WalletNode } from "./wallet-process.ts";

/**
 * A wallet node is killed with SIGKILL at random points while bets are in flight, then
 * restarted; the client resends what was not answered (half under the same message id,
 * half as a new request with the same transaction uuid, as a provider retries). Every reply
 * the client saw must be in the ledger, and no bet may be applied twice.
 */

const PLAYERS = 20;
const FUNDS = 1_000_000;
const BETS = 500;
const IN_FLIGHT = 40;
const LIVES = 5;

postgresTest(
  "SIGKILL under load: every reply the client saw is in the ledger and nothing is applied twice",
  async (databaseUrl) => {
    const store = await testStore();
    const brand = await createBrand(store);
    const funder = await directWriter(store, brand, "funder");
    await funder.receive(
      Array.from({ length: PLAYERS }, (_, i) =>
        incoming("adjust", { adjustmentId: `fund-${i}`, owner: { kind: "player", id: `p${i}` }, amount: FUNDS, reason: "crash test", by: { staffId: "s", username: "s" } }),
      ),
    );

    const bets = new Map<string, Bet>();
    const replies = new Map<string, Outcome[]>();
    let resentUnanswered = 0;
    let committedUnanswered = 0;
    const committedAmong = (unanswered: Bet[]) =>
      store.query("SELECT 1 FROM wallet_transactions WHERE brand_id = $1 AND idempotency_key = ANY($2::text[])", [brand, unanswered.map((b) => `p:evo:${b.key}`)]);
    const newBet = (): Bet | undefined => {
      const n = bets.size;
      if (n >= BETS) return undefined;
      const body = { provider: "evo", player: `p${n % PLAYERS}`, round: `r${n}`, transactionUuid: `b${n}`, amount: 1 + (n % 7) };
      const bet = { key: body.transactionUuid, messageId: crypto.randomUUID(), body };
      bets.set(bet.key, bet);
      return bet;
    };

    for (let life = 1; life <= LIVES; life++) {
      const last = life === LIVES;
      const node = await WalletNode.start(databaseUrl, brand, { REPLY_DELAY_MS: "15" });
      const unanswered = [...bets.values()].filter((b) => !replies.has(b.key));
      resentUnanswered += unanswered.length;
      committedUnanswered += (await committedAmong(unanswered)).length;
      // a provider's retry is a new request; a redelivery keeps the message id
      for (const b of unanswered) if (Math.random() < 0.5) b.messageId = crypto.randomUUID();
      const answeredBefore = [...replies.keys()].sort(() => Math.random() - 0.5).slice(0, 10);
      const killAfter = last ? Infinity : 10 + Math.floor(Math.random() * 80);
      let seen = 0;
      await new Promise<void>((lifeOver) => {
        node.onReply = (reply) => {
          replies.set(reply.key, [...(replies.get(reply.key) ?? []), reply.outcome]);
          seen++;
          if (seen === killAfter) {
            // a few milliseconds later, so that some kills land between a commit and its replies
            setTimeout(() => void node.kill().then(() => lifeOver()), Math.random() * 8);
          }
          if (seen >= killAfter) return;
          const next = newBet();
          if (next) node.send(next);
          if (last && replies.size === BETS && seen >= unanswered.length + answeredBefore.length) lifeOver();
        };
        for (const b of unanswered) node.send(b);
        for (const key of answeredBefore) node.send({ ...bets.get(key)!, messageId: crypto.randomUUID() });
        for (let i = unanswered.length; i < IN_FLIGHT; i++) {
          const next = newBet();
          if (next) node.send(next);
        }
      });
      if (last) await node.stop();
    }

    // kills landed both before commits (resent and applied once) and after them (resent and replayed)
    expect(resentUnanswered).toBeGreaterThan(committedUnanswered);
    expect(committedUnanswered).toBeGreaterThan(0);
    expect(replies.size).toBe(BETS);
    const rows = await store.query<{ idempotency_key: string; id: string; status: string; amount: bigint; player_id: string }>(
      "SELECT idempotency_key, id, status, amount, player_id FROM wallet_transactions WHERE brand_id = $1 AND kind = 'bet'",
      [brand],
    );
    expect(rows).toHaveLength(BETS);
    const ledger = new Map(rows.map((r) => [r.idempotency_key, r]));
    for (const [key, outcomes] of replies) {
      const row = ledger.get(`p:evo:${key}`);
      expect(row?.status).toBe("accepted");
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ ok: true, value: { transactionId: row!.id } });
      }
    }
    const spent = new Map<string, bigint>();
    for (const r of rows) spent.set(r.player_id, (spent.get(r.player_id) ?? 0n) + BigInt(r.amount));
    const cash = await store.query<{ owner_id: string; balance: bigint }>(
      "SELECT owner_id, balance FROM wallet_accounts WHERE brand_id = $1 AND owner_kind = 'player' AND type = 'cash'",
      [brand],
    );
    for (const account of cash) expect(BigInt(account.balance)).toBe(BigInt(FUNDS) - (spent.get(account.owner_id) ?? 0n));
    const [events] = await store.query<{ n: bigint }>("SELECT count(*) AS n FROM outbox WHERE brand_id = $1 AND type = 'wallet.bet_settled'", [brand]);
    expect(Number(events!.n)).toBe(BETS);
    expect((await reconcile(store, brand)).ok).toBe(true);
  },
  60_000,
);
