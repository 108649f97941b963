/**
 * The load generator of bench/rolling.ts, run as its own process so the bettors do not share
 * the measured node's event loop: an actor system of its own on the node's Redis mailboxes
 * (hosting nothing) asks `wallet@brand` for bets, `inFlight` at a time, each worker betting
 * again as soon as the last one is answered, as edges on another node would.
 * Prints one JSON line: { bets, errors, seconds, firstError? }.
 */

import type { z } from "zod";
import { ActorSystem, createLogger, RedisTransport } from "../actors/runtime/index.ts";
import { walletAddress, type walletProtocol } from "../actors/wallet/index.ts";

export type RollingLoadPlan = { redisUrl: string; keyPrefix: string; brand: string; players: number; inFlight: number; seconds: number; first: number };
export type RollingLoadResult = { bets: number; errors: number; seconds: number; firstError?: string };

async function run(plan: RollingLoadPlan): Promise<RollingLoadResult> {
  const log = createLogger("warn");
  const nodeId = `rolling-load-${crypto.randomUUID().slice(0, 6)}`;
  const transport = new RedisTransport({ url: plan.redisUrl, keyPrefix: plan.keyPrefix, limits: { maxDeliveries: 5, claimIdleMs: 60_000 }, log, connectionName: nodeId });
  const system = new ActorSystem({
    transport,
    nodeId,
    log,
    supervision: { backoffMs: 10, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: 30_000,
    maxQueued: 100_000,
    idleMs: 600_000,
  });
  await system.start();
  // asked by address: this system runs no wallet, the node it sends to does
  const bet = (body: z.input<typeof walletProtocol.bet.body>) => system.askOutcome(walletAddress(plan.brand), "bet", body);
  let bets = 0;
  let errors = 0;
  let firstError: string | undefined;
  let n = plan.first;
  const started = performance.now();
  const deadline = started + plan.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const outcome = await bet({
        provider: "bench",
        player: `p${i % plan.players}`,
        round: `r${i}`,
        gameCode: "slot-1",
        gameCategory: i % 4 === 0 ? "live_casino" : "slots",
        transactionUuid: `b${i}`,
        amount: 100,
      });
      if (outcome.ok) bets++;
      else {
        errors++;
        firstError ??= `${outcome.error.code}: ${outcome.error.message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  await system.drain();
  await transport.close();
  return { bets, errors, seconds, firstError };
}

if (import.meta.main) {
  const plan = (await Bun.file(process.argv[2]!).json()) as RollingLoadPlan;
  console.log(JSON.stringify(await run(plan)));
  process.exit(0);
}
