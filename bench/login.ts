/**
 * Login benchmark: what a login storm costs at the chosen argon2id cost, and why the verify
 * runs outside `player@brand`'s turn.
 *   node_modules/.bin/bun bench/login.ts
 * Side by side:
 *   - bare argon2id verifies at the platform cost and at Bun's default cost;
 *   - full logins through player@brand (challenge, verify on the caller in one hashing slot
 *     per core, verdict), with the latency of other players' session checks during the storm
 *     against an idle baseline;
 *   - the rejected design: the same verify inside the actor's turn.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { Credentials, credentialOptions, hashingSlots, MemoryAttemptCounter, PASSWORD_COST } from "../actors/credentials/index.ts";
import { hashPassword, logIn, playerClient, playerKind, registerPlayer } from "../actors/player/index.ts";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, ok } from "../actors/runtime/index.ts";
import { ShardPool } from "../shards/index.ts";

const RUN_MS = Number(process.env.BENCH_MS ?? 3000);
const CLIENTS = 16;
const PLAYERS = 32;
const PASSWORD = "bench password 1";
const BUN_DEFAULT = { algorithm: "argon2id", memoryCost: 65_536, timeCost: 2 } as const;

type Stats = { count: number; perSecond: number; p50: number; p99: number };

function stats(latencies: number[], ms: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, perSecond: (sorted.length * 1000) / ms, p50: at(0.5), p99: at(0.99) };
}

/** `workers` loops running `op` until the time is up; the latency of each op. */
async function loop(workers: number, ms: number, op: (i: number) => Promise<unknown>): Promise<Stats> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; performance.now() < end; i += workers) {
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  // the last ops finish after the deadline: count the time they took
  return stats(latencies, performance.now() - started);
}

function newSystem(kind: ActorKind) {
  return new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 5, claimIdleMs: 30_000 }),
    nodeId: `bench-${crypto.randomUUID().slice(0, 8)}`,
    log: createLogger("warn"),
    supervision: { backoffMs: 10, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: 60_000,
    maxQueued: 10_000,
    idleMs: 600_000,
  }).register(kind);
}

/** Probes another player's session check every few ms while `storm` runs. */
async function probed<T>(probe: () => Promise<unknown>, storm: Promise<T>): Promise<{ result: T; probe: Stats }> {
  const latencies: number[] = [];
  let done = false;
  const started = performance.now();
  const prober = (async () => {
    while (!done) {
      const t = performance.now();
      await probe();
      latencies.push(performance.now() - t);
      await Bun.sleep(5);
    }
  })();
  const result = await storm;
  done = true;
  await prober;
  return { result, probe: stats(latencies, performance.now() - started) };
}

async function throughPlayerActor() {
  const shards = new ShardPool(mkdtempSync(join(tmpdir(), "bench-login-")), 600_000);
  const system = newSystem(playerKind({ shards }));
  await system.start();
  const brand = "bench-login";
  await system.host("player", brand);
  // the sign-in throttle never refuses here: every password is right
  const auth = { players: playerClient(system, brand), credentials: new Credentials(credentialOptions(), new MemoryAttemptCounter()), brand };
  const users = Array.from({ length: PLAYERS }, (_, i) => `bench_${i}`);
  for (const [i, username] of users.entries()) {
    await registerPlayer(auth, { username, password: PASSWORD, nickname: `bench${i}`, phone: "010-0000-0000", bank: { name: "Bench", account: "000-000-0000", holder: "Bench" } });
  }
  const issue = async () => ({ token: "", jti: crypto.randomUUID() });
  const prober = await logIn(auth, { username: users[0]!, password: PASSWORD, client: { address: null } }, async () => ({ token: "", jti: "bench-probe" }));
  if (!prober.ok) throw new Error(`login failed: ${JSON.stringify(prober.error)}`);
  const probe = () => system.askOutcome(`player@${brand}`, "sessionCheck", { playerId: prober.value.player.id, jti: "bench-probe" });
  const idle = await loop(1, 500, probe);
  const storm = await probed(
    probe,
    loop(CLIENTS, RUN_MS, (i) => logIn(auth, { username: users[i % PLAYERS]!, password: PASSWORD, client: { address: null } }, issue)),
  );
  await system.drain();
  shards.close();
  return { logins: storm.result, probe: storm.probe, idle };
}

