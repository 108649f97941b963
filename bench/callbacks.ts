/**
 * Signed `standard` bets per second over HTTP through the callback edge for one brand
 * (edge -> wallet@brand -> edge; the ask delivered in process, or with BENCH_LOCAL_ASKS=0 through
 * the Redis mailbox), beside, in the same run:
 *   - the ceiling: a bare Hono server that only checks the signature and echoes a balance;
 *   - the edge and mailbox alone: the same node with a wallet that answers at once;
 *   - the wallet's in-process figure: the same bets asked of wallet@brand directly;
 *   - the plain service (bench/plain-service.ts): one PostgreSQL transaction per bet, no
 *     actors, with a pool of 10 and of 20 connections; the faster is the baseline `edge / plain`;
 *   - each edge at 80% of its peak, open loop, for its p99.
 * The load generator is a separate process (bench/callbacks-load.ts).
 *
 *   node_modules/.bin/bun bench/callbacks.ts
 *   DATABASE_URL=postgres://<server>/postgres BENCH_SECONDS=10 BENCH_IN_FLIGHT=64 BENCH_PLAYERS=1000 BENCH_TRANSPORT=memory node_modules/.bin/bun bench/callbacks.ts
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import postgres from "postgres";
import { signatureMatches, signingKey } from "../actors/game/index.ts";
import type { LoadPlan, LoadResult } from "./callbacks-load.ts";
import { type BenchNode, prepareBrand, startBenchNode } from "./callbacks-node.ts";
import { budgetLine, cpuOf, ownCpuMs, serverCpuMs } from "./cpu.ts";
import { preparePlainService, startPlainService } from "./plain-service.ts";

/** the server; the bench runs in a scratch database of its own there, so no other data (or bloat) skews it */
const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const SCRATCH = `callbacks_bench_${process.pid}`;
const DATABASE_URL = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${SCRATCH}`;
  return url.toString();
})();
const REDIS_URL = process.env.BENCH_TRANSPORT === "memory" ? undefined : process.env.REDIS_URL || "redis://127.0.0.1:6379";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 1000);
const LOCAL_ASKS = process.env.BENCH_LOCAL_ASKS !== "0";
const DELIVERY = LOCAL_ASKS ? "in process" : "mailbox";
const runId = crypto.randomUUID().slice(0, 8);
const dataDir = `/tmp/bench-callbacks-${runId}`;

/** `count`: answered requests; `loadCpuMs`: the load generator's CPU time (0 when the clients run in this process) */
type Figure = { name: string; perSecond: number; p50: number; p99: number; errors: number; count: number; loadCpuMs: number };

/** The machine's load averages (1, 5, 15 min): other work on the cores skews every figure alike. */
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** Sum and count of one of the wallet's histograms on the node's registry. */
async function histogram(name: string): Promise<{ sum: number; count: number }> {
  const metric = node?.node.parts.metrics.registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  const pick = (suffix: string) => values.find((v) => (v as { metricName?: string }).metricName === `${name}_${suffix}`)?.value ?? 0;
  return { sum: pick("sum"), count: pick("count") };
}

/**
 * A run's figure, with how busy this (server) process was meanwhile (100% is one core) and
 * the wallet's mean batch size and commit time during the run.
 */
async function measure(run: () => Promise<Figure>): Promise<Figure> {
  // each run starts on a vacuumed outbox, as a server whose autovacuum is on keeps it (the
  // relay's lookups step over relayed rows until a vacuum; this machine's server has it off)
  await node?.node.parts.store.query("VACUUM outbox");
  const [batches, commits] = [await histogram("wallet_batch_messages"), await histogram("wallet_commit_seconds")];
  const started = performance.now();
  const { result: f, cpuMs } = await cpuOf(
    {
      "in this server": ownCpuMs,
      "in PostgreSQL": () => serverCpuMs("postgres", SERVER_URL),
      ...(REDIS_URL ? { "in Redis": () => serverCpuMs("redis-server", REDIS_URL) } : {}),
    },
    run,
  );
  const busy = (cpuMs["in this server"]! / (performance.now() - started)) * 100;
  const [b, c] = [await histogram("wallet_batch_messages"), await histogram("wallet_commit_seconds")];
  const wallet =
    b.count > batches.count
      ? `  batch ${((b.sum - batches.sum) / (b.count - batches.count)).toFixed(1)} msgs, commit ${(((c.sum - commits.sum) / Math.max(1, c.count - commits.count)) * 1000).toFixed(1)} ms`
      : "";
  console.log(
    `${f.name.padEnd(44)} ${f.perSecond.toFixed(0).padStart(7)} /s  p50 ${f.p50.toFixed(2).padStart(7)} ms  p99 ${f.p99.toFixed(2).padStart(7)} ms  cpu ${busy.toFixed(0).padStart(3)}%${wallet}`,
  );
  if (f.errors > 0) console.log(`  ${f.errors} errors`);
  const budget = budgetLine({ ...cpuMs, "in the load generator": f.loadCpuMs }, f.count, "request");
  if (budget) console.log(`  cpu: ${budget}`);
  return f;
}

/** Run the load generator in its own process against `url`. */
async function load(name: string, url: string, plan: Omit<LoadPlan, "url" | "runId">): Promise<Figure> {
  const file = join(dataDir, `plan-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify({ ...plan, url, runId: `${runId}-${crypto.randomUUID().slice(0, 6)}` }));
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "callbacks-load.ts"), file], { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`load generator failed: ${out}`);
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult;
  if (r.firstError) console.log(`  first error of ${name}: ${r.firstError}`);
  return { name, perSecond: r.count / r.seconds, p50: r.p50, p99: r.p99, errors: r.errors, count: r.count, loadCpuMs: r.cpuMs };
}

