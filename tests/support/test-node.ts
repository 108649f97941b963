import type { ActorKind } from "../../actors/runtime/actor.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { loadConfig } from "../../config/index.ts";
import type { DomainName, DomainOptions } from "../../supervisor/domains.ts";
import { buildNode, type PlatformNode } from "../../supervisor/node.ts";
import type { NodeParts } from "../../supervisor/node-parts.ts";
import { TEST_SETUP } from "./catalog.ts";
import { DATABASE_URL, REDIS_URL, tempDir, testStore, uniqueBrand } from "./services.ts";

export const EPHEMERAL_PORTS = Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"]));

export type TestNodeOptions = {
  label?: string;
  /** settings on top of the test defaults (a fresh DATA_DIR, silent logs, ports 0) */
  env?: Record<string, string>;
  domains?: readonly DomainName[];
  domainOptions?: DomainOptions;
  extraKinds?: (parts: NodeParts) => ActorKind[];
  /** a central store of the test's own (a private server in the fault tests); the run's shared one by default */
  store?: CentralStore;
  /** serve the edges over HTTP on ports 0 (otherwise call `apps.<edge>.request`) */
  serve?: boolean;
};

type Surface = "gateway" | "agent" | "admin";
/** `surfaces` get the hosts `play.<id>.test`, `agent.<id>.test`, `admin.<id>.test` */
export type BrandOptions = { prefix?: string; currency?: string; surfaces?: Surface[] };
export const hostOf = (brand: string, surface: Surface = "gateway") => `${surface === "gateway" ? "play" : surface}.${brand}.test`;

export type TestPlatformNode = PlatformNode & {
  /** a new brand through the catalog actor, hosted (and its outbox relayed) on this node */
  addBrand(options?: BrandOptions): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
};

/**
 * A node built exactly as `supervisor start` builds one (buildNode), on the test run's
 * shared central store and the configured mailboxes: Redis streams under a key prefix of its
 * own when REDIS_URL is set (so runs never meet), memory otherwise. Only brands it adds are
 * hosted, since tests share one store. `await using node = await testNode()` stops it.
 */
export async function testNode(options: TestNodeOptions = {}): Promise<TestPlatformNode> {
  const label = options.label ?? "node";
  const nodeId = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    NODE_ENV: "test",
    NODE_ID: nodeId,
    DATA_DIR: tempDir(label),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX: `${nodeId}:`,
    HOST: "127.0.0.1",
    // recon sources may reach the tests' local fake Pushbullet and Telegram servers
    RECON_UPSTREAM_HOSTS: "127.0.0.1",
    ...EPHEMERAL_PORTS,
    ...options.env,
  });
  const node = await buildNode({
    config,
    store: options.store ?? (await testStore()),
    domains: options.domains,
    domainOptions: options.domainOptions,
    extraKinds: options.extraKinds,
    placement: "explicit",
    serve: options.serve,
  });
  return Object.assign(node, {
    async addBrand(brand: BrandOptions = {}) {
      const id = uniqueBrand(brand.prefix ?? label.slice(0, 6));
      const domains = (brand.surfaces ?? []).map((surface) => ({ domain: hostOf(id, surface), surface }));
      const created = await node.edge.clients.catalog().createBrand({ id, name: `Brand ${id}`, currency: brand.currency, domains, by: TEST_SETUP });
      if (!created.ok) throw new Error(`create brand ${id}: ${created.error.message}`);
      await node.hostBrand(id);
      return id;
    },
    [Symbol.asyncDispose]: () => node.stop(),
  });
}
