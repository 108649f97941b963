import { catalogClient } from "../../actors/catalog/index.ts";
import { promotionClient } from "../../actors/promotion/index.ts";
import { loadConfig } from "../../config/index.ts";
import type { DomainName } from "../../supervisor/domains.ts";
import { buildNode } from "../../supervisor/node.ts";

/**
 * One life of a node for the settlement crash test (settlement-recovery.test.ts), in a child
 * process the test kills with SIGKILL: the domains of `DOMAINS` on the shared PostgreSQL,
 * Redis (one key prefix for every life) and data directory, hosting `BRAND`. With `SETUP`
 * it creates the brand, its promotion terms and a day of activity first; with `FIRE_AT` it
 * fires the settlement timer at that instant. Lines on stdout say how far it got. A life
 * without the promotion domain still opens the brand's shard, so what its outbox holds (the
 * snapshot's credit requests, if the last life died before relaying them) is relayed.
 */

const env = process.env;
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const by = { staffId: null, username: "test-setup" };
const brand = env.BRAND!;

const config = loadConfig({
  NODE_ENV: "test",
  NODE_ID: env.NODE_ID!,
  DATA_DIR: env.DATA_DIR!,
  LOG_LEVEL: "silent",
  DATABASE_URL: env.DATABASE_URL!,
  REDIS_URL: env.REDIS_URL!,
  REDIS_PREFIX: env.REDIS_PREFIX!,
  MAILBOX_CLAIM_IDLE_MS: "300",
  HOST: "127.0.0.1",
  ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
});
const node = await buildNode({ config, domains: env.DOMAINS!.split(",") as DomainName[], placement: "explicit" });

if (env.SETUP) {
  const catalog = catalogClient(node.parts.system);
  const made = await catalog.createBrand({ id: brand, name: `Brand ${brand}`, by });
  if (!made.ok) throw new Error(made.error.message);
  const promotion = { rebateRates: { slots: 150, live: 70 }, lossbackRate: 1200, lossbackMinLoss: "500", lossbackCap: "40000" };
  const configured = await catalog.configureBrand({ brand, patch: { promotion }, by });
  if (!configured.ok) throw new Error(configured.error.message);
  await node.hostBrand(brand);
  const events = JSON.parse(env.SETUP) as { type: string; at: number; payload: Record<string, unknown> }[];
  await node.parts.events.publish(events.map((e) => ({ ...e, id: crypto.randomUUID(), brand })));
  const promotions = promotionClient(node.parts.system, brand);
  // the test waits for this line (its own deadline); the activity arrives through the bus
  for (;;) {
    const rebate = await promotions.preview({ kind: "rebate", day: env.DAY!, limit: 0 });
    const lossback = await promotions.preview({ kind: "lossback", day: env.DAY!, limit: 0 });
    if (rebate.ok && lossback.ok && rebate.value.total === env.REBATE && lossback.value.total === env.LOSSBACK) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  say({ seeded: true });
} else await node.hostBrand(brand);
// the relay moves a shard's outbox only while the shard is open (some actor of it awake): a
// life without the promotion domain opens it, as a node with every domain would
if (!env.DOMAINS!.split(",").includes("promotion")) node.parts.shards.acquire(brand);

say({ ready: true });
if (env.FIRE_AT) {
  await node.parts.system.fireTimer("promotion", "settle", Number(env.FIRE_AT));
  say({ fired: true });
}
process.on("SIGTERM", () => void node.stop().then(() => process.exit(0)));
