import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Lease, Member } from "../../actors/runtime/leases.ts";
import { leaseView, planBalance } from "../../supervisor/balance.ts";

const member = (node: string, draining = false): Member => ({ node, instance: `i-${node}`, draining, joinedAt: 0 });
const lease = (unit: string, node: string): Lease => ({ unit, node, instance: `i-${node}`, grantedAt: 0, expiresInMs: 1000 });

/** Every node applies its plan in turn (hand over, then take what is still free), until nothing moves. */
function settle(units: string[], members: Member[], held: Map<string, string>, order: (nodes: Member[]) => Member[] = (m) => m) {
  let rounds = 0;
  for (let moved = true; moved; rounds++) {
    if (rounds > 10) throw new Error("placement does not settle");
    moved = false;
    for (const self of order(members)) {
      const leases = new Map([...held].map(([unit, node]) => [unit, lease(unit, node)]));
      const plan = planBalance({ self, units, members, leases });
      for (const unit of plan.release) held.delete(unit);
      for (const unit of plan.take) if (!held.has(unit)) held.set(unit, self.node);
      moved ||= plan.release.length + plan.take.length > 0;
    }
  }
  return rounds;
}

const countsOf = (held: Map<string, string>, members: Member[]) => members.map((m) => [...held.values()].filter((n) => n === m.node).length);

describe("planBalance", () => {
  test("units spread within one of even over the nodes that do not drain, every unit held, in a few rounds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 }), fc.integer(), (n, m, draining, seed) => {
        const units = Array.from({ length: n }, (_, i) => `b${i}`);
        const members = Array.from({ length: m + draining }, (_, i) => member(`n${i}`, i >= m));
        // start from any spread (draining nodes included), nodes acting in any order
        const held = new Map(units.map((u, i) => [u, members[Math.abs(i * seed) % members.length]!.node]));
        const shift = Math.abs(seed) % members.length;
        const rounds = settle(units, members, held, (all) => [...all.slice(shift), ...all.slice(0, shift)]);
        expect(held.size).toBe(n);
        const counts = countsOf(held, members.slice(0, m));
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(countsOf(held, members.slice(m)).every((c) => c === 0)).toBe(true);
        expect(rounds).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });

  test("a node that joins gets units handed over; the others keep the rest (few moves)", () => {
    const units = Array.from({ length: 12 }, (_, i) => `b${i}`);
    const three = [member("a"), member("b"), member("c")];
    const held = new Map<string, string>();
    settle(units, three, held);
    expect(countsOf(held, three)).toEqual([4, 4, 4]);
    const before = new Map(held);
    const four = [...three, member("d")];
    settle(units, four, held);
    expect(countsOf(held, four)).toEqual([3, 3, 3, 3]);
    const moved = units.filter((u) => before.get(u) !== held.get(u));
    expect(moved).toHaveLength(3);
    expect(moved.every((u) => held.get(u) === "d")).toBe(true);
  });

  test("a dead node's units, once its leases expired, go to the others; a draining node hands over everything", () => {
    const units = Array.from({ length: 7 }, (_, i) => `b${i}`);
    const nodes = [member("a"), member("b"), member("c")];
    const held = new Map<string, string>();
    settle(units, nodes, held);
    for (const [unit, node] of held) if (node === "c") held.delete(unit);
    const alive = nodes.slice(0, 2);
    settle(units, alive, held);
    expect(held.size).toBe(7);
    expect(countsOf(held, alive).sort()).toEqual([3, 4]);
    const draining = [member("a"), member("b", true)];
    const plan = planBalance({ self: draining[1]!, units, members: draining, leases: new Map([...held].map(([u, n]) => [u, lease(u, n)])) });
    expect(plan.take).toEqual([]);
    expect(plan.release.sort()).toEqual(
      [...held]
        .filter(([, n]) => n === "b")
        .map(([u]) => u)
        .sort(),
    );
    settle(units, draining, held);
    expect(countsOf(held, draining)).toEqual([7, 0]);
  });

  test("a lease of an earlier run of the same node name is not this run's: neither kept nor free", () => {
    const self = member("a");
    const stale = { ...lease("b0", "a"), instance: "an-earlier-run" };
    const plan = planBalance({ self, units: ["b0", "b1"], members: [self], leases: new Map([["b0", stale]]) });
    expect(plan).toEqual({ quota: 2, take: ["b1"], release: [] });
  });

  test("a unit no longer placed is handed over; a unit still being stepped down from is not taken", () => {
    const self = member("a");
    const plan = planBalance({ self, units: ["b1", "b2"], members: [self], leases: new Map([["old", lease("old", "a")]]), busy: new Set(["b2"]) });
    expect(plan).toEqual({ quota: 2, take: ["b1"], release: ["old"] });
  });

  test("a node that is not a member takes nothing", () => {
    expect(planBalance({ self: member("a"), units: ["b0"], members: [member("b")], leases: new Map() })).toEqual({ quota: 0, take: [], release: [] });
  });
});

describe("leaseView", () => {
  test("each live node with its units' ages and time left; units of a node that is gone, or of nobody, are unplaced", () => {
    const at = 1_000_000;
    const leases = new Map([
      ["b1", { ...lease("b1", "a"), grantedAt: at - 60_000, expiresInMs: 2500 }],
      ["b2", { ...lease("b2", "gone"), grantedAt: at - 1000, expiresInMs: 400 }],
    ]);
    const view = leaseView({ members: [member("a"), member("b", true)], leases, at }, ["b1", "b2", "b3", "_global"], at + 1000);
    expect(view).toEqual({
      mode: "leases",
      seenAt: at,
      nodes: [
        { node: "a", draining: false, units: [{ unit: "b1", ageMs: 61_000, expiresInMs: 1500 }] },
        { node: "b", draining: true, units: [] },
      ],
      unplaced: ["b2", "b3", "_global"],
    });
  });
});
