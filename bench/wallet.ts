/**
 * Bets per second through `wallet@brand` (group commit) against a naive baseline (one
 * PostgreSQL transaction per bet, SELECT ... FOR UPDATE on the balance row) on the same
 * server, in the same run, plus `pgbench -N` for scale.
 *
 *   node_modules/.bin/bun bench/wallet.ts
 *   DATABASE_URL=postgres://<server>/postgres BENCH_SECONDS=10 BENCH_PLAYERS=1000 BENCH_IN_FLIGHT=512 BENCH_BATCHES=256 node_modules/.bin/bun bench/wallet.ts
 *
 * The writer decides its next batches while the last ones commit, so it needs more bets in
 * flight than one batch holds to keep PostgreSQL busy.
 */
import postgres from "postgres";
import { type CentralStore, openCentralStore } from "../actors/runtime/central-store.ts";
import { ActorSystem, createLogger, MemoryTransport, RuntimeMetrics } from "../actors/runtime/index.ts";
import { walletClient, walletKind } from "../actors/wallet/index.ts";
import { budgetLine, cpuOf, ownCpuMs, serverCpuMs } from "./cpu.ts";

/** the server; the bench runs in a scratch database of its own there, so no other data (or bloat) skews it */
const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const SCRATCH = `wallet_bench_${process.pid}`;
const DATABASE_URL = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${SCRATCH}`;
  return url.toString();
})();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 1000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 512);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const FUNDS = 1_000_000_000;

/**
 * `cpu`: this process's CPU time over the run, 100% being one core; `cpuMs`: the CPU time
 * of this process and of the PostgreSQL server (when it runs on this machine) over the run.
 */
type Result = { name: string; count: number; errors: number; seconds: number; latencies: number[]; cpu: number; cpuMs: Record<string, number | null> };

/** `inFlight` workers, each sending its next bet as soon as the last one is answered. */
async function drive(name: string, seconds: number, bet: (player: string, n: number) => Promise<boolean>): Promise<Result> {
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const n = sequence++;
      const t0 = performance.now();
      const ok = await bet(`p${n % PLAYERS}`, n).catch(() => false);
      latencies.push(performance.now() - t0);
      if (ok) count++;
      else errors++;
    }
  };
  const { cpuMs } = await cpuOf({ here: ownCpuMs, "in PostgreSQL": () => serverCpuMs("postgres", SERVER_URL) }, () => Promise.all(Array.from({ length: IN_FLIGHT }, worker)));
  const elapsed = performance.now() - started;
  return { name, count, errors, seconds: elapsed / 1000, latencies, cpu: (cpuMs.here! / elapsed) * 100, cpuMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summarize(r: Result) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const perSecond = r.count / r.seconds;
  console.log(
    `${r.name.padEnd(34)} ${perSecond.toFixed(0).padStart(8)} bets/s  p50 ${percentile(sorted, 50).toFixed(2).padStart(7)} ms  ` +
      `p99 ${percentile(sorted, 99).toFixed(2).padStart(7)} ms  cpu ${r.cpu.toFixed(0).padStart(3)}%  (${r.count} ok, ${r.errors} errors, ${r.seconds.toFixed(1)} s)`,
  );
  return { perSecond, p50: percentile(sorted, 50), p99: percentile(sorted, 99), budget: budget(r) };
}

/** CPU per bet in this process (writer and clients) and in PostgreSQL, and the rate every core would carry. */
function budget(r: Result): string | null {
  const line = budgetLine(r.cpuMs, r.count, "bet");
  return line && `${r.name}: ${line}`;
}

const benchBrands: string[] = [];

/** The bench's brands and everything they wrote go when it ends: the server is shared. */
async function dropBenchBrands(store: CentralStore) {
  for (const table of ["wallet_postings", "wallet_transactions", "wallet_messages", "wallet_requests", "wallet_accounts", "wallet_epochs", "outbox"]) {
    await store.query(`DELETE FROM ${table} WHERE brand_id = ANY($1::text[])`, [benchBrands]);
  }
  await store.query("DELETE FROM brands WHERE id = ANY($1::text[])", [benchBrands]);
}

async function createBrand(store: CentralStore, label: string): Promise<string> {
  const brand = `wbench-${label}-${crypto.randomUUID().slice(0, 8)}`;
  await store.query("INSERT INTO brands (id, name) VALUES ($1, $1)", [brand]);
  benchBrands.push(brand);
  return brand;
}

type ActorVariant = { name: string; maxBatch: number };

async function benchActor(store: CentralStore, variant: ActorVariant): Promise<Result> {
  const brand = await createBrand(store, "actor");
  const metrics = new RuntimeMetrics();
  const system = new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 5, claimIdleMs: 60_000 }),
    nodeId: "bench",
    log: createLogger("warn"),
    supervision: { backoffMs: 10, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: 10_000,
    maxQueued: IN_FLIGHT * 4,
    idleMs: 600_000,
    metrics,
  }).register(walletKind({ store, metrics, config: { NODE_ID: "bench" } }, { maxBatch: variant.maxBatch }));
  await system.start();
  await system.host("wallet", brand);
  const wallet = walletClient(system, brand);
  // fund every player, as many at a time as the bench keeps in flight (the mailbox refuses more)
  for (let first = 0; first < PLAYERS; first += IN_FLIGHT) {
    const funded = await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, PLAYERS - first) }, (_, k) =>
        wallet.adjust({
          adjustmentId: `fund-${first + k}`,
          owner: { kind: "player", id: `p${first + k}` },
          amount: FUNDS,
          reason: "bench funding",
          by: { staffId: null, username: "bench" },
        }),
      ),
    );
    const refused = funded.find((outcome) => !outcome.ok);
    if (refused) throw new Error(`funding a player failed: ${JSON.stringify(refused)}`);
  }
  const bet = async (player: string, n: number) => {
    const outcome = await wallet.bet({ provider: "bench", player, round: `r${n}`, gameCode: "slot-1", gameCategory: "slots", transactionUuid: `b${n}`, amount: 1 });
    return outcome.ok;
  };
  await drive("warm-up", 1, bet);
  const result = await drive(variant.name, SECONDS, bet);
  await system.drain();
  return result;
}

async function benchNaive(store: CentralStore): Promise<Result> {
  const brand = await createBrand(store, "naive");
  const sql = postgres(DATABASE_URL, { max: POOL, prepare: true, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  const accounts = await seedNaive(sql, brand, PLAYERS, FUNDS);
  const bet = (player: string, n: number) => naiveBet(sql, brand, accounts, player, n);
  await drive("warm-up", 1, bet);
  const result = await drive(`naive (tx per bet, pool ${POOL})`, SECONDS, bet);
  await sql.end({ timeout: 5 });
  return result;
}

/**
 * The baseline the wallet actor is measured against: what one would write without a single
 * writer. One transaction per bet: lock the player's balance row, record the transaction
 * under its idempotency key, move both balances, write the postings and the outbox event.
 */
type NaiveAccounts = { cash: Map<string, string>; provider: string };

async function seedNaive(sql: postgres.Sql, brand: string, players: number, funds: number): Promise<NaiveAccounts> {
  const cash = new Map<string, string>();
  const rows = Array.from({ length: players }, (_, i) => {
    const id = crypto.randomUUID();
    cash.set(`p${i}`, id);
    return { id, brand_id: brand, owner_kind: "player", owner_id: `p${i}`, type: "cash", currency: "KRW", balance: funds };
  });
  const provider = crypto.randomUUID();
  rows.push({ id: provider, brand_id: brand, owner_kind: "brand", owner_id: brand, type: "provider", currency: "KRW", balance: 0 });
  for (let i = 0; i < rows.length; i += 500) await sql`INSERT INTO wallet_accounts ${sql(rows.slice(i, i + 500))}`;
  return { cash, provider };
}

async function naiveBet(sql: postgres.Sql, brand: string, accounts: NaiveAccounts, player: string, n: number): Promise<boolean> {
  const cashId = accounts.cash.get(player)!;
  const amount = 1n;
  return sql.begin(async (tx) => {
    const [row] = await tx`SELECT balance FROM wallet_accounts WHERE id = ${cashId} FOR UPDATE`;
    if (!row || BigInt(row.balance) < amount) return false;
    const id = crypto.randomUUID();
    const key = `p:bench:b${n}`;
    const reply = { ok: true, value: { transactionId: id, balance: String(BigInt(row.balance) - amount), currency: "KRW" } };
    const inserted = await tx`
      INSERT INTO wallet_transactions (id, brand_id, idempotency_key, fingerprint, kind, status, reply, amount, player_id, round_id, game_code, provider)
      VALUES (${id}, ${brand}, ${key}, ${"fp"}, 'bet', 'accepted', ${tx.json(reply)}, ${amount.toString()}, ${player}, ${`r${n}`}, 'slot-1', 'bench')
      ON CONFLICT (brand_id, idempotency_key) DO NOTHING RETURNING id`;
    if (inserted.length === 0) return true;
    const [cash] = await tx`UPDATE wallet_accounts SET balance = balance - ${amount.toString()} WHERE id = ${cashId} RETURNING balance`;
    const [house] = await tx`UPDATE wallet_accounts SET balance = balance + ${amount.toString()} WHERE id = ${accounts.provider} RETURNING balance`;
    // the bet's number gives its postings theirs: unique in the brand, as the ledger requires (not commit order)
    await tx`INSERT INTO wallet_postings (transaction_id, account_id, brand_id, amount, balance_after, number) VALUES
      (${id}, ${cashId}, ${brand}, ${(-amount).toString()}, ${cash!.balance}, ${2 * n + 1}),
      (${id}, ${accounts.provider}, ${brand}, ${amount.toString()}, ${house!.balance}, ${2 * n + 2})`;
    await tx`INSERT INTO outbox (event_id, brand_id, type, payload) VALUES (${crypto.randomUUID()}, ${brand}, 'wallet.bet_settled', ${tx.json({ player, amount: "1", transactionId: id })})`;
    return true;
  });
}

/**
 * `pgbench -N` (no updates of the branch/teller rows) against a scratch database on the
 * same server, as a yardstick for what the server does with small write transactions.
 * Returns null when pgbench is not installed.
 */
async function runPgbench(databaseUrl: string, seconds: number): Promise<{ tps: number; latencyMs: number } | null> {
  if (!Bun.which("pgbench")) return null;
  const scratch = `bench_wallet_${process.pid}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${scratch}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${scratch}`;
  try {
    await run(["pgbench", "-i", "-q", url.toString()]);
    const out = await run(["pgbench", "-N", "-T", String(seconds), "-c", "8", "-j", "2", url.toString()]);
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    return { tps, latencyMs };
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

async function run(cmd: string[]): Promise<string> {
  const child = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}: ${err}`);
  return out + err;
}