/** The ceiling: signature check over the raw body and a fixed balance, nothing else. */
function bareServer(secret: string) {
  const key = signingKey(secret);
  const app = new Hono();
  app.post("/callbacks/:provider/transaction/bet", async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!(await signatureMatches([await key], c.req.header("x-signature"), raw))) return c.json({ status: "RS_ERROR_INVALID_SIGNATURE" }, 401);
    const body = JSON.parse(new TextDecoder().decode(raw)) as { token: string };
    return c.json({ status: "RS_OK", user: body.token.length > 0 ? "player" : "", currency: "KRW", balance: 1_000_000, transaction_id: crypto.randomUUID() });
  });
  return Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
}

const server = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await server.unsafe(`CREATE DATABASE ${SCRATCH}`);
let node: BenchNode | undefined;
const nodeOptions = { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, dataDir, localAsks: LOCAL_ASKS };

// the edge and the mailbox alone: a wallet that answers at once
const instant = await startBenchNode({ ...nodeOptions, label: "instant", instantWallet: true });
const instantBrand = await prepareBrand(instant, PLAYERS);
node = await startBenchNode({ ...nodeOptions, label: "real" });
const { brand } = node;
const { parts } = node.node;
const real = await prepareBrand(node, PLAYERS);
const { provider } = real;
const bare = bareServer(real.secret);
const plan = { secret: real.secret, tokens: real.tokens, inFlight: IN_FLIGHT, rate: 0, seconds: SECONDS };
const bareUrl = `http://127.0.0.1:${bare.port}/callbacks/${provider}/transaction/bet`;

