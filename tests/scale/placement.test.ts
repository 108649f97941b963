import { afterAll, afterEach, beforeAll, describe, expect } from "bun:test";
import { join } from "node:path";
import { CAN_RUN_FAULT_TESTS, faultTest } from "../faults/fault-harness.ts";
import { waitFor } from "../support/services.ts";
import { Cluster, type ClusterNode, type Seeded } from "./cluster.ts";
import { type Call, providerLoad } from "./provider-load.ts";

/**
 * Several `supervisor start` nodes on this host, sharing a data dir, a PostgreSQL and a Redis
 * of the test's own: brands placed by leases, failover when a node is killed or frozen, a
 * node joining, a node drained, all under signed provider bets through every live node's
 * callback edge. The scenarios run in order on one cluster.
 */
const BRANDS = 6;
const FUNDED = 1_000_000;
/** what the issue asks of a failover, from the kill to the brand's next answer */
const FAILOVER_MS = 5000;
const ROOT = join(import.meta.dir, "../..");

const report = (line: string) => console.log(`  scale: ${line}`);

describe("several nodes: brands placed by leases", () => {
  let cluster: Cluster;
  let seed: Seeded;
  let ops: ClusterNode;

  beforeAll(async () => {
    if (!CAN_RUN_FAULT_TESTS) return;
    cluster = await Cluster.start();
    ops = await cluster.addNode("node-a");
    await Promise.all([cluster.addNode("node-b"), cluster.addNode("node-c")]);
    seed = await cluster.seed(ops, BRANDS, FUNDED);
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  // a scenario that failed half way leaves no load running into the next
  const loads: ReturnType<typeof providerLoad>[] = [];
  const startLoad = (targets: () => ClusterNode[]) => {
    const load = providerLoad(seed, targets);
    loads.push(load);
    return load;
  };
  afterEach(async () => {
    for (const load of loads.splice(0)) await load.stop();
  }, 30_000);

  /** Units per live node once they spread within one of even over them, every unit held. */
  const evenSpread = async (nodes: ClusterNode[]) =>
    waitFor(
      async () => {
        const holders = await cluster.holders(ops);
        const counts = nodes.map((n) => [...holders.values()].filter((h) => h === n.name).length);
        const even = holders.size === BRANDS + 1 && counts.reduce((a, b) => a + b, 0) === BRANDS + 1 && Math.max(...counts) - Math.min(...counts) <= 1;
        return even ? holders : undefined;
      },
      { what: "units spread within one of even", timeoutMs: 15_000 },
    );

  const brandsOf = (holders: Map<string, string>, node: ClusterNode) => seed.brands.filter((b) => holders.get(b) === node.name);

  faultTest("three nodes: the brands and the global actors spread within one of even, each unit on one node", async () => {
    const holders = await evenSpread(cluster.nodes);
    const counts = cluster.nodes.map((n) => [...holders.values()].filter((h) => h === n.name).length).sort();
    expect(counts).toEqual([2, 2, 3]);
    // each node hosts exactly the units it holds
    for (const node of cluster.nodes) {
      const status = await node.ops<{ actors: { address: string }[] }>("GET", "/status");
      const hosted = new Set(status.actors.map((a) => a.address.split("@")[1] ?? "_global"));
      expect([...hosted].sort()).toEqual(
        [...holders]
          .filter(([, n]) => n === node.name)
          .map(([u]) => u)
          .sort(),
      );
    }
    report(`spread over 3 nodes: ${counts.join("/")} units (${BRANDS} brands + _global)`);
  });

  faultTest("SIGKILL of a node under load: its brands answer again within 5 s, every acknowledged bet is in the ledger once", async () => {
    const holders = await evenSpread(cluster.nodes);
    const victim = cluster.nodes.filter((n) => n !== ops).sort((x, y) => brandsOf(holders, y).length - brandsOf(holders, x).length)[0]!;
    const lost = brandsOf(holders, victim);
    expect(lost.length).toBeGreaterThan(0);
    const down: ClusterNode[] = [];
    const load = startLoad(() => cluster.live(down));
    await waitFor(() => seed.brands.every((b) => load.answered(b) > 10), { what: "bets on every brand before the kill", timeoutMs: 15_000 });

    const killedAt = performance.now();
    victim.signal("SIGKILL");
    down.push(victim);
    const recovery = await Promise.all(lost.map((brand) => answeredAgain(load, brand, killedAt)));
    await waitFor(() => seed.brands.every((b) => load.calls.some((c) => c.brand === b && c.status === "RS_OK" && c.started > killedAt + Math.max(...recovery))), {
      what: "every brand answering after",
    });
    await load.stop();
    await victim.exited;
    cluster.forget(victim);

    report(
      `SIGKILL of ${victim.name} (brands ${lost.join(", ")}): answered again after ${recovery.map((ms) => `${Math.round(ms)} ms`).join(", ")}; ${load.calls.length} calls, ${load.answered()} RS_OK, ${retries(load.calls)} retried, not answered: ${unanswered(load.calls)}`,
    );
    for (const ms of recovery) expect(ms).toBeLessThan(FAILOVER_MS);
    const after = await evenSpread(cluster.live());
    for (const brand of lost) expect(after.get(brand)).not.toBe(victim.name);
    await expectEveryAcknowledgedBetOnce(cluster, seed, load.calls);
  });

  faultTest("a node that joins gets brands handed over, within one of even", async () => {
    const before = await evenSpread(cluster.live());
    const joined = await cluster.addNode("node-d");
    const after = await evenSpread(cluster.live());
    const moved = [...after].filter(([, n]) => n === joined.name).map(([u]) => u);
    expect(moved.length).toBeGreaterThanOrEqual(2);
    for (const unit of moved) expect(before.get(unit)).toBeDefined();
    report(
      `node-d joined: took ${moved.join(", ")}; spread ${cluster
        .live()
        .map((n) => [...after.values()].filter((h) => h === n.name).length)
        .join("/")}`,
    );
  });

  faultTest("SIGSTOP of a wallet's node past its lease: another takes the brand over; resumed, the old writer steps down and commits nothing", async () => {
    const holders = await evenSpread(cluster.live());
    const frozen = cluster.live().find((n) => n !== ops && brandsOf(holders, n).length > 0)!;
    const brand = brandsOf(holders, frozen)[0]!;
    const epochOf = async () => (await cluster.store.query<{ epoch: bigint; holder: string }>("SELECT epoch, holder FROM wallet_epochs WHERE brand_id = $1", [brand]))[0]!;
    const away: ClusterNode[] = [];
    const load = startLoad(() => cluster.live(away));
    await waitFor(() => load.answered(brand) > 20, { what: "bets on the brand before the pause", timeoutMs: 15_000 });
    const before = await epochOf();
    expect(before.holder).toBe(frozen.name);

    const stoppedAt = performance.now();
    frozen.signal("SIGSTOP");
    away.push(frozen);
    const takeoverMs = await answeredAgain(load, brand, stoppedAt);
    const taken = await epochOf();
    expect(taken.holder).not.toBe(frozen.name);
    expect(BigInt(taken.epoch)).toBeGreaterThan(BigInt(before.epoch));

    frozen.signal("SIGCONT");
    const steppedDown = await waitFor(() => logLines(frozen).find((l) => l.msg === "lease lost: stepping down from the unit" && l.unit === brand), {
      what: "the resumed node to step down",
      timeoutMs: 10_000,
    });
    await waitFor(async () => !(await frozen.units()).includes(brand), { what: "the resumed node's own view without the brand" });
    await load.stop();

    // every commit checks the brand's epoch: the old writer's is superseded, and the resumed
    // node took no new one before stepping down (a later take by lease would be a new writer)
    const now = await epochOf();
    const retaken = logLines(frozen).findIndex((l) => l.msg === "unit taken" && l.unit === brand && l.t > steppedDown.t);
    if (now.holder === frozen.name) expect(retaken).toBeGreaterThanOrEqual(0);
    else expect(now).toEqual(taken);
    report(
      `SIGSTOP of ${frozen.name} (wallet@${brand}): brand answered by ${taken.holder} after ${Math.round(takeoverMs)} ms (epoch ${before.epoch} -> ${taken.epoch}); resumed, it stepped down; ${load.calls.length} calls, ${retries(load.calls)} retried`,
    );
    await expectEveryAcknowledgedBetOnce(cluster, seed, load.calls);
  });

  faultTest("supervisor drain under load: the node's brands move, no call fails beyond the retries the contract allows", async () => {
    await evenSpread(cluster.live());
    const drained = cluster.live().find((n) => n !== ops)!;
    const out: ClusterNode[] = [];
    const load = startLoad(() => cluster.live(out));
    await waitFor(() => seed.brands.every((b) => load.answered(b) > 10), { what: "bets before the drain", timeoutMs: 15_000 });

    const cli = Bun.spawn([process.execPath, "supervisor/cli.ts", "drain"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        SERVICE_TOKEN: cluster.serviceToken,
        INTERNAL_PORT: new URL(drained.internal).port,
        DATA_DIR: process.env.TMPDIR ?? "/tmp",
        JWT_SECRET: "x".repeat(32),
        SESSION_TOKEN_SECRET: "y".repeat(32),
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await cli.exited).toBe(0);
    const said = await new Response(cli.stdout).text();
    expect(said).toMatch(new RegExp(`^node ${drained.name} drained in \\d+ ms: handed over \\d+ unit\\(s\\)`));
    expect(await drained.units()).toEqual([]);
    // still serving its edge, through the nodes that took its brands
    const atDrain = load.calls.length;
    await waitFor(() => load.calls.slice(atDrain).filter((c) => c.nodes.at(-1) === drained.name && c.status === "RS_OK").length > 5, {
      what: "bets through the drained node's edge",
    });
    out.push(drained);
    const atStop = load.calls.length;
    drained.signal("SIGTERM");
    expect(await drained.exited).toBe(0);
    cluster.forget(drained);
    await waitFor(() => load.calls.length > atStop + 30, { what: "bets after the drained node stopped" });
    await load.stop();

    report(
      `supervisor drain of ${drained.name}: ${said.trim()}; ${load.calls.length} calls, ${load.answered()} RS_OK, ${retries(load.calls)} retried, slowest ${Math.round(Math.max(...load.calls.map((c) => c.ended - c.started)))} ms`,
    );
    expect(load.calls.filter((c) => c.status !== "RS_OK")).toEqual([]);
    await evenSpread(cluster.live());
    await expectEveryAcknowledgedBetOnce(cluster, seed, load.calls);
  });

  faultTest("Redis away and back: every node gives its brands up within a lease time, and they answer again within 2 s of Redis's return", async () => {
    await evenSpread(cluster.live());
    const load = startLoad(() => cluster.live());
    await waitFor(() => seed.brands.every((b) => load.answered(b) > 10), { what: "bets before the outage", timeoutMs: 15_000 });
    await cluster.privateRedis.down();
    const downAt = performance.now();
    await waitFor(async () => (await Promise.all(cluster.live().map((n) => n.ops<{ actors: unknown[] }>("GET", "/status")))).every((s) => s.actors.length === 0), {
      what: "every node to step down",
      timeoutMs: 10_000,
    });
    const steppedDownMs = performance.now() - downAt;
    await cluster.privateRedis.up();
    const upAt = performance.now();
    const firstAnswers = await Promise.all(seed.brands.map((brand) => answeredAgain(load, brand, upAt)));
    await load.stop();
    report(
      `Redis away ${Math.round(upAt - downAt)} ms: every node stepped down after ${Math.round(steppedDownMs)} ms; brands answered again ${Math.round(Math.min(...firstAnswers))}-${Math.round(Math.max(...firstAnswers))} ms after its return; not answered: ${unanswered(load.calls)}`,
    );
    // the failure policy's bound for the first RS_OK after a return, here for every brand
    expect(Math.max(...firstAnswers)).toBeLessThan(2000);
    await evenSpread(cluster.live());
    await expectEveryAcknowledgedBetOnce(cluster, seed, load.calls);
  });
});

const retries = (calls: Call[]) => calls.filter((c) => c.attempts > 1).length;

/**
 * How long after `since` a bet on `brand` is answered `RS_OK`: a bet sent from then on, and
 * again until answered (the load's own caller of the brand may still be waiting on a node that
 * was killed, frozen or lost its mailbox).
 */
async function answeredAgain(load: ReturnType<typeof providerLoad>, brand: string, since: number): Promise<number> {
  while (performance.now() - since < 20_000) if ((await load.bet(brand)).status === "RS_OK") return performance.now() - since;
  throw new Error(`${brand} was not answered again within 20 s`);
}

/** Final answers other than RS_OK, counted by status: `RS_ERROR_UNKNOWN x2`. */
const unanswered = (calls: Call[]) => {
  const counts = new Map<string, number>();
  for (const c of calls) if (c.status !== "RS_OK") counts.set(`${c.status} (HTTP ${c.http})`, (counts.get(`${c.status} (HTTP ${c.http})`) ?? 0) + 1);
  const example = (key: string) => calls.find((c) => `${c.status} (HTTP ${c.http})` === key)?.body?.slice(0, 160);
  return counts.size === 0 ? "none" : [...counts].map(([status, n]) => `${status} x${n} (${example(status)})`).join(", ");
};

/** The node's JSON log lines. */
function logLines(node: ClusterNode): { t: string; msg: string; unit?: string }[] {
  return node
    .logs()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** Each acknowledged bet in the ledger once, none twice, each player's cash the funding less its bets, every ledger reconciled. */
async function expectEveryAcknowledgedBetOnce(cluster: Cluster, seed: Seeded, calls: Call[]) {
  const keys = calls.map((c) => `p:${seed.provider.code}:${c.uuid}`);
  const rows = await cluster.store.query<{ key: string; n: bigint }>(
    `SELECT idempotency_key AS key, count(*) AS n FROM wallet_transactions
     WHERE brand_id = ANY($1::text[]) AND kind = 'bet' AND status = 'accepted' AND idempotency_key = ANY($2::text[]) GROUP BY idempotency_key`,
    [seed.brands, keys],
  );
  const counted = new Map(rows.map((r) => [r.key.slice(`p:${seed.provider.code}:`.length), Number(r.n)]));
  for (const call of calls) if (call.status === "RS_OK") expect(counted.get(call.uuid)).toBe(1);
  for (const n of counted.values()) expect(n).toBe(1);
  const bets = await cluster.store.query<{ brand_id: string; n: bigint }>(
    "SELECT brand_id, count(*) AS n FROM wallet_transactions WHERE brand_id = ANY($1::text[]) AND kind = 'bet' AND status = 'accepted' GROUP BY brand_id",
    [seed.brands],
  );
  const cash = await cluster.store.query<{ brand_id: string; balance: bigint }>(
    "SELECT brand_id, balance FROM wallet_accounts WHERE brand_id = ANY($1::text[]) AND owner_kind = 'player' AND type = 'cash'",
    [seed.brands],
  );
  for (const account of cash) {
    const spent = Number(bets.find((b) => b.brand_id === account.brand_id)?.n ?? 0);
    expect(Number(account.balance)).toBe(seed.funded - spent);
  }
  const via = cluster.live()[0]!;
  const reconciled = await via.ops<{ ok: boolean; reports: unknown[] }>("POST", "/reconcile");
  expect(reconciled.ok).toBe(true);
}