const server = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await server.unsafe(`CREATE DATABASE ${SCRATCH}`);
const store = await openCentralStore({ databaseUrl: DATABASE_URL, dataDir: "/tmp", max: POOL });
await store.migrate();
console.log(`wallet bench: ${PLAYERS} players, ${IN_FLIGHT} bets in flight, ${SECONDS} s per run, ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}`);
// BENCH_BATCHES=128,256,512: one actor run per wallet maxBatch, the best is compared
const VARIANTS: ActorVariant[] = (process.env.BENCH_BATCHES ?? "256").split(",").map((b) => ({ name: `wallet actor (batch ${b})`, maxBatch: Number(b) }));
const actors = [];
for (const variant of VARIANTS) actors.push(summarize(await benchActor(store, variant)));
const actor = actors.reduce((best, a) => (a.perSecond > best.perSecond ? a : best));
const naive = summarize(await benchNaive(store));
await dropBenchBrands(store);
await store.close();
await server.unsafe(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
await server.end({ timeout: 5 });
const pgbench = await runPgbench(SERVER_URL, SECONDS);
if (pgbench) console.log(`${"pgbench -N -c 8".padEnd(34)} ${pgbench.tps.toFixed(0).padStart(8)} tx/s    avg ${pgbench.latencyMs.toFixed(2).padStart(7)} ms`);
else console.log("pgbench: not on PATH, skipped");
for (const line of [actor.budget, naive.budget]) if (line) console.log(`cpu budget: ${line}`);
console.log(`ratio actor / naive: ${(actor.perSecond / naive.perSecond).toFixed(1)}x (target >= 20x), actor p99 ${actor.p99.toFixed(1)} ms (target < 50 ms)`);
if (pgbench) console.log(`ratio actor bets / pgbench tx: ${(actor.perSecond / pgbench.tps).toFixed(2)}x`);
process.exit(0);
