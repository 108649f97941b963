import { afterAll, beforeAll, describe, expect } from "bun:test";
import { type CentralStore, openCentralStore } from "../../actors/runtime/central-store.ts";
import { walletAddress } from "../../actors/wallet/index.ts";
import { callbackFixture, fund, launch } from "../callbacks/provider-client.ts";
import { tempDir, waitFor } from "../support/services.ts";
import { betLoad, CAN_RUN_FAULT_TESTS, expectMoneyHeld, expectNoCrashOrDegradation, faultTest } from "./fault-harness.ts";
import { PrivatePostgres, PrivateRedis } from "./private-services.ts";

/**
 * Outages of a Redis and a PostgreSQL of this file's own, under signed provider bets: callers
 * are answered in time during the outage, work resumes at once after it, nothing acknowledged
 * is lost or applied twice, and an outage is neither a crash nor a dead letter.
 */
const ASK_TIMEOUT_MS = 1000;

describe("outages under provider load", () => {
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;
  let store: CentralStore;

  beforeAll(async () => {
    if (!CAN_RUN_FAULT_TESTS) return;
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

  faultTest("Redis away and back: answered within the ask timeout, served in process meanwhile, RS_OK within 2 s of the return, nothing lost or doubled", async () => {
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
      // the wallet is hosted on the node whose edge is called: its asks need no Redis, so bets
      // go on through the outage (the node holds its brands; with leases, until they run out)
      expect(during.some((c) => c.status === "RS_OK")).toBe(true);
      const firstOk = load.calls.filter((c) => c.started >= upAt && c.status === "RS_OK").sort((a, b) => a.ended - b.ended)[0]!;
      expect(firstOk.ended - upAt).toBeLessThan(2000);
      // no queue grew while Redis was away
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      await expectMoneyHeld(node, store, brand, provider, player, funded, load.calls);
      expectNoCrashOrDegradation(node, brand);
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
      expectNoCrashOrDegradation(node, brand);
      expect((await node.ctx.system.transport.stats(walletAddress(brand))).deadLetters).toBe(0);
    } finally {
      await node.close();
    }
  });
});
