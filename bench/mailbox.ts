/**
 * Mailbox benchmark: ask/reply round trips through an ActorSystem over the in-memory and the
 * Redis Streams transport side by side, and the cost of idle brands hosted on one node.
 *   node_modules/.bin/bun bench/mailbox.ts
 * Redis is used when REDIS_URL (or redis://127.0.0.1:6379) answers; keys are removed after.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { type ActorKind, ActorSystem, createLogger, type MailboxTransport, MemoryTransport, ok, RedisTransport } from "../actors/runtime/index.ts";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const LIMITS = { maxDeliveries: 5, claimIdleMs: 30_000 };
const RUN_MS = 2000;
const BRANDS = 1000;
const DOMAINS = ["wallet", "player", "game"];

type Side = {
  name: "memory" | "redis";
  open(): MailboxTransport;
  connections(): Promise<number | undefined>;
  /** bytes the Redis server uses (shared server: other clients add noise) */
  serverMemory(): Promise<number | undefined>;
  cleanup(): Promise<void>;
};

function echoKind(domain: string, maxBatch: number): ActorKind {
  return {
    domain,
    scope: "brand",
    messages: { ping: z.object({ n: z.number() }) },
    maxBatch,
    create: () => ({ recall: async () => new Map(), receive: async (batch) => batch.map((m) => ok(m.body)) }),
  };
}

function system(transport: MailboxTransport, kinds: ActorKind[]): ActorSystem {
  const sys = new ActorSystem({
    transport,
    nodeId: `bench-${crypto.randomUUID().slice(0, 8)}`,
    log: createLogger("warn"),
    supervision: { backoffMs: 10, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: 10_000,
    maxQueued: 1000,
    idleMs: 60_000,
    deliverLocally: false, // the transports are what is measured, not the in-process path
  });
  for (const kind of kinds) sys.register(kind);
  return sys;
}

/** Asks/s and mean latency of `askers` concurrent askers looping on one actor for RUN_MS. */
async function askRate(sys: ActorSystem, address: string, askers: number): Promise<{ rate: number; meanMs: number }> {
  for (let i = 0; i < 50; i++) await sys.ask(address, "ping", { n: i });
  let done = 0;
  let latency = 0;
  const until = performance.now() + RUN_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: askers }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await sys.ask(address, "ping", { n: done });
        latency += performance.now() - t;
        done += 1;
      }
    }),
  );
  return { rate: done / ((performance.now() - started) / 1000), meanMs: latency / done };
}

async function throughput(side: Side, askers: number, maxBatch: number) {
  const transport = side.open();
  const sys = system(transport, [echoKind("echo", maxBatch)]);
  await sys.start();
  const address = await sys.host("echo", "bench");
  const result = await askRate(sys, address, askers);
  await sys.drain();
  await transport.close();
  return result;
}

function memoryUse() {
  Bun.gc(true);
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function idleBrands(side: Side) {
  const transport = side.open();
  const sys = system(
    transport,
    DOMAINS.map((d) => echoKind(d, 1)),
  );
  await sys.start();
  const before = memoryUse();
  const connectionsBefore = await side.connections();
  const serverBefore = await side.serverMemory();
  const started = performance.now();
  const suffix = crypto.randomUUID().slice(0, 6);
  for (let b = 0; b < BRANDS; b += 100) {
    const batch = Array.from({ length: 100 }, (_, i) => `b${b + i}-${suffix}`);
    await Promise.all(batch.flatMap((brand) => DOMAINS.map((d) => sys.host(d, brand))));
  }
  const hostMs = performance.now() - started;
  const after = memoryUse();
  const connections = await side.connections();
  const serverAfter = await side.serverMemory();
  const target = `game@b${BRANDS - 1}-${suffix}`;
  const t = performance.now();
  const reply = await sys.ask(target, "ping", { n: 42 });
  const firstAskMs = performance.now() - t;
  if ((reply as { n: number }).n !== 42) throw new Error(`${target} answered ${JSON.stringify(reply)}`);
  const busy = await askRate(sys, target, 64);
  const connectionsBusy = await side.connections();
  await sys.drain();
  await transport.close();
  return {
    mailboxes: sys.hosted().length,
    hostMs,
    rssPerBrand: (after.rss - before.rss) / BRANDS,
    heapPerBrand: (after.heapUsed - before.heapUsed) / BRANDS,
    connections: connections === undefined ? "-" : `${connectionsBefore} -> ${connections} -> ${connectionsBusy}`,
    serverPerBrand: serverAfter === undefined ? undefined : (serverAfter - serverBefore!) / BRANDS,
    firstAskMs,
    busyRate: busy.rate,
  };
}

async function redisSide(): Promise<Side | undefined> {
  const admin = new Redis(REDIS_URL, { protocol: 2, lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on("error", () => {});
  try {
    await admin.connect();
    await admin.ping();
  } catch {
    admin.disconnect();
    return undefined;
  }
  const run = crypto.randomUUID().slice(0, 8);
  const keyPrefix = `bench-${run}:`;
  const connectionName = `mailbox-bench-${run}`;
  return {
    name: "redis",
    open: () => new RedisTransport({ url: REDIS_URL, keyPrefix, limits: LIMITS, connectionName, log: createLogger("warn") }),
    connections: async () =>
      String(await admin.call("CLIENT", "LIST"))
        .split("\n")
        .filter((l) => l.includes(` name=${connectionName} `)).length,
    serverMemory: async () => Number(/used_memory:(\d+)/.exec(String(await admin.call("INFO", "memory")))![1]),
    cleanup: async () => {
      let cursor = "0";
      do {
        const [next, keys] = await admin.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 1000);
        if (keys.length > 0) await admin.del(...keys);
        cursor = next;
      } while (cursor !== "0");
      await admin.quit();
    },
  };
}

const memorySide: Side = {
  name: "memory",
  open: () => new MemoryTransport(LIMITS),
  connections: async () => undefined,
  serverMemory: async () => undefined,
  cleanup: async () => {},
};

function table(rows: Record<string, string | number>[]) {
  const cols = Object.keys(rows[0]!);
  const cell = (v: string | number) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]!).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padStart(widths[i]!)).join(" | ")} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]!))));
}