/** The rejected design: one actor verifies inside its turn, so every message waits behind it. */
async function insideTheTurn() {
  const verifyKind: ActorKind = {
    domain: "player",
    scope: "brand",
    messages: { verify: z.object({ hash: z.string(), password: z.string() }), ping: z.object({}) },
    create: () => ({
      recall: async () => new Map(),
      receive: async (batch) =>
        batch.map((m) => (m.type === "verify" ? ok(Bun.password.verifySync((m.body as { password: string }).password, (m.body as { hash: string }).hash)) : ok(true))),
    }),
  };
  const system = newSystem(verifyKind);
  await system.start();
  await system.host("player", "bench-turn");
  const hash = await hashPassword(PASSWORD);
  const probe = () => system.askOutcome("player@bench-turn", "ping", {});
  const storm = await probed(
    probe,
    loop(CLIENTS, RUN_MS, () => system.askOutcome("player@bench-turn", "verify", { hash, password: PASSWORD })),
  );
  await system.drain();
  return { logins: storm.result, probe: storm.probe };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (s: Stats) => `${s.perSecond.toFixed(1)}/s`;

const platformHash = await hashPassword(PASSWORD);
const defaultHash = await Bun.password.hash(PASSWORD, BUN_DEFAULT);
const cores = navigator.hardwareConcurrency;
console.log(`argon2id cost: memoryCost ${PASSWORD_COST.memoryCost} KiB, timeCost ${PASSWORD_COST.timeCost}, 1 lane; ${cores} cores; ${RUN_MS} ms per run\n`);

const one = await loop(1, RUN_MS, () => Bun.password.verify(PASSWORD, platformHash));
const many = await loop(CLIENTS, RUN_MS, () => Bun.password.verify(PASSWORD, platformHash));
const lined = await loop(CLIENTS, RUN_MS, () => hashingSlots.run(() => Bun.password.verify(PASSWORD, platformHash)));
const heavy = await loop(CLIENTS, RUN_MS, () => Bun.password.verify(PASSWORD, defaultHash));
console.log("bare verifies                          rate       p50       p99");
console.log(`  platform cost, 1 at a time        ${rate(one).padStart(9)} ${ms(one.p50).padStart(9)} ${ms(one.p99).padStart(9)}`);
console.log(`  platform cost, ${CLIENTS} at a time       ${rate(many).padStart(9)} ${ms(many.p50).padStart(9)} ${ms(many.p99).padStart(9)}`);
console.log(
  `  platform cost, ${CLIENTS} in ${cores} slots      ${rate(lined).padStart(9)} ${ms(lined.p50).padStart(9)} ${ms(lined.p99).padStart(9)}   (slots/unbounded: ${(lined.perSecond / many.perSecond).toFixed(2)}x)`,
);
console.log(
  `  Bun default (64 MiB), ${CLIENTS} at a time ${rate(heavy).padStart(9)} ${ms(heavy.p50).padStart(9)} ${ms(heavy.p99).padStart(9)}   (platform/default: ${(many.perSecond / heavy.perSecond).toFixed(2)}x)`,
);

const actor = await throughPlayerActor();
const turn = await insideTheTurn();
console.log(`\nlogins, ${CLIENTS} clients                   rate       p50       p99   other players' requests p50 / p99`);
console.log(
  `  verify on the caller (chosen)    ${rate(actor.logins).padStart(9)} ${ms(actor.logins.p50).padStart(9)} ${ms(actor.logins.p99).padStart(9)}   ${ms(actor.probe.p50)} / ${ms(actor.probe.p99)}  (idle: ${ms(actor.idle.p50)} / ${ms(actor.idle.p99)})`,
);
console.log(
  `  verify inside the turn (baseline) ${rate(turn.logins).padStart(8)} ${ms(turn.logins.p50).padStart(9)} ${ms(turn.logins.p99).padStart(9)}   ${ms(turn.probe.p50)} / ${ms(turn.probe.p99)}`,
);
console.log(
  `\nratios chosen/baseline: logins ${(actor.logins.perSecond / turn.logins.perSecond).toFixed(2)}x, other players' p99 ${(turn.probe.p99 / Math.max(actor.probe.p99, 0.01)).toFixed(1)}x lower`,
);
