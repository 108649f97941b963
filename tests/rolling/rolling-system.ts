import { type RollingEventPayload, rollingClient, rollingKind, termsOf } from "../../actors/rolling/index.ts";
import { ActorSystem, createLogger, MemoryTransport, type Outcome } from "../../actors/runtime/index.ts";
import { ShardPool } from "../../shards/index.ts";
import { tempDir, uniqueBrand } from "../support/services.ts";

/** A wallet event as the rolling feed hands it over: its id, type and payload. */
export type WalletEvent = { id: string; type: string; payload: Record<string, unknown> };
export type PublishedEvent = { type: string; payload: RollingEventPayload & Record<string, unknown> };

/** Terms most tests use: deposits once over, bonuses five times, live casino at 10%, slots in full. */
export const TERMS = { depositMultiple: 1, bonusMultiple: 5, categoryRates: { slots: 1, live_casino: 0.1, table: 0.5 } };

/**
 * A node-less rolling domain: memory mailboxes, real shards in a temp dir, brand terms from
 * a config the test sets. Events are asked of the actor under their ids, as the feed does.
 */
export async function rollingSystem(options: { config?: Record<string, unknown>; clock?: () => number } = {}) {
  const shards = new ShardPool(tempDir("rolling"), 60_000);
  const configs = new Map<string, Record<string, unknown>>();
  const system = new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 1000 }),
    nodeId: `rolling-test-${crypto.randomUUID().slice(0, 8)}`,
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 10, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 5000,
    maxQueued: 1000,
    idleMs: 60_000,
  }).register(rollingKind({ shards, terms: (brand) => termsOf(configs.get(brand)) }, { clock: options.clock }));
  await system.start();

  async function addBrand(config: Record<string, unknown> = options.config ?? { rolling: TERMS }) {
    const brand = uniqueBrand("rl");
    configs.set(brand, config);
    await system.host("rolling", brand);
    return brand;
  }

  /**
   * Hand events to `rolling@brand` together (one turn when they fit a batch); each must be
   * applied. An id again in the same group is told, not asked (one node never has two asks
   * of one id open); asks made later find it taken, since a mailbox keeps its order.
   */
  async function deliver(brand: string, events: WalletEvent[]): Promise<Outcome[]> {
    const asked = new Map<string, Promise<Outcome>>();
    const sends: Promise<unknown>[] = [];
    for (const e of events) {
      if (asked.has(e.id)) sends.push(system.tell(`rolling@${brand}`, e.type, e.payload, { id: e.id }));
      else asked.set(e.id, system.askOutcome(`rolling@${brand}`, e.type, e.payload, { id: e.id }));
    }
    await Promise.all(sends);
    const outcomes = await Promise.all(events.map((e) => asked.get(e.id)!));
    for (const [i, o] of outcomes.entries()) if (!o.ok) throw new Error(`${events[i]!.type} ${events[i]!.id}: ${o.error.code} ${o.error.message}`);
    return outcomes;
  }

  /** The events rolling wrote to the brand's outbox, in order. */
  function published(brand: string): PublishedEvent[] {
    const rows = shards.acquire(brand).sqlite.query<{ type: string; payload: string }, []>("select type, payload from outbox order by seq").all();
    shards.release(brand);
    return rows.map((r) => ({ type: r.type, payload: JSON.parse(r.payload) }));
  }

  return {
    system,
    shards,
    addBrand,
    deliver,
    published,
    client: (brand: string) => rollingClient(system, brand),
    shard: (brand: string) => shards.acquire(brand),
    async [Symbol.asyncDispose]() {
      await system.drain();
      shards.close();
    },
  };
}

/** A wallet transaction id later than every one made before (the wallet's are UUIDv7, as here). */
export const nextTransaction = () => Bun.randomUUIDv7();

/** The wallet's events as its outbox publishes them (amounts as digit strings). */
export const walletEvents = {
  deposit: (player: string, amount: number, extra: Record<string, unknown> = {}): WalletEvent => ({
    id: crypto.randomUUID(),
    type: "wallet.deposit_approved",
    payload: {
      player,
      transactionId: nextTransaction(),
      idempotencyKey: `deposit-approved:${crypto.randomUUID()}`,
      amount: String(amount),
      balance: "0",
      currency: "KRW",
      ...extra,
    },
  }),
  bonus: (player: string, amount: number, rollingMultiple?: number): WalletEvent => ({
    id: crypto.randomUUID(),
    type: "wallet.bonus_granted",
    payload: {
      player,
      transactionId: nextTransaction(),
      idempotencyKey: `bonus-grant:${crypto.randomUUID()}`,
      amount: String(amount),
      balance: "0",
      currency: "KRW",
      ...(rollingMultiple === undefined ? {} : { rollingMultiple }),
    },
  }),
  bet: (player: string, amount: number, gameCategory: string | null = "slots", key = `p:evo:${crypto.randomUUID()}`): WalletEvent => ({
    id: crypto.randomUUID(),
    type: "wallet.bet_settled",
    payload: {
      player,
      transactionId: nextTransaction(),
      idempotencyKey: key,
      amount: String(amount),
      balance: "0",
      currency: "KRW",
      provider: "evo",
      round: "r1",
      gameCode: "g",
      gameCategory,
    },
  }),
  rollback: (bet: WalletEvent): WalletEvent => ({
    id: crypto.randomUUID(),
    type: "wallet.rollback",
    payload: {
      player: bet.payload.player,
      transactionId: nextTransaction(),
      idempotencyKey: `p:evo:${crypto.randomUUID()}`,
      amount: bet.payload.amount,
      reference: bet.payload.idempotencyKey,
      balance: "0",
      currency: "KRW",
    },
  }),
};
