import { afterEach, describe, expect, test } from "bun:test";
import { z } from "zod";
import { type ActorKind, ActorSystem, createLogger, MemoryTransport, type Outcome, ok } from "../../actors/runtime/index.ts";
import { type LeaseStore, MemoryLeases } from "../../actors/runtime/leases.ts";
import { LeasedPlacement } from "../../supervisor/lease-placement.ts";
import { waitFor } from "../support/services.ts";

/**
 * Several nodes in one process over one in-memory mailbox transport and lease store: each
 * brand's counter (its state kept in a map all nodes share, as a shard on a shared data dir)
 * is served by the node holding the brand's lease.
 */
const TTL_MS = 300;

type Shared = { totals: Map<string, number>; journal: Map<string, Outcome>; activations: string[] };

function counterKind(shared: Shared, node: string): ActorKind {
  return {
    domain: "counter",
    scope: "brand",
    messages: { add: z.object({ n: z.number().int() }) },
    maxBatch: 16,
    activateWhenPlaced: true,
    create: (ctx) => {
      shared.activations.push(`${node}:${ctx.brand}`);
      return {
        recall: async (ids) => new Map(ids.filter((id) => shared.journal.has(id)).map((id) => [id, shared.journal.get(id)!])),
        receive: async (batch) =>
          batch.map((m) => {
            const total = (shared.totals.get(ctx.brand!) ?? 0) + (m.body as { n: number }).n;
            shared.totals.set(ctx.brand!, total);
            const outcome = ok({ total, node });
            shared.journal.set(m.id, outcome);
            return outcome;
          }),
      };
    },
  };
}

const registryKind: ActorKind = {
  domain: "registry",
  scope: "global",
  messages: {},
  create: () => ({ recall: async () => new Map(), receive: async (batch) => batch.map(() => ok(null)) }),
};

/** A lease store a test can cut a node off from, as a network partition from Redis would. */
function partitionable(inner: LeaseStore) {
  let cut = false;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "kind") return value;
      return (...args: unknown[]) => (cut ? Promise.reject(new Error("Connection is closed.")) : value.apply(target, args));
    },
  });
  return { store, cut: (value: boolean) => void (cut = value) };
}

type ClusterNode = { name: string; system: ActorSystem; placement: LeasedPlacement; link: ReturnType<typeof partitionable> };

function cluster(brandCount: number) {
  const transport = new MemoryTransport({ maxDeliveries: 10, claimIdleMs: 60_000 });
  const leases = new MemoryLeases();
  const brands = Array.from({ length: brandCount }, (_, i) => `b${i}`);
  const shared: Shared = { totals: new Map(), journal: new Map(), activations: [] };
  const nodes: ClusterNode[] = [];
  const log = createLogger((process.env.TEST_LOG_LEVEL as "info" | undefined) ?? "silent");
  return {
    brands,
    shared,
    nodes,
    async add(name: string): Promise<ClusterNode> {
      const system = new ActorSystem({
        transport,
        nodeId: name,
        log,
        supervision: { backoffMs: 1, maxBackoffMs: 4, intensity: 5, periodMs: 60_000 },
        askTimeoutMs: 3000,
        maxQueued: 1000,
        idleMs: 60_000,
      });
      system.register(counterKind(shared, name)).register(registryKind);
      await system.start();
      const link = partitionable(leases);
      const placement = new LeasedPlacement({
        system,
        leases: link.store,
        log: log.child({ node: name }),
        node: name,
        ttlMs: TTL_MS,
        brands: () => brands,
        onBrandsChange: () => () => {},
      });
      await placement.start();
      const node = { name, system, placement, link };
      nodes.push(node);
      return node;
    },
    /** units per live node, as the lease store says */
    async spread(): Promise<Map<string, string[]>> {
      const held = await leases.leases([...brands, "_global"]);
      const byNode = new Map<string, string[]>();
      for (const lease of held.values()) byNode.set(lease.node, [...(byNode.get(lease.node) ?? []), lease.unit]);
      return byNode;
    },
    async close() {
      for (const node of nodes.splice(0)) {
        node.link.cut(false);
        await node.placement.stop();
        await node.system.drain();
      }
    },
  };
}

let open: ReturnType<typeof cluster> | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const evenWithinOne = (counts: number[]) => Math.max(...counts) - Math.min(...counts) <= 1;

