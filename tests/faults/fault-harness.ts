import { expect, test } from "bun:test";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { walletAddress } from "../../actors/wallet/index.ts";
import type { CallbackNode } from "../callbacks/callback-node.ts";
import { cash, type ProviderClient, reconcile } from "../callbacks/provider-client.ts";
import { REQUIRE_SERVICES } from "../support/services.ts";
import { MISSING_BINARIES } from "./private-services.ts";

/**
 * The fault tests run where services are required (CI's real-services pass) or with
 * FAULT_TESTS=1; there, a missing binary is a failure, not a skip.
 */
export const RUN_FAULT_TESTS = REQUIRE_SERVICES || process.env.FAULT_TESTS === "1";
export const CAN_RUN_FAULT_TESTS = RUN_FAULT_TESTS && MISSING_BINARIES.length === 0;

export function faultTest(name: string, fn: () => Promise<void>, timeout = 60_000) {
  if (!RUN_FAULT_TESTS) return test.skip(`${name} (fault tests run with TEST_REQUIRE_SERVICES=1 or FAULT_TESTS=1)`, () => {});
  if (MISSING_BINARIES.length > 0) {
    if (REQUIRE_SERVICES) return test(name, () => void expect(`missing: ${MISSING_BINARIES.join(", ")}`).toBe("no binary missing"));
    return test.skip(`${name} (skipped: ${MISSING_BINARIES.join(", ")} not installed)`, () => {});
  }
  return test(name, fn, timeout);
}

export type Call = { uuid: string; started: number; ended: number; http: number; status: string };

/**
 * Signed bets of 1 from `loops` callers, each waiting for its answer before the next, until
 * `stop()`: every call's timing and answer, for the checks afterwards.
 */
export function betLoad(provider: ProviderClient, token: string, loops: number) {
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
    acknowledged: () => calls.filter((c) => c.status === "RS_OK").length,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** The bets the ledger holds for these transaction uuids, by uuid: each acknowledged one must be there exactly once. */
async function betsInLedger(store: CentralStore, brand: string, provider: string, uuids: string[]): Promise<Map<string, number>> {
  const rows = await store.query<{ key: string; n: bigint }>(
    `SELECT idempotency_key AS key, count(*) AS n FROM wallet_transactions
     WHERE brand_id = $1 AND kind = 'bet' AND status = 'accepted' AND idempotency_key = ANY($2::text[]) GROUP BY idempotency_key`,
    [brand, uuids.map((u) => `p:${provider}:${u}`)],
  );
  return new Map(rows.map((r) => [r.key.slice(`p:${provider}:`.length), Number(r.n)]));
}

/** No acknowledged bet lost, none applied twice, the cash exactly the funding less the bets held, the ledger reconciled. */
export async function expectMoneyHeld(node: CallbackNode, store: CentralStore, brand: string, provider: ProviderClient, player: string, funded: number, calls: Call[]) {
  const acknowledged = calls.filter((c) => c.status === "RS_OK").map((c) => c.uuid);
  const inLedger = await betsInLedger(
    store,
    brand,
    provider.code,
    calls.map((c) => c.uuid),
  );
  for (const uuid of acknowledged) expect(inLedger.get(uuid)).toBe(1);
  for (const count of inLedger.values()) expect(count).toBe(1);
  // every bet is 1: the cash is the funding less the bets the ledger holds, each once
  expect(await cash(node, brand, player)).toBe(BigInt(funded - inLedger.size));
  expect((await reconcile(node, brand)).ok).toBe(true);
}

export function expectNoCrashOrDegradation(node: CallbackNode, brand: string) {
  const wallet = node.ctx.system.status().find((s) => s.address === walletAddress(brand))!;
  expect(wallet.restarts).toBe(0);
  expect(node.ctx.system.degradation("wallet", brand)).toBeNull();
}
