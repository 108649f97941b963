/**
 * Wallet events consumed per second by `rolling@brand`, beside the wallet's own event rate in
 * the same run, for one brand on one node: real PostgreSQL (a scratch database), Redis
 * mailboxes and event bus, every player with an open wagering requirement.
 *
 *   node_modules/.bin/bun bench/rolling.ts
 *   DATABASE_URL=postgres://<server>/postgres REDIS_URL=redis://<server>:6379 BENCH_SECONDS=10 BENCH_PLAYERS=1000 BENCH_IN_FLIGHT=512 node_modules/.bin/bun bench/rolling.ts
 *
 * Bets come from a process of their own (bench/rolling-load.ts: asks over the node's Redis
 * mailboxes, as edges elsewhere would send them), so the node's one event loop runs the
 * wallet, the relay and rolling, as in production.
 *
 * live:    bets at the wallet's peak; wallet events committed per second and wallet events
 *          rolling applied per second over the same window, the lag left at its end and how
 *          long rolling takes to catch up;
 * backlog: rolling stopped while the wallet runs as fast again; then started: how fast it
 *          drains what piled up, its capacity, against the wallet's peak.
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import postgres from "postgres";
import { expectOk } from "../actors/runtime/client.ts";
import type { PlatformNode } from "../supervisor/node.ts";
import { benchNode } from "./bench-node.ts";
import { budgetLine, cpuOf, ownCpuMs, serverCpuMs } from "./cpu.ts";
import type { RollingLoadPlan, RollingLoadResult } from "./rolling-load.ts";

const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const SCRATCH = `rolling_bench_${process.pid}`;
const DATABASE_URL = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${SCRATCH}`;
  return url.toString();
})();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 1000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 512);
/** a deposit no bench run can wager through: every requirement stays open */
const DEPOSIT = 1_000_000_000;
const BENCH = { staffId: null, username: "bench" };

/** Bets at the wallet's peak from a process of its own (bench/rolling-load.ts), numbered from `first`. */
async function driveBets(brand: string, prefix: string, seconds: number, first: number): Promise<RollingLoadResult> {
  const plan: RollingLoadPlan = { redisUrl: REDIS_URL, keyPrefix: prefix, brand, players: PLAYERS, inFlight: IN_FLIGHT, seconds, first };
  const file = join(tmpdir(), `rolling-load-${process.pid}.json`);
  await Bun.write(file, JSON.stringify(plan));
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "rolling-load.ts"), file], { stdout: "pipe", stderr: "inherit" });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  const result = JSON.parse(out.trim().split("\n").at(-1)!) as RollingLoadResult;
  if (result.bets === 0) throw new Error(`no bet went through: ${result.firstError}`);
  if (result.firstError) console.log(`(load: ${result.errors} bets refused, the first: ${result.firstError})`);
  return result;
}

/**
 * Wallet events rolling has applied so far: its journal holds each message it took once, and
 * only rolling journals in this node's shard, so the last row number counts them (a count
 * would cost the run more than it measures).
 */
function applied(node: PlatformNode, brand: string): number {
  const shard = node.parts.shards.acquire(brand);
  try {
    return shard.sqlite.query<{ n: number | null }, []>("select max(rowid) as n from actor_journal").get()!.n ?? 0;
  } finally {
    node.parts.shards.release(brand);
  }
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
  return (performance.now() - started) / 1000;
}

async function setUp() {
  const { id, node, store } = await benchNode({ label: "rolling", databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, domains: ["wallet", "rolling"], maxQueued: 100000 });
  const brand = id;
  const catalog = node.edge.clients.catalog();
  expectOk(await catalog.createBrand({ id: brand, name: brand, config: { rolling: { depositMultiple: 1, categoryRates: { slots: 1, live_casino: 0.1 } } }, by: BENCH }));
  await node.hostBrand(brand);
  const wallet = node.edge.clients.wallet(brand);
  for (let first = 0; first < PLAYERS; first += IN_FLIGHT) {
    const players = Array.from({ length: Math.min(IN_FLIGHT, PLAYERS - first) }, (_, k) => `p${first + k}`);
    await Promise.all(players.map(async (player) => expectOk(await wallet.depositRequest({ requestId: `d-${player}`, player, amount: DEPOSIT }))));
    await Promise.all(players.map(async (player) => expectOk(await wallet.depositApprove({ requestId: `d-${player}`, by: BENCH }))));
  }
  await until("every deposit's requirement", () => applied(node, brand) >= PLAYERS);
  return { node, brand, store, prefix: `${id}:` };
}

