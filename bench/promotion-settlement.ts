/**
 * Settling one period of rebate for many players: the promotion domain snapshots the period
 * (one line per player, each asking the wallet for its credit through the shard outbox), the
 * wallet credits every line under its id, and the promotion domain marks them paid. Real
 * PostgreSQL (a scratch database), Redis mailboxes and event bus, one node, one brand.
 * Beside it, the same number of credits asked of the wallet directly (512 in flight), its
 * ceiling for this kind of transaction.
 *
 *   node_modules/.bin/bun bench/promotion-settlement.ts
 *   DATABASE_URL=postgres://<server>/postgres REDIS_URL=redis://<server>:6379 BENCH_PLAYERS=100000 node_modules/.bin/bun bench/promotion-settlement.ts
 *
 * activity:  one settled bet per player (wallet events on the bus), applied by the promotion domain;
 * settle:    the timer snapshots the period; wall time to the snapshot, to the last credit and
 *            to the settlement marked settled, and wallet credits per second;
 * baseline:  the same credits asked of the wallet directly (`settlement.credit_requested` asks).
 */
import { Redis } from "ioredis";
import postgres from "postgres";
import { expectOk } from "../actors/runtime/client.ts";
import { addDays, endOf, localDay, periodOf } from "../actors/settlement/index.ts";
import type { PlatformNode } from "../supervisor/node.ts";
import { benchNode } from "./bench-node.ts";
import { budgetLine, cpuOf, ownCpuMs, serverCpuMs } from "./cpu.ts";

