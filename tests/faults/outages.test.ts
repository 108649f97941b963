import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openCentralStore, type CentralStore } from "../../actors/runtime/central-store.ts";
import { walletAddress } from "../../actors/wallet/index.ts";
import { callbackFixture, cash, fund, launch, reconcile, type ProviderClient } from "../callbacks/provider-client.ts";
import type { CallbackNode } from "../callbacks/callback-node.ts";
import { REQUIRE_SERVICES, tempDir, waitFor } from "../support/services.ts";
import { MISSING_BINARIES, PrivatePostgres, PrivateRedis } from "./private-services.ts";

/**
 * Outages of a Redis and a PostgreSQL of this file's own, under signed provider bets: callers
 * are answered in time during the outage, work resumes at once after it, nothing acknowledged
 * is lost or applied twice, and an outage is neither a crash nor a dead letter. Runs where
 * services are required (CI's real-services pass) or with FAULT_TESTS=1.
 */
const RUN = REQUIRE_SERVICES || process.env.FAULT_TESTS === "1";
const ASK_TIMEOUT_MS = 1000;
const faultTest = (name: string, fn: () => Promise<void>, timeout = 60_000) => {
  if (!RUN) return test.skip(`${name} (fault tests run with TEST_REQUIRE_SERVICES=1 or FAULT_TESTS=1)`, () => {});
  if (MISSING_BINARIES.length > 0) {
    if (REQUIRE_SERVICES) return test(name, () => void expect(`missing: ${MISSING_BINARIES.join(", ")}`).toBe("no binary missing"));
    return test.skip(`${name} (skipped: ${MISSING_BINARIES.join(", ")} not installed)`, () => {});
  }
  return test(name, fn, timeout);
};

type Call = { uuid: string; started: number; ended: number; http: number; status: string };

/**
 * Signed bets from `loops` callers, each waiting for its answer before the next, until
 * `stop()`: every call's timing and answer, for the checks afterwards.
 */
