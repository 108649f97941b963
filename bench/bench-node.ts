import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCentralStore } from "../actors/runtime/central-store.ts";
import { loadConfig } from "../config/index.ts";
import type { DomainName } from "../supervisor/domains.ts";
import { buildNode } from "../supervisor/node.ts";

/**
 * A node for a bench: its own data dir, Redis key prefix and node id, the given domains placed
 * explicitly, actors and shards kept awake for the whole run, edges on free ports.
 */
export async function benchNode(options: { label: string; databaseUrl: string; redisUrl?: string; domains: DomainName[]; maxQueued: number }) {
  const dataDir = mkdtempSync(join(tmpdir(), `${options.label}-bench-`));
  const id = `${options.label.slice(0, 1)}bench-${crypto.randomUUID().slice(0, 6)}`;
  const config = loadConfig({
    NODE_ENV: "development",
    NODE_ID: id,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: `${id}:`,
    MAILBOX_MAX_QUEUED: String(options.maxQueued),
    ACTOR_IDLE_MS: "600000",
    SHARD_IDLE_MS: "600000",
    ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
  });
  const store = await openCentralStore({ databaseUrl: options.databaseUrl, dataDir, max: 10 });
  await store.migrate();
  const node = await buildNode({ config, store, domains: options.domains, placement: "explicit" });
  return { id, node, store, prefix: `${id}:` };
}
