import { type CredentialOverrides, Credentials, credentialOptions, MemoryAttemptCounter } from "../../actors/credentials/index.ts";
import { type PlayerAuth, type PlayerKindOptions, playerClient, playerKind } from "../../actors/player/index.ts";
import { ActorSystem, createLogger, MemoryTransport } from "../../actors/runtime/index.ts";
import { ShardPool } from "../../shards/index.ts";
import { tempDir, uniqueBrand } from "../support/services.ts";

/**
 * A node-less player domain: memory mailboxes, real shards in a temp dir, and the credentials
 * (production cost unless `credentials` lowers it) over memory counters on the same clock.
 */
export async function playerSystem(options: PlayerKindOptions & { brands?: number; credentials?: CredentialOverrides } = {}) {
  const now = options.clock ?? (() => Date.now());
  const credentials = new Credentials(credentialOptions({ now, ...options.credentials }), new MemoryAttemptCounter(now));
  const shards = new ShardPool(tempDir("player"), 60_000);
  const system = new ActorSystem({
    transport: new MemoryTransport({ maxDeliveries: 3, claimIdleMs: 1000 }),
    nodeId: `player-test-${crypto.randomUUID().slice(0, 8)}`,
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 10, intensity: 3, periodMs: 60_000 },
    askTimeoutMs: 5000,
    maxQueued: 1000,
    idleMs: 60_000,
  }).register(playerKind({ shards }, options));
  await system.start();
  const brands = Array.from({ length: options.brands ?? 1 }, () => uniqueBrand("pl"));
  for (const b of brands) await system.host("player", b);
  return {
    system,
    shards,
    /** the typed client of `player@<brand>` (the first brand's by default) */
    players: (brand = brands[0]!) => playerClient(system, brand),
    /** what the sign-in flows take: the brand's actor and the credentials */
    auth: (brand = brands[0]!): PlayerAuth => ({ players: playerClient(system, brand), credentials, brand }),
    credentials,
    brand: brands[0]!,
    brands,
    shard: (brand = brands[0]!) => shards.acquire(brand),
    async [Symbol.asyncDispose]() {
      await system.drain();
      shards.close();
    },
  };
}

/** who acts in the staff commands these tests send */
export const STAFF = { staffId: "staff-1", username: "kim", ip: "10.0.0.7" };

let counter = 0;
export function newPlayer(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const tag = `${Date.now().toString(36).slice(-4)}${counter}`;
  return {
    username: `user_${tag}`,
    password: "correct horse 1",
    nickname: `nick${tag}`,
    phone: "010-1234-5678",
    bank: { name: "Kookmin", account: "123-456-7890", holder: "Hong Gildong" },
    ...overrides,
  };
}

export function outboxTypes(shard: { sqlite: { query: (s: string) => { all: () => unknown[] } } }): string[] {
  return (shard.sqlite.query("select type from outbox order by seq").all() as { type: string }[]).map((r) => r.type);
}

/** A stand-in for the edge's signer: the "token" is its jti, enough for the actor's bookkeeping. */
export const fakeIssuer = async () => {
  const jti = crypto.randomUUID();
  return { token: jti, jti };
};
