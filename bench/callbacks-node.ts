/** The node bench/callbacks.ts measures: wallet and game domains, the callback edge on port 0. */
import { SessionTokens } from "../actors/game/index.ts";
import { openCentralStore } from "../actors/runtime/central-store.ts";
import { expectOk } from "../actors/runtime/client.ts";
import { type ActorKind, ok, schemasOf } from "../actors/runtime/index.ts";
import { walletProtocol } from "../actors/wallet/index.ts";
import { loadConfig } from "../config/index.ts";
import { buildNode } from "../supervisor/node.ts";

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

export async function startBenchNode(options: { label: string; databaseUrl: string; redisUrl: string | undefined; dataDir: string; instantWallet?: boolean; localAsks: boolean }) {
  const id = `bench-${options.label}-${crypto.randomUUID().slice(0, 6)}`;
  const config = loadConfig({
    NODE_ENV: "development",
    NODE_ID: id,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: "warn",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: `${id}:`,
    MAILBOX_MAX_QUEUED: "100000",
    LOCAL_ASKS: options.localAsks ? "1" : "0",
    MAILBOX_CLAIM_IDLE_MS: "60000",
    ASK_TIMEOUT_MS: "30000",
    ACTOR_IDLE_MS: "600000",
    SHARD_IDLE_MS: "600000",
    RESTART_BACKOFF_MS: "10",
    RESTART_BACKOFF_MAX_MS: "1000",
    ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
  });
  const store = await openCentralStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, max: 10 });
  await store.migrate();
  const node = await buildNode({
    config,
    store,
    domains: options.instantWallet ? ["game"] : ["wallet", "game"],
    extraKinds: () => (options.instantWallet ? [instantWallet] : []),
    placement: "explicit",
    serve: true,
  });
  const brand = id;
  expectOk(await node.edge.clients.catalog().createBrand({ id: brand, name: brand, by: { staffId: null, username: "bench" } }));
  await node.hostBrand(brand);
  return {
    node,
    brand,
    url: node.servers.find((e) => e.name === "callback")!.url,
    async stop() {
      await node.stop();
      await store.close();
    },
  };
}

const BENCH = { staffId: null, username: "bench" };

/** A `standard` provider with one slot game, and funded players with live session tokens. */
export async function prepareBrand(node: BenchNode, players: number) {
  const { brand } = node;
  const { clients } = node.node.edge;
  const provider = `p${crypto.randomUUID().slice(0, 8)}`;
  const { secret } = expectOk(await clients.gameRegistry().registerProvider({ code: provider, name: "Bench", dialect: "standard", allBrands: true, by: BENCH }));
  expectOk(await clients.gameRegistry().upsertGame({ provider, code: "slot-1", name: "Slot", category: "slots", by: BENCH }));
  const ids = Array.from({ length: players }, (_, i) => `p${i}`);
  const fund = (p: string) =>
    clients.wallet(brand).adjust({ adjustmentId: `fund-${p}`, owner: { kind: "player", id: p }, amount: 1_000_000_000, reason: "bench", by: { staffId: null, username: "bench" } });
  await Promise.all(ids.map(fund));
  const tokens = await Promise.all(ids.map((p) => sessionTokens(node).issue({ brand, player: p, provider, game: "slot-1", session: `s-${p}`, expiresAt: Date.now() + 3_600_000 })));
  return { provider, secret, tokens, betUrl: `${node.url}/callbacks/${provider}/transaction/bet` };
}

/** The signer of the node's game-session tokens (the game domain's own secret). */
function sessionTokens(node: BenchNode): SessionTokens {
  return new SessionTokens(node.node.config.secrets.session);
}