const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const SCRATCH = `promotion_bench_${process.pid}`;
const DATABASE_URL = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${SCRATCH}`;
  return url.toString();
})();
const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 100_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 512);
const BENCH = { staffId: null, username: "bench" };
const DAY = addDays(localDay(Date.now(), "UTC"), -1);

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
  return (performance.now() - started) / 1000;
}

/** Rows of the brand's shard the promotion domain wrote (the bench reads, never writes). */
function shardCount(node: PlatformNode, brand: string, sql: string): number {
  const shard = node.parts.shards.acquire(brand);
  try {
    return shard.sqlite.query<{ n: number | null }, []>(sql).get()?.n ?? 0;
  } catch {
    return 0;
  } finally {
    node.parts.shards.release(brand);
  }
}

async function setUp() {
  const { id, node, store } = await benchNode({ label: "promotion", databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, domains: ["wallet", "promotion"], maxQueued: 200000 });
  const catalog = node.edge.clients.catalog();
  const brands = [id, `${id}-b`];
  // the rates come once the activity is in: the actor's own quarter-hour timer never snapshots a half-fed period
  for (const brand of brands) expectOk(await catalog.createBrand({ id: brand, name: brand, by: BENCH }));
  for (const brand of brands) await node.hostBrand(brand);
  return { node, brand: brands[0]!, baselineBrand: brands[1]!, store, prefix: `${id}:` };
}

async function dropKeys(prefix: string) {
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [nextCursor, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = nextCursor;
  } while (cursor !== "0");
  await redis.quit();
}

const CPU_PARTS = { "in the node": ownCpuMs, "in PostgreSQL": () => serverCpuMs("postgres", SERVER_URL), "in Redis": () => serverCpuMs("redis-server", REDIS_URL) };

const server = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await server.unsafe(`CREATE DATABASE ${SCRATCH}`);
const { node, brand, baselineBrand, store, prefix } = await setUp();
console.log(`promotion settlement bench: ${PLAYERS} players in one daily period, Redis ${REDIS_URL}, ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}`);

// activity: one settled slot bet per player, the day before today
const at = Date.parse(`${DAY}T12:00:00Z`);
const activityStarted = performance.now();
for (let first = 0; first < PLAYERS; first += 5000) {
  const events = Array.from({ length: Math.min(5000, PLAYERS - first) }, (_, k) => ({
    id: crypto.randomUUID(),
    type: "wallet.bet_settled",
    brand,
    at,
    payload: {
      player: `p${first + k}`,
      amount: String(10_000 + ((first + k) % 1000) * 100),
      gameCategory: "slots",
      idempotencyKey: `p:bench:${first + k}`,
      transactionId: Bun.randomUUIDv7(),
      balance: "0",
    },
  }));
  await node.parts.events.publish(events);
}
await until("the activity applied", () => shardCount(node, brand, "select count(*) as n from promotion_bets") >= PLAYERS);
const activitySeconds = (performance.now() - activityStarted) / 1000;
console.log(`activity  ${PLAYERS} bets applied in ${activitySeconds.toFixed(2)} s (${(PLAYERS / activitySeconds).toFixed(0)} events/s)`);

const configured = expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { promotion: { rebateRates: { slots: 100 } } }, by: BENCH }));
await until(
  "the catalog copy",
  () => node.edge.brands.get(brand)?.config === configured.config || JSON.stringify(node.edge.brands.get(brand)?.config) === JSON.stringify(configured.config),
);

// settle: the timer snapshots the period; the wallet credits each line; the lines are marked
const credits = async (of: string) =>
  (await store.query<{ n: number }>("select count(*)::int as n from wallet_transactions where brand_id = $1 and kind = 'settlement_credit'", [of]))[0]!.n;
const settleStarted = performance.now();
const { cpuMs } = await cpuOf(CPU_PARTS, async () => {
  await node.parts.system.fireTimer("promotion", "settle", endOf(periodOf(DAY, "daily"), "UTC") + 11 * 60_000);
  // the snapshot is one turn (lines and their asks in one shard commit): seen at the first look after the timer's tell
  const snapshot = await until("the snapshot", () => shardCount(node, brand, "select count(*) as n from promotion_settlements where program = 'rebate'") > 0);
  const lastCredit = snapshot + (await until("every credit", async () => (await credits(brand)) >= PLAYERS));
  const settled =
    lastCredit + (await until("the settlement settled", () => shardCount(node, brand, "select count(*) as n from promotion_settlements where status = 'settled'") > 0));
  console.log(
    `settle    snapshot ${snapshot.toFixed(2)} s, last credit ${lastCredit.toFixed(2)} s, settled ${settled.toFixed(2)} s: ${(PLAYERS / lastCredit).toFixed(0)} wallet credits/s from the timer, ${(PLAYERS / (lastCredit - snapshot)).toFixed(0)} credits/s after the snapshot`,
  );
});
const settleSeconds = (performance.now() - settleStarted) / 1000;
const budget = budgetLine(cpuMs, PLAYERS, "line");
if (budget) console.log(`cpu budget, settlement (snapshot, relay, credit, answer, mark): ${budget}`);

// baseline: the same credits asked of the wallet directly
const wallet = node.edge.clients.wallet(baselineBrand);
const baselineStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < PLAYERS; i = next++) {
      const lineId = `baseline:${i}`;
      expectOk(
        await wallet["settlement.credit_requested"]({
          lineId,
          source: "bench",
          settlementId: "baseline",
          kind: "rebate",
          owner: { kind: "player", id: `p${i}` },
          account: "cash",
          amount: "100",
        }),
      );
    }
  }),
);
const baselineSeconds = (performance.now() - baselineStarted) / 1000;
console.log(
  `baseline  ${PLAYERS} credits asked of the wallet directly in ${baselineSeconds.toFixed(2)} s: ${(PLAYERS / baselineSeconds).toFixed(0)} credits/s (${IN_FLIGHT} in flight)`,
);
console.log(`ratio settlement / direct asks: ${(baselineSeconds / settleSeconds).toFixed(2)}x of the wallet's direct rate`);

await node.stop();
await store.close();
await dropKeys(prefix);
await server.unsafe(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
await server.end({ timeout: 5 });
process.exit(0);
