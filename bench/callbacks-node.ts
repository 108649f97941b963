/** The node bench/callbacks.ts measures: wallet and game domains, the callback edge on port 0. */
import { BrandCatalog, LocalCatalogChanges } from "../actors/catalog/index.ts";
import { gameDomain, REGISTRY_ADDRESS, startGameDomain } from "../actors/game/index.ts";
import { openCentralStore } from "../actors/runtime/central-store.ts";
import { ActorSystem, MemoryTransport, RuntimeMetrics, createLogger, ok, schemasOf, type ActorKind } from "../actors/runtime/index.ts";
import { MemoryEventBus } from "../actors/runtime/memory-event-bus.ts";
import { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import { PostgresOutbox } from "../actors/runtime/outbox-postgres.ts";
import { RedisEventBus } from "../actors/runtime/redis-event-bus.ts";
import { RedisTransport } from "../actors/runtime/redis-transport.ts";
import { walletKind, walletProtocol } from "../actors/wallet/index.ts";
import { loadConfig } from "../config/index.ts";
import { createEdges, serveEdges } from "../edges/index.ts";
import { ShardPool } from "../shards/index.ts";
import type { NodeContext } from "../supervisor/context.ts";
import { ROUTES } from "../supervisor/routes.ts";
import { relayShardOutboxes } from "../supervisor/shard-outbox-source.ts";

export type BenchNode = Awaited<ReturnType<typeof startBenchNode>>;

/** A stand-in `wallet@brand` that answers every bet at once: the edge and mailbox alone. */
const instantWallet: ActorKind = {
  domain: "wallet",
  scope: "brand",
  messages: schemasOf(walletProtocol),
  maxBatch: 256,
  create: () => ({
    recall: async () => new Map(),
    receive: async (batch) => batch.map((m) => ok({ transactionId: m.id, balance: "1000000000", currency: "KRW", replayed: false })),
  }),
};

export async function startBenchNode(options: { label: string; databaseUrl: string; redisUrl: string | undefined; dataDir: string; instantWallet?: boolean }) {
  const id = `bench-${options.label}-${crypto.randomUUID().slice(0, 6)}`;
  const config = loadConfig({
    NODE_ENV: "development",
    NODE_ID: id,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: "warn",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    MAILBOX_MAX_QUEUED: "100000",
    ASK_TIMEOUT_MS: "30000",
    ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
  });
  const log = createLogger(config.LOG_LEVEL, { node: id });
  const store = await openCentralStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, max: 10 });
  await store.migrate();
  const limits = { maxDeliveries: 5, claimIdleMs: 60_000 };
  const transport = options.redisUrl ? new RedisTransport({ url: options.redisUrl, keyPrefix: `${id}:`, limits, log }) : new MemoryTransport(limits);
  const events = options.redisUrl ? new RedisEventBus({ url: options.redisUrl, keyPrefix: `${id}:`, log }) : new MemoryEventBus({ log });
  const metrics = new RuntimeMetrics();
  const system = new ActorSystem({
    transport,
    nodeId: id,
    log,
    metrics,
    supervision: { backoffMs: 10, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 },
    askTimeoutMs: config.ASK_TIMEOUT_MS,
    maxQueued: config.MAILBOX_MAX_QUEUED,
    idleMs: 600_000,
  });
  const catalog = new BrandCatalog(store, new LocalCatalogChanges());
  const shards = new ShardPool(options.dataDir, 600_000);
  const relay = new OutboxRelay({ bus: events, log });
  relayShardOutboxes(shards, relay);
  const ctx: NodeContext = { config, log, store, shards, system, events, relay, catalog, metrics, isReady: () => true, readiness: () => ({ ready: true, reasons: [] }) };
  system.register(options.instantWallet ? instantWallet : walletKind(ctx));
  for (const kind of gameDomain(ctx).kinds()) system.register(kind);
  await system.start();
  await catalog.start();
  const brand = id;
  await catalog.create({ id: brand, name: brand });
  // the central outbox under its usual name, which the wallet's commits notify
  relay.add(new PostgresOutbox(store, { brands: [brand] }));
  relay.start();
  for (const [domain, b] of [[REGISTRY_ADDRESS, null], ["wallet", brand], ["game", brand]] as const) await system.host(domain, b);
  const game = await startGameDomain(ctx);
  const edges = serveEdges(ctx, createEdges(ctx, ROUTES.filter((r) => r.edge === "callback")));
  return {
    ctx,
    brand,
    game,
    url: edges.find((e) => e.name === "callback")!.url,
    async stop() {
      await Promise.all(edges.map((e) => e.stop({ graceMs: 100 })));
      await game.stop();
      await system.drain();
      await relay.stop();
      await events.close();
      await transport.close();
      shards.close();
      await store.close();
    },
  };
}

/** A `standard` provider with one slot game, and funded players with live session tokens. */
export async function prepareBrand(node: BenchNode, players: number) {
  const { ctx, brand, game } = node;
  const provider = `p${crypto.randomUUID().slice(0, 8)}`;
  const { secret } = await ctx.system.ask<{ secret: string }>(REGISTRY_ADDRESS, "registerProvider", { code: provider, name: "Bench", dialect: "standard", allBrands: true });
  await ctx.system.ask(REGISTRY_ADDRESS, "upsertGame", { provider, code: "slot-1", name: "Slot", category: "slots" });
  const ids = Array.from({ length: players }, (_, i) => `p${i}`);
  const fund = (p: string) => ctx.system.askOutcome(`wallet@${brand}`, "adjust", { adjustmentId: `fund-${p}`, owner: { kind: "player", id: p }, amount: 1_000_000_000, reason: "bench", staffId: "bench" });
  await Promise.all(ids.map(fund));
  const tokens = await Promise.all(ids.map((p) => game.tokens.issue({ brand, player: p, provider, game: "slot-1", session: `s-${p}`, expiresAt: Date.now() + 3_600_000 })));
  return { provider, secret, tokens, betUrl: `${node.url}/callbacks/${provider}/transaction/bet` };
}
