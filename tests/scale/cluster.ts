import { join } from "node:path";
import type { Subprocess } from "bun";
import { SessionTokens } from "../../actors/game/index.ts";
import { type CentralStore, openCentralStore } from "../../actors/runtime/central-store.ts";
import type { PlacementStatus } from "../../actors/runtime/operations.ts";
import { PrivatePostgres, PrivateRedis } from "../faults/private-services.ts";
import { tempDir, waitFor } from "../support/services.ts";

const ROOT = join(import.meta.dir, "../..");
const EDGE_PORTS = ["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"];
/** the node's log (stderr) a test keeps, to read what a node said */
const LOG_KEPT = 256 * 1024;

const secret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** One `supervisor start` process of the cluster. */
export class ClusterNode {
  private log = "";
  readonly exited: Promise<number>;

  private constructor(
    readonly name: string,
    private child: Subprocess<"ignore", "pipe", "pipe">,
    readonly callback: string,
    readonly internal: string,
    private serviceToken: string,
  ) {
    this.exited = child.exited;
    void this.keepLog(child.stderr);
  }

  static async start(name: string, env: Record<string, string>): Promise<ClusterNode> {
    const child = Bun.spawn([process.execPath, "supervisor/cli.ts", "start"], { cwd: ROOT, env: { ...env, NODE_ID: name }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const reader = child.stdout.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/ ready /.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${name} exited before it was ready: ${(await new Response(child.stderr).text()).slice(-2000)}`);
      text += decoder.decode(value);
    }
    // the rest of stdout is read and dropped, so the child never blocks on a full pipe
    void (async () => {
      while (!(await reader.read()).done);
    })().catch(() => {});
    const url = (edge: string) =>
      text
        .split("\n")
        .find((l) => l.startsWith(edge))!
        .split(/\s+/)[1]!;
    return new ClusterNode(name, child, url("callback"), url("internal"), env.SERVICE_TOKEN!);
  }

  get pid(): number {
    return this.child.pid;
  }

  /** What the node logged so far (its last 256 KiB). */
  logs(): string {
    return this.log;
  }

  signal(signal: "SIGKILL" | "SIGSTOP" | "SIGCONT" | "SIGTERM") {
    this.child.kill(signal);
  }

  /** The internal edge's /internal/ops routes, as the CLI calls them. */
  async ops<T = any>(method: string, path: string): Promise<T> {
    const response = await fetch(`${this.internal}/internal/ops${path}`, {
      method,
      headers: { authorization: `Bearer ${this.serviceToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${method} ${path} on ${this.name}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** /internal/* with the service token and a brand. */
  async internalCall(method: string, path: string, brand: string, body: unknown): Promise<{ status: number; body: any }> {
    const headers = { authorization: `Bearer ${this.serviceToken}`, "x-brand-id": brand, "content-type": "application/json" };
    const response = await fetch(`${this.internal}${path}`, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.json() };
  }

  async placement(): Promise<PlacementStatus> {
    return (await this.ops<{ placement: PlacementStatus }>("GET", "/status")).placement;
  }

  /** The units (brands, `_global`) this node holds, as it says itself. */
  async units(): Promise<string[]> {
    const placement = await this.placement();
    return placement.nodes.find((n) => n.node === this.name)?.units.map((u) => u.unit) ?? [];
  }

  private async keepLog(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    for await (const chunk of stream) this.log = (this.log + decoder.decode(chunk)).slice(-LOG_KEPT);
  }
}

export type Seeded = { brands: string[]; provider: { code: string; secret: string }; players: Map<string, { player: string; token: string }>; funded: number };

/**
 * Nodes on one host sharing a data dir (their brands' shards), a PostgreSQL and a Redis of
 * the test's own (tests/faults/private-services.ts), and the same secrets.
 */
export class Cluster {
  readonly nodes: ClusterNode[] = [];
  private env: Record<string, string>;

  private constructor(
    private redis: PrivateRedis,
    private postgres: PrivatePostgres,
    readonly store: CentralStore,
  ) {
    this.env = {
      PATH: process.env.PATH ?? "",
      DATA_DIR: tempDir("scale"),
      LOG_LEVEL: "info",
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      JWT_SECRET: secret(),
      SERVICE_TOKEN: secret(),
      SESSION_TOKEN_SECRET: secret(),
      ...Object.fromEntries(EDGE_PORTS.map((p) => [p, "0"])),
    };
  }

  static async start(): Promise<Cluster> {
    const [redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
    const store = await openCentralStore({ databaseUrl: postgres.url, dataDir: tempDir("scale-store"), max: 4 });
    return new Cluster(redis, postgres, store);
  }

  /** The test's Redis, to take away and bring back (empty: it keeps no data). */
  get privateRedis(): PrivateRedis {
    return this.redis;
  }

  get serviceToken(): string {
    return this.env.SERVICE_TOKEN!;
  }

  async addNode(name: string): Promise<ClusterNode> {
    const node = await ClusterNode.start(name, this.env);
    this.nodes.push(node);
    return node;
  }

  /** Nodes not killed, stopped or drained by the test. */
  live(except: ClusterNode[] = []): ClusterNode[] {
    return this.nodes.filter((n) => !except.includes(n));
  }

  forget(node: ClusterNode) {
    this.nodes.splice(this.nodes.indexOf(node), 1);
  }

  /** Brands, a provider of the standard dialect enabled for all, and per brand a funded player with a launch token. */
  async seed(via: ClusterNode, count: number, funded: number): Promise<Seeded> {
    const run = crypto.randomUUID().slice(0, 6);
    const brands = Array.from({ length: count }, (_, i) => `s${run}-${i}`);
    for (const id of brands) await this.post(via, "/brands", { id, name: `Scale ${id}` });
    const code = `p${run}`;
    const provider = await this.post(via, "/providers", { code, name: `Provider ${code}`, dialect: "standard", allBrands: true });
    await this.post(via, `/providers/${code}/games/slot-1`, { name: "slot-1", category: "slots" });
    // each node's copy of the game registry catches up within its refresh (a second): until
    // then its callback edge does not know the provider (404; an unsigned call is 401 after)
    const known = async (node: ClusterNode) => (await fetch(`${node.callback}/callbacks/${code}/user/balance`, { method: "POST", body: "{}" })).status !== 404;
    await waitFor(async () => (await Promise.all(this.nodes.map(known))).every(Boolean), { what: "every node to know the provider" });
    const tokens = new SessionTokens(this.env.SESSION_TOKEN_SECRET!);
    const players = new Map<string, { player: string; token: string }>();
    for (const brand of brands) {
      const player = `pl-${crypto.randomUUID().slice(0, 8)}`;
      const requestId = crypto.randomUUID();
      const requested = await via.internalCall("POST", "/internal/wallet/deposits", brand, { requestId, player, amount: String(funded) });
      if (requested.status !== 201) throw new Error(`deposit in ${brand}: ${JSON.stringify(requested.body)}`);
      const approved = await via.internalCall("POST", `/internal/wallet/deposits/${requestId}/approve`, brand, {});
      if (approved.status !== 200) throw new Error(`approve in ${brand}: ${JSON.stringify(approved.body)}`);
      const token = await tokens.issue({ brand, player, provider: code, game: "slot-1", session: crypto.randomUUID(), expiresAt: Math.floor(Date.now() / 1000 + 3600) * 1000 });
      players.set(brand, { player, token });
    }
    return { brands, provider: { code, secret: provider.secret }, players, funded };
  }

  /** Which node holds each unit, by the lease store as a live node last saw it. */
  async holders(via: ClusterNode): Promise<Map<string, string>> {
    const placement = await via.placement();
    return new Map(placement.nodes.flatMap((n) => n.units.map((u) => [u.unit, n.node] as const)));
  }

  async close(): Promise<void> {
    for (const node of this.nodes.splice(0)) {
      node.signal("SIGCONT");
      node.signal("SIGKILL");
      await node.exited;
    }
    await this.store.close();
    await Promise.all([this.redis.stop(), this.postgres.stop()]);
  }

  private async post(via: ClusterNode, path: string, body: unknown): Promise<any> {
    const response = await fetch(`${via.internal}/internal/ops${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.serviceToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const reply = await response.json();
    if (response.status >= 300) throw new Error(`POST ${path}: ${JSON.stringify(reply)}`);
    return reply;
  }
}