describe("LeasedPlacement", () => {
  test("units spread within one of even; a node that joins gets units handed over; each unit is served by its holder only", async () => {
    const c = (open = cluster(8));
    for (const name of ["n1", "n2", "n3"]) await c.add(name);
    const settled = async (nodes: number) => {
      const spread = await c.spread();
      const counts = c.nodes.map((n) => spread.get(n.name)?.length ?? 0);
      return spread.size === nodes && counts.reduce((a, b) => a + b, 0) === 9 && evenWithinOne(counts) ? spread : undefined;
    };
    const three = await waitFor(() => settled(3), { what: "9 units over 3 nodes" });
    expect([...three.values()].map((u) => u.length)).toEqual([3, 3, 3]);
    for (const node of c.nodes) {
      const hosted = node.system.hosted().map((a) => a.split("@")[1] ?? "_global");
      expect(new Set(hosted)).toEqual(new Set(three.get(node.name)));
    }
    await c.add("n4");
    const four = await waitFor(() => settled(4), { what: "9 units over 4 nodes" });
    expect(four.get("n4")!.length).toBeGreaterThanOrEqual(2);
    const moved = [...four.get("n4")!];
    for (const unit of moved) expect([...three.values()].flat()).toContain(unit);
    // every brand answers, from the node that holds it
    for (const brand of c.brands) {
      const holder = [...four].find(([, units]) => units.includes(brand))![0];
      expect(await c.nodes[0]!.system.ask(`counter@${brand}`, "add", { n: 1 })).toMatchObject({ node: holder });
    }
  });

  test("a drain under load hands every unit over: no ask fails, none is applied twice", async () => {
    const c = (open = cluster(6));
    const [a, b] = [await c.add("n1"), await c.add("n2")];
    await waitFor(async () => (await c.spread()).size === 2, { what: "both nodes serving" });
    let running = true;
    const answers: Outcome[] = [];
    const load = Promise.all(
      c.brands.map(async (brand) => {
        while (running) {
          answers.push(await a.system.askOutcome(`counter@${brand}`, "add", { n: 1 }));
          // in memory an ask is all microtasks: let the nodes' lease timers run between them
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    await waitFor(() => answers.length > 100, { what: "answers before the drain" });
    const report = await b.placement.drain();
    expect(report.released.length).toBeGreaterThan(0);
    expect(b.system.hosted()).toEqual([]);
    const atDrain = answers.length;
    await waitFor(() => answers.length > atDrain + 100, { what: "answers after the drain" });
    running = false;
    await load;
    expect(answers.filter((o) => !o.ok)).toEqual([]);
    // each add applied once: the totals count the answers
    expect([...c.shared.totals.values()].reduce((x, y) => x + y, 0)).toBe(answers.length);
    expect((await c.spread()).get("n1")).toHaveLength(7);
  });

  test("a node cut off from the lease store stops its turns within the lease time; another takes over and activates; asks sent meanwhile are answered once", async () => {
    const c = (open = cluster(2));
    const [a, b] = [await c.add("n1"), await c.add("n2")];
    await waitFor(async () => (await c.spread()).size === 2, { what: "both nodes serving" });
    const lost = (await c.spread()).get("n2")!.filter((u) => u !== "_global");
    const brand = lost[0] ?? (await c.spread()).get("n1")!.find((u) => u !== "_global")!;
    const [victim, survivor] = lost.length > 0 ? [b, a] : [a, b];
    expect(await survivor.system.ask(`counter@${brand}`, "add", { n: 1 })).toMatchObject({ node: victim.name });

    const activatedBefore = c.shared.activations.length;
    const cutAt = performance.now();
    victim.link.cut(true);
    // it takes no turn once its lease may have run out (the gate), and leaves the brand at its next renewal round
    await waitFor(() => !victim.system.hosted().includes(`counter@${brand}`), { what: "the cut-off node to step down" });
    expect(performance.now() - cutAt).toBeLessThan(TTL_MS + TTL_MS / 3 + 50);
    const answer = await survivor.system.askOutcome(`counter@${brand}`, "add", { n: 10 }, { timeoutMs: 3000 });
    expect(answer).toMatchObject({ ok: true, value: { total: 11, node: survivor.name } });
    // the lease runs out, the next round takes it: within two lease times here
    expect(performance.now() - cutAt).toBeLessThan(2 * TTL_MS + 300);
    // activated once by the lease, not again by the ask
    expect(c.shared.activations.slice(activatedBefore)).toEqual([`${survivor.name}:${brand}`]);
    victim.link.cut(false);
    await waitFor(async () => evenWithinOne([...(await c.spread()).values()].map((u) => u.length)) && (await c.spread()).size === 2, { what: "the node back in the spread" });
    expect(await survivor.system.ask(`counter@${brand}`, "add", { n: 100 })).toMatchObject({ total: 111 });
  });

  test("a second run of a node under a name that a live node uses is refused", async () => {
    const c = (open = cluster(1));
    await c.add("n1");
    await expect(c.add("n1")).rejects.toThrow("another running node is named n1");
  });
});
