import { join } from "node:path";

/**
 * Migrations are kept per domain, each folder with its own drizzle journal and tracking
 * table, so domains evolve their schemas independently. They apply in this order.
 */
export const PG_DOMAINS = ["catalog", "outbox", "wallet", "game", "identity", "admin"] as const;
export const SHARD_DOMAINS = ["runtime", "player", "game", "recon", "agent", "rolling", "promotion"] as const;

/** Where each domain's schema lives, for drizzle-kit. */
export const SCHEMA_FILES: Record<string, { pg?: string; shard?: string }> = {
  catalog: { pg: "actors/catalog/schema.ts" },
  outbox: { pg: "actors/runtime/outbox-schema.ts" },
  wallet: { pg: "actors/wallet/schema.ts" },
  game: { pg: "actors/game/schema.ts", shard: "actors/game/shard-schema.ts" },
  identity: { pg: "actors/identity/schema.ts" },
  admin: { pg: "actors/admin/schema.ts" },
  runtime: { shard: "shards/schema.ts" },
  player: { shard: "actors/player/schema.ts" },
  recon: { shard: "actors/recon/schema.ts" },
  agent: { shard: "actors/agent/schema.ts" },
  rolling: { shard: "actors/rolling/schema.ts" },
  promotion: { shard: "actors/promotion/schema.ts" },
};

export const migrationsDir = (dialect: "pg" | "shard", domain: string) => join(import.meta.dir, dialect, domain);
export const migrationsTable = (domain: string) => `__migrations_${domain}`;
