import type { z } from "zod";
import type { Incoming } from "../../actors/runtime/actor.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { ActorSystem, createLogger, MemoryTransport, RuntimeMetrics } from "../../actors/runtime/index.ts";
import { type WalletDeps, type WalletMessageType, type WalletProtocol, WalletWriter, walletClient, walletKind, walletMetrics, walletProtocol } from "../../actors/wallet/index.ts";
import { testStore, uniqueBrand } from "../support/services.ts";

/** A brand row in the catalog, as the wallet needs it. */
export async function createBrand(store: CentralStore, options: { currency?: string; status?: "active" | "disabled" } = {}) {
  const brand = uniqueBrand("w");
  await store.query("INSERT INTO brands (id, name, currency, status) VALUES ($1, $1, $2, $3)", [brand, options.currency ?? "KRW", options.status ?? "active"]);
  return brand;
}

/** A node's worth of runtime around one brand's wallet: memory mailboxes, the test store. */
export async function walletHarness(options: { maxBatch?: number; currency?: string; askTimeoutMs?: number; catalog?: WalletDeps["catalog"] } = {}) {
  const store = await testStore();
  const brand = await createBrand(store, { currency: options.currency });
  const metrics = new RuntimeMetrics();
  const notified: (string | undefined)[] = [];
  const relay = { notify: (source?: string) => void notified.push(source) };
  const system = new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 5, claimIdleMs: 60_000 }),
    nodeId: `test-${brand}`,
    log: createLogger((process.env.WALLET_TEST_LOG as never) ?? "silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 10, intensity: 50, periodMs: 60_000 },
    askTimeoutMs: options.askTimeoutMs ?? 10_000,
    maxQueued: 10_000,
    idleMs: 60_000,
    metrics,
  }).register(walletKind({ store, metrics, relay, catalog: options.catalog, config: { NODE_ID: `test-${brand}` } }, { maxBatch: options.maxBatch }));
  await system.start();
  await system.host("wallet", brand);
  return {
    store,
    brand,
    system,
    metrics,
    /** the outbox sources the wallet woke after its commits */
    notified,
    wallet: walletClient(system, brand),
    close: () => system.drain(),
  };
}

export type WalletHarness = Awaited<ReturnType<typeof walletHarness>>;

/** Fund a player through a staff adjustment. */
export async function fund(h: WalletHarness, player: string, amount: number) {
  const outcome = await h.wallet.adjust({
    adjustmentId: crypto.randomUUID(),
    owner: { kind: "player", id: player },
    amount,
    reason: "test funding",
    by: { staffId: "staff-1", username: "staff-1" },
  });
  if (!outcome.ok) throw new Error(`funding failed: ${JSON.stringify(outcome.error)}`);
}

export async function cashOf(h: WalletHarness, player: string): Promise<bigint> {
  const outcome = await h.wallet.balance({ owner: { kind: "player", id: player } });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return BigInt(outcome.value.cash);
}

/** A writer driven directly, without a runtime: for same-batch and fencing cases. */
export async function directWriter(store: CentralStore, brand: string, holder = "direct") {
  return WalletWriter.activate({ store, metrics: walletMetrics(new RuntimeMetrics().registry), holder }, brand);
}

/** One message as the runtime hands it to a behavior: validated, with a fresh id. */
export function incoming<K extends WalletMessageType>(type: K, body: z.input<WalletProtocol[K]["body"]>, id: string = crypto.randomUUID()): Incoming {
  const envelope = { id, to: "wallet@direct", type, body, brand: null, correlationId: id, sentAt: Date.now() };
  return { id, type, body: walletProtocol[type].body.parse(body), envelope, deliveryCount: 1 };
}

export async function outboxOf(store: CentralStore, brand: string, type?: string) {
  return store.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM outbox WHERE brand_id = $1 AND ($2::text IS NULL OR type = $2) ORDER BY seq", [
    brand,
    type ?? null,
  ]);
}
