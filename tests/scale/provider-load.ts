import { signBody } from "../../actors/game/index.ts";
import type { ClusterNode, Seeded } from "./cluster.ts";

/** One provider call: a bet of 1, sent until it has an answer the contract calls final, each attempt to the next node. */
export type Call = { brand: string; uuid: string; started: number; ended: number; status: string; attempts: number; nodes: string[]; http: number; body?: string };

/** What a provider sends again (the same transaction uuid): no answer, or `RS_ERROR_UNKNOWN` (HTTP 5xx). */
const RETRIED = new Set(["network_error", "RS_ERROR_UNKNOWN"]);
const MAX_ATTEMPTS = 8;
/** a provider gives a call this long; a frozen node's edge never answers */
const CALL_TIMEOUT_MS = 7000;

/**
 * Signed bets on every seeded brand through the callback edges of `targets()` (round robin,
 * as a load balancer in front of them would), `loops` callers per brand, each waiting for
 * its answer before its next bet, until `stop()`.
 */
export function providerLoad(seed: Seeded, targets: () => ClusterNode[], loops = 1) {
  const calls: Call[] = [];
  let running = true;
  let next = 0;
  const send = async (brand: string): Promise<Call> => {
    const { token } = seed.players.get(brand)!;
    const uuid = crypto.randomUUID();
    const raw = JSON.stringify({ token, transaction_uuid: uuid, round: `r-${uuid}`, game_code: "slot-1", amount: 1, currency: "KRW" });
    const signature = await signBody(seed.provider.secret, raw);
    const call: Call = { brand, uuid, started: performance.now(), ended: 0, status: "network_error", attempts: 0, nodes: [], http: 0 };
    while (call.attempts < MAX_ATTEMPTS && (call.attempts === 0 || RETRIED.has(call.status))) {
      const nodes = targets();
      const node = nodes[next++ % nodes.length]!;
      call.attempts += 1;
      call.nodes.push(node.name);
      try {
        const response = await fetch(`${node.callback}/callbacks/${seed.provider.code}/transaction/bet`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-signature": signature },
          body: raw,
          signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
        const text = await response.text();
        call.http = response.status;
        call.status = String((JSON.parse(text) as { status?: unknown }).status);
        call.body = call.status === "RS_OK" ? undefined : text.slice(0, 300);
      } catch {
        call.status = "network_error";
        call.http = 0;
      }
    }
    call.ended = performance.now();
    return call;
  };
  const loop = async (brand: string) => {
    while (running) calls.push(await send(brand));
  };
  const done = Promise.all(seed.brands.flatMap((brand) => Array.from({ length: loops }, () => loop(brand))));
  return {
    calls,
    /** one more bet on `brand`, beside the loops, recorded with the others */
    async bet(brand: string): Promise<Call> {
      const call = await send(brand);
      calls.push(call);
      return call;
    },
    answered: (brand?: string) => calls.filter((c) => c.status === "RS_OK" && (brand === undefined || c.brand === brand)).length,
    async stop() {
      running = false;
      await done;
    },
  };
}
