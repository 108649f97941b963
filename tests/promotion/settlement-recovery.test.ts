import { Database } from "bun:sqlite";
import { afterAll, expect } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { addDays, endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { reconcile } from "../../actors/wallet/index.ts";
import { DATABASE_URL, postgresTest, REDIS_URL, tempDir, testStore, uniqueBrand, waitFor } from "../support/services.ts";

/**
 * A settlement survives SIGKILL at every step. Each life is a node in a child process on the
 * same PostgreSQL, Redis and shards, with the domains that take the step, killed when the
 * step is under way or done: (1) the promotion domain snapshots the period (its lines and
 * their credit requests in one shard commit); (2) a wallet pays some lines, (3) then all of
 * them, while no promotion domain hears of it; (4) the promotion domain marks some lines
 * paid; (5) a whole node's timer asks again for the unmarked lines, the wallet answers each
 * with the credit it made, and both settlements settle. Every player is paid exactly once
 * per kind, the totals equal the preview, and the ledger reconciles.
 */

const children: Subprocess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

const PLAYERS = 20;
const RATES = { slots: 150n, live: 70n, lossback: 1200n, minLoss: 500n, cap: 40_000n };

function activity(day: string) {
  const at = Date.parse(`${day}T12:00:00Z`);
  const events: { type: string; at: number; payload: Record<string, unknown> }[] = [];
  const expected = new Map<string, { rebate: bigint; lossback: bigint }>();
  for (let i = 0; i < PLAYERS; i++) {
    const player = crypto.randomUUID();
    const [slots, live, win] = [BigInt(10_000 + 1_000 * i), BigInt(5_000 * (i % 3)), BigInt(8_000 * (i % 4))];
    const money = (type: string, amount: bigint, gameCategory: string) =>
      events.push({
        type,
        at,
        payload: { player, amount: amount.toString(), gameCategory, idempotencyKey: `p:s:${crypto.randomUUID()}`, transactionId: Bun.randomUUIDv7(), balance: "0" },
      });
    money("wallet.bet_settled", slots, "slots");
    if (live > 0n) money("wallet.bet_settled", live, "live");
    if (win > 0n) money("wallet.win", win, "slots");
    const net = slots + live - win;
    const share = net >= RATES.minLoss ? (net * RATES.lossback) / 10_000n : 0n;
    expected.set(player, { rebate: (slots * RATES.slots) / 10_000n + (live * RATES.live) / 10_000n, lossback: share > RATES.cap ? RATES.cap : share });
  }
  return { events, expected };
}

postgresTest(
  "SIGKILL at every step of a settlement: each player paid once per kind, totals as previewed",
  async () => {
    if (!REDIS_URL) throw new Error("this test needs REDIS_URL too");
    const store = await testStore();
    const brand = uniqueBrand("prk");
    const dataDir = tempDir("prkill");
    const day = addDays(localDay(Date.now(), "UTC"), -1);
    const firedAt = endOf(periodOf(day, "daily"), "UTC") + 11 * 60_000;
    const { events, expected } = activity(day);
    const sum = (kind: "rebate" | "lossback") => [...expected.values()].reduce((n, e) => n + e[kind], 0n);
    const paying = [...expected.values()].reduce((n, e) => n + (e.rebate > 0n ? 1 : 0) + (e.lossback > 0n ? 1 : 0), 0);
    const shared = { DATABASE_URL: DATABASE_URL!, REDIS_URL, REDIS_PREFIX: `prk-${crypto.randomUUID().slice(0, 8)}:`, DATA_DIR: dataDir, BRAND: brand, DAY: day };

    async function life(domains: string, extra: Record<string, string>, until: (line: Record<string, unknown>) => boolean | Promise<boolean>) {
      const child = Bun.spawn([process.execPath, `${import.meta.dir}/settlement-child.ts`], {
        env: { ...process.env, ...shared, NODE_ID: `prk-${children.length}`, DOMAINS: domains, ...extra },
        stdout: "pipe",
        stderr: "inherit",
      });
      children.push(child);
      const lines: Record<string, unknown>[] = [];
      void (async () => {
        let buffered = "";
        for await (const chunk of child.stdout) {
          buffered += new TextDecoder().decode(chunk);
          for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
            lines.push(JSON.parse(buffered.slice(0, nl)));
            buffered = buffered.slice(nl + 1);
          }
        }
      })();
      await waitFor(
        async () => {
          for (const line of lines) if (await until(line)) return true;
          return false;
        },
        { what: `life ${children.length} (${domains}) to reach its step`, timeoutMs: 30_000 },
      );
      child.kill("SIGKILL");
      await child.exited;
    }
    const credits = async () => {
      const rows = await store.query<{ key: string; n: number }>(
        "select idempotency_key as key, count(*)::int as n from wallet_transactions where brand_id = $1 and kind = 'settlement_credit' group by idempotency_key",
        [brand],
      );
      return rows;
    };
    const shard = () => new Database(join(dataDir, "shards", `${brand}.sqlite`), { readonly: true });
    const shardCount = (sql: string) => {
      const db = shard();
      try {
        return db.query<{ n: number }, []>(sql).get()!.n;
      } catch {
        return 0;
      } finally {
        db.close();
      }
    };

    // 1: the snapshot, no wallet anywhere
    const setup = { SETUP: JSON.stringify(events), REBATE: sum("rebate").toString(), LOSSBACK: sum("lossback").toString(), FIRE_AT: String(firedAt) };
    await life("promotion", setup, (line) => line.fired === true && shardCount("select count(*) as n from promotion_settlement_lines") === paying);
    // 2 and 3: a wallet pays some lines, then every one, with no promotion domain to hear of it
    await life("wallet", {}, async () => (await credits()).length > 0);
    await life("wallet", {}, async () => (await credits()).length === paying);
    // 4: the promotion domain marks some lines paid
    await life("promotion", {}, () => shardCount("select count(*) as n from promotion_settlement_lines where status = 'paid'") > 0);
    // 5: a whole node; its timer, past the retry time, asks again for what is unmarked
    await life(
      "promotion,wallet,player,rolling",
      { FIRE_AT: String(firedAt + 2 * 3_600_000) },
      () => shardCount(`select count(*) as n from promotion_settlements where status = 'settled' and period = '${day}'`) === 2,
    );

    const paid = await credits();
    expect(paid).toHaveLength(paying);
    expect(paid.every((row) => row.n === 1)).toBe(true);
    const cash = await store.query<{ owner_id: string; balance: string }>(
      "select owner_id, balance::text from wallet_accounts where brand_id = $1 and owner_kind = 'player' and type = 'cash'",
      [brand],
    );
    const byPlayer = new Map(cash.map((r) => [r.owner_id, BigInt(r.balance)]));
    for (const [player, e] of expected) expect(byPlayer.get(player) ?? 0n).toBe(e.rebate + e.lossback);
    const db = shard();
    const totals = db
      .query<{ program: string; total: number; paid_total: number }, []>(`select program, total, paid_total from promotion_settlements where period = '${day}' order by program`)
      .all();
    db.close();
    expect(totals).toEqual([
      { program: "lossback", total: Number(sum("lossback")), paid_total: Number(sum("lossback")) },
      { program: "rebate", total: Number(sum("rebate")), paid_total: Number(sum("rebate")) },
    ]);
    expect((await reconcile(store, brand)).ok).toBe(true);
  },
  120_000,
);