/** The bench's mailboxes and streams go when it ends: the Redis server is shared. */
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

const rate = (count: number, seconds: number) => count / seconds;
/** this node (wallet, relay, rolling), and the servers; the load generator's own CPU is left out */
const CPU_PARTS = { "in the node": ownCpuMs, "in PostgreSQL": () => serverCpuMs("postgres", SERVER_URL), "in Redis": () => serverCpuMs("redis-server", REDIS_URL) };
const fixed = (n: number) => n.toFixed(0).padStart(7);

const server = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await server.unsafe(`CREATE DATABASE ${SCRATCH}`);
const { node, brand, store, prefix } = await setUp();
console.log(
  `rolling bench: ${PLAYERS} players with an open requirement, ${IN_FLIGHT} bets in flight, ${SECONDS} s per phase, Redis ${REDIS_URL}, ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}`,
);

await driveBets(brand, prefix, 1, 0); // warm-up
let next = 10_000_000;
await until("rolling to catch up after the warm-up", () => applied(node, brand) >= PLAYERS + 1);

// live: both run at once
const before = applied(node, brand);
const { result: live, cpuMs } = await cpuOf(CPU_PARTS, () => driveBets(brand, prefix, SECONDS, next));
next += 10_000_000;
const appliedLive = applied(node, brand) - before;
const lag = live.bets - appliedLive;
const caughtUp = await until("rolling to catch up", () => applied(node, brand) - before >= live.bets);
const walletLive = rate(live.bets, live.seconds);
const rollingLive = rate(appliedLive, live.seconds);
console.log(
  `live     wallet ${fixed(walletLive)} events/s committed   rolling ${fixed(rollingLive)} events/s applied   lag at the end ${lag} events, caught up ${caughtUp.toFixed(2)} s later   (${live.errors} refused)`,
);

// backlog: rolling stopped while the wallet runs, then started
await node.parts.system.unhost(`rolling@${brand}`);
const start = applied(node, brand);
const backlog = await driveBets(brand, prefix, SECONDS, next);
const walletAlone = rate(backlog.bets, backlog.seconds);
const drainStarted = performance.now();
const { cpuMs: drainCpuMs } = await cpuOf(CPU_PARTS, async () => {
  await node.parts.system.host("rolling", brand);
  await until("rolling to drain the backlog", () => applied(node, brand) - start >= backlog.bets, 300_000);
});
const drainSeconds = (performance.now() - drainStarted) / 1000;
const capacity = rate(backlog.bets, drainSeconds);
console.log(`backlog  wallet ${fixed(walletAlone)} events/s committed   rolling ${fixed(capacity)} events/s draining ${backlog.bets} events in ${drainSeconds.toFixed(2)} s`);

const peak = Math.max(walletLive, walletAlone);
const budget = budgetLine(cpuMs, live.bets, "bet");
if (budget) console.log(`cpu budget, live (a bet, its relay and its rolling): ${budget}`);
const drainBudget = budgetLine(drainCpuMs, backlog.bets, "event");
if (drainBudget) console.log(`cpu budget, rolling draining (read, ask, apply, reply, ack): ${drainBudget}`);
console.log(`ratio rolling / wallet, live: ${(rollingLive / walletLive).toFixed(2)}x; rolling's capacity / wallet's peak: ${(capacity / peak).toFixed(2)}x (keeps up when >= 1)`);

await node.stop();
await store.close();
await dropKeys(prefix);
await server.unsafe(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
await server.end({ timeout: 5 });
process.exit(0);