async function throughputTable(sides: Side[]) {
  const rows: Record<string, string | number>[] = [];
  for (const [askers, maxBatch] of [
    [1, 1],
    [64, 1],
    [64, 32],
  ] as const) {
    const results = new Map<string, { rate: number; meanMs: number }>();
    for (const side of sides) results.set(side.name, await throughput(side, askers, maxBatch));
    const mem = results.get("memory")!;
    const red = results.get("redis");
    rows.push({
      askers,
      maxBatch,
      "memory asks/s": Math.round(mem.rate),
      "memory mean ms": mem.meanMs,
      "redis asks/s": red ? Math.round(red.rate) : "-",
      "redis mean ms": red ? red.meanMs : "-",
      "redis/memory": red ? red.rate / mem.rate : "-",
    });
  }
  console.log("ask/reply round trips through an ActorSystem, one trivial actor");
  table(rows);
}

/** Each side in a fresh process, so RSS deltas are not blurred by the other side's garbage. */
async function idleInChild(side: Side["name"]): Promise<Awaited<ReturnType<typeof idleBrands>>> {
  const child = Bun.spawn([process.execPath, import.meta.path, `--idle=${side}`], { stdout: "pipe", stderr: "inherit", env: process.env });
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`idle-brand run for ${side} failed`);
  return JSON.parse(out);
}

async function idleTable(sides: Side[]) {
  const rows: Record<string, string | number>[] = [];
  for (const side of sides) {
    const r = await idleInChild(side.name);
    rows.push({
      transport: side.name,
      mailboxes: r.mailboxes,
      "host ms": Math.round(r.hostMs),
      "rss KiB/brand": r.rssPerBrand / 1024,
      "heap KiB/brand": r.heapPerBrand / 1024,
      "redis KiB/brand": r.serverPerBrand === undefined ? "-" : r.serverPerBrand / 1024,
      "redis connections": r.connections,
      "first ask ms": r.firstAskMs,
      "64 askers asks/s": Math.round(r.busyRate),
    });
  }
  console.log(`idle brands: ${BRANDS} brands x ${DOMAINS.length} domains hosted on one node, then 64 askers on one of them`);
  console.log("(each in a fresh process; memory after a full GC; redis connections: before hosting -> after -> after the busy run)");
  table(rows);
}

async function main() {
  const idleSide = process.argv.find((a) => a.startsWith("--idle="))?.slice("--idle=".length);
  if (idleSide) {
    const side = idleSide === "redis" ? await redisSide() : memorySide;
    try {
      console.log(JSON.stringify(await idleBrands(side!)));
    } finally {
      await side?.cleanup();
    }
    return;
  }
  console.log(
    `$ node_modules/.bin/bun ${process.argv
      .slice(1)
      .map((a) => a.replace(`${process.cwd()}/`, ""))
      .join(" ")}`,
  );
  const redis = await redisSide();
  console.log(`redis: ${redis ? REDIS_URL : "not reachable, memory only"}; ${RUN_MS} ms per run; ${navigator.hardwareConcurrency} cores\n`);
  const sides = redis ? [memorySide, redis] : [memorySide];
  try {
    await idleTable(sides);
    console.log();
    await throughputTable(sides);
  } finally {
    await redis?.cleanup();
  }
}

await main();