function betLoad(provider: ProviderClient, token: string, loops: number) {
  const calls: Call[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const uuid = crypto.randomUUID();
      const started = performance.now();
      const body = { token, transaction_uuid: uuid, round: `r-${uuid}`, game_code: "slot-1", amount: 1, currency: "KRW" };
      let http = 0;
      let status = "network_error";
      try {
        const reply = await provider.call("transaction/bet", body);
        http = reply.http;
        status = String(reply.body.status);
      } catch {}
      calls.push({ uuid, started, ended: performance.now(), http, status });
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    calls,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** The bets the ledger holds for these transaction uuids: each acknowledged one exactly once. */
async function betsInLedger(store: CentralStore, brand: string, provider: string, uuids: string[]): Promise<Map<string, number>> {
  const rows = await store.query<{ key: string; n: bigint }>(
    `SELECT idempotency_key AS key, count(*) AS n FROM wallet_transactions
     WHERE brand_id = $1 AND kind = 'bet' AND status = 'accepted' AND idempotency_key = ANY($2::text[]) GROUP BY idempotency_key`,
    [brand, uuids.map((u) => `p:${provider}:${u}`)],
  );
  return new Map(rows.map((r) => [r.key.slice(`p:${provider}:`.length), Number(r.n)]));
}

async function expectMoneyHeld(node: CallbackNode, store: CentralStore, brand: string, provider: ProviderClient, player: string, funded: number, calls: Call[]) {
  const acknowledged = calls.filter((c) => c.status === "RS_OK").map((c) => c.uuid);
  const inLedger = await betsInLedger(store, brand, provider.code, calls.map((c) => c.uuid));
  for (const uuid of acknowledged) expect(inLedger.get(uuid)).toBe(1);
  for (const count of inLedger.values()) expect(count).toBe(1);
  // every bet is 1: the cash is the funding less the bets the ledger holds, each once
  expect(await cash(node, brand, player)).toBe(BigInt(funded - inLedger.size));
  expect((await reconcile(node, brand)).ok).toBe(true);
}

function expectNoCrashOrDeadLetter(node: CallbackNode, brand: string) {
  const wallet = node.ctx.system.status().find((s) => s.address === walletAddress(brand))!;
  expect(wallet.restarts).toBe(0);
  expect(node.ctx.system.degradation("wallet", brand)).toBeNull();
}

describe("outages under provider load", () => {
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  let store: CentralStore;

  beforeAll(async () => {
    if (!RUN || MISSING_BINARIES.length > 0) return;
    [redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
    store = await openCentralStore({ databaseUrl: postgres.url, dataDir: tempDir("faults"), max: 8 });
    await store.migrate();
  }, 30_000);

  afterAll(async () => {
    await store?.close();
    await Promise.all([redis?.stop(), postgres?.stop()]);
  }, 20_000);

  const fixture = async () => {
    const { node, brand, providers } = await callbackFixture(["standard"], { store, env: { REDIS_URL: redis.url, ASK_TIMEOUT_MS: String(ASK_TIMEOUT_MS) } });
    const player = `pl-${crypto.randomUUID().slice(0, 8)}`;
    const funded = 1_000_000;
    await fund(node, brand, player, funded);
    const token = await launch(node, brand, player, providers.standard.code);
    return { node, brand, provider: providers.standard, player, funded, token };
  };

  faultTest("Redis away and back: answered within the ask timeout, RS_OK within 2 s of the return, nothing lost or doubled", async () => {
    const { node, brand, provider, player, funded, token } = await fixture();
    try {
      const load = betLoad(provider, token, 8);
      await waitFor(() => load.calls.filter((c) => c.status === "RS_OK").length > 50, { what: "bets before the outage", timeoutMs: 10_000 });
      const heapBefore = process.memoryUsage().heapUsed;
      await redis.down();
      const downAt = performance.now();
      await waitFor(() => load.calls.filter((c) => c.started > downAt + 100).length > 100, { what: "calls during the outage", timeoutMs: 10_000 });
      await redis.up();
      const upAt = performance.now();
      await waitFor(() => load.calls.some((c) => c.started >= upAt && c.status === "RS_OK"), { what: "an RS_OK after the return", timeoutMs: 5000 });
      await load.stop();

      const during = load.calls.filter((c) => c.started > downAt && c.ended < upAt);
      expect(during.length).toBeGreaterThan(0);
      for (const call of during) expect(call.ended - call.started).toBeLessThan(ASK_TIMEOUT_MS + 1000);
      expect(during.every((c) => c.status !== "RS_OK")).toBe(true);
      const firstOk = load.calls.filter((c) => c.started >= upAt && c.status === "RS_OK").sort((a, b) => a.ended - b.ended)[0]!;
      expect(firstOk.ended - upAt).toBeLessThan(2000);
      // no queue grew while Redis was away
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      await expectMoneyHeld(node, store, brand, provider, player, funded, load.calls);
      expectNoCrashOrDeadLetter(node, brand);
    } finally {
      await node.close();
    }
  });

  faultTest("PostgreSQL away and back: answered at once with a retry-later, RS_OK within 2 s of the return, no crash, no dead letter", async () => {
    const { node, brand, provider, player, funded, token } = await fixture();
    try {
      const load = betLoad(provider, token, 8);
      await waitFor(() => load.calls.filter((c) => c.status === "RS_OK").length > 50, { what: "bets before the outage", timeoutMs: 10_000 });
      await postgres.down();
      const downAt = performance.now();
      await waitFor(() => load.calls.filter((c) => c.started > downAt + 100).length > 100, { what: "calls during the outage", timeoutMs: 10_000 });
      await postgres.up();
      const upAt = performance.now();
      await waitFor(() => load.calls.some((c) => c.started >= upAt && c.status === "RS_OK"), { what: "an RS_OK after the return", timeoutMs: 5000 });
      await load.stop();

      const during = load.calls.filter((c) => c.started > downAt + 100 && c.ended < upAt);
      expect(during.length).toBeGreaterThan(0);
      for (const call of during) expect(call.ended - call.started).toBeLessThan(ASK_TIMEOUT_MS + 1000);
      // most are refused at once, certainly not applied: 503 with a retry-later
      expect(during.filter((c) => c.http === 503).length).toBeGreaterThan(during.length / 2);
      const firstOk = load.calls.filter((c) => c.started >= upAt && c.status === "RS_OK").sort((a, b) => a.ended - b.ended)[0]!;
      expect(firstOk.ended - upAt).toBeLessThan(2000);
      await expectMoneyHeld(node, store, brand, provider, player, funded, load.calls);
      expectNoCrashOrDeadLetter(node, brand);
      expect((await node.ctx.system.transport.stats(walletAddress(brand))).deadLetters).toBe(0);
    } finally {
      await node.close();
    }
  });
});