console.log(
  `callback bench: one brand, ${PLAYERS} players, ${IN_FLIGHT} in flight, ${SECONDS} s per run, mailbox ${parts.system.transport.kind}, asks ${DELIVERY}, store ${parts.store.kind}; load ${loadAverage()}`,
);
await load("warm-up", bareUrl, { ...plan, mode: "closed", seconds: 1 });
const ceiling = await measure(() => load("bare Hono: signature + echo (ceiling)", bareUrl, { ...plan, mode: "closed" }));
const instantPlan = { ...plan, secret: instantBrand.secret, tokens: instantBrand.tokens };
await load("warm-up", instantBrand.betUrl, { ...instantPlan, mode: "closed", seconds: 1 });
const edgeAlone = await measure(() => load(`callback edge -> instant wallet (${DELIVERY})`, instantBrand.betUrl, { ...instantPlan, mode: "closed" }));
const edgeAloneSteady = await measure(() =>
  load("instant wallet at 80% of its peak (open loop)", instantBrand.betUrl, { ...instantPlan, mode: "open", rate: Math.max(1, Math.floor(edgeAlone.perSecond * 0.8)) }),
);
await instant.stop();

let sequence = 0;
const inProcess = async (): Promise<Figure> => {
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < started + SECONDS * 1000) {
      const n = sequence++;
      const t0 = performance.now();
      const outcome = await parts.system.askOutcome(`wallet@${brand}`, "bet", {
        provider,
        player: `p${n % PLAYERS}`,
        round: `ip-${n}`,
        gameCode: "slot-1",
        gameCategory: "slots",
        currency: "KRW",
        transactionUuid: `ip-${runId}-${n}`,
        amount: 1,
      });
      latencies.push(performance.now() - t0);
      if (outcome.ok) count++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.floor(p * (latencies.length - 1))] ?? NaN;
  return { name: `wallet@brand asked directly (${DELIVERY})`, perSecond: count / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), errors, count, loadCpuMs: 0 };
};
const wallet = await measure(inProcess);

// the plain service: a transaction per bet through a pool of 10, then of 20 connections
await preparePlainService(DATABASE_URL, PLAYERS, 1_000_000_000n);
const plains: Figure[] = [];
for (const pool of [10, 20]) {
  const plainService = await startPlainService({ databaseUrl: DATABASE_URL, pool, providerSecret: real.secret, sessionSecret: node.node.config.secrets.session });
  const plainUrl = `${plainService.url}/callbacks/${provider}/transaction/bet`;
  await load("warm-up", plainUrl, { ...plan, mode: "closed", seconds: 1 });
  plains.push(await measure(() => load(`plain service, transaction per bet (pool ${pool})`, plainUrl, { ...plan, mode: "closed" })));
  await plainService.stop();
}
const plain = plains.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

await load("warm-up", real.betUrl, { ...plan, mode: "closed", seconds: 1 });
const edge = await measure(() => load("callback edge -> wallet@brand (peak)", real.betUrl, { ...plan, mode: "closed" }));
const steady = await measure(() => load("callback edge at 80% of peak (open loop)", real.betUrl, { ...plan, mode: "open", rate: Math.max(1, Math.floor(edge.perSecond * 0.8)) }));

console.log(
  `edge / ceiling:            ${(edge.perSecond / ceiling.perSecond).toFixed(2)} with the wallet, ${(edgeAlone.perSecond / ceiling.perSecond).toFixed(2)} with an instant wallet (target >= 0.33)`,
);
console.log(
  `edge / plain:              ${(edge.perSecond / plain.perSecond).toFixed(2)} (${plain.name}; target >= 3); p50 ${edge.p50.toFixed(1)} vs ${plain.p50.toFixed(1)} ms, p99 ${edge.p99.toFixed(1)} vs ${plain.p99.toFixed(1)} ms`,
);
console.log(`edge / wallet in-process:  ${(edge.perSecond / wallet.perSecond).toFixed(2)} (the edge's overhead as a ratio)`);
console.log(`load average at the end:    ${loadAverage()}`);
console.log(`p99 at 80% of peak:        ${steady.p99.toFixed(1)} ms with the wallet, ${edgeAloneSteady.p99.toFixed(1)} ms with an instant wallet (target < 50 ms)`);
bare.stop(true);
await node.stop();
await server.unsafe(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
await server.end({ timeout: 5 });
process.exit(0);
