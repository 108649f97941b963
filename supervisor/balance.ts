import type { Holder, Lease, Member } from "../actors/runtime/leases.ts";
import type { PlacementStatus } from "../actors/runtime/operations.ts";

/** The placement unit of the global actors (catalog, identity, game registry): one writer of each, together. */
export const GLOBAL_UNIT = "_global";

/** The unit a brand's actors (or, for null, the global ones) are placed by. */
export const unitOf = (brand: string | null) => brand ?? GLOBAL_UNIT;

/** What one node sees of the cluster when it balances. */
export type BalanceView = {
  self: Holder;
  /** every unit to place: the catalog's brands and the global unit */
  units: readonly string[];
  /** live members, draining ones included */
  members: readonly Member[];
  /** the current lease of each held unit */
  leases: ReadonlyMap<string, Lease>;
  /** units this node is still stepping down from or handing over: neither free nor its own now */
  busy?: ReadonlySet<string>;
};

export type BalancePlan = { quota: number; take: string[]; release: string[] };

/**
 * What this node should take and hand over so that units spread over the live nodes within
 * one of even. With n units over m nodes that do not drain, the nodes holding most get
 * ceil(n/m) (n mod m of them, ties by name) and the others floor(n/m); each node takes free
 * units while under its quota and hands over its extras while above it. Every node computes
 * the same quotas from the same view, so a new node gets units handed over, and a dead node's
 * units (free once its leases expire) go to the nodes under their quota. A draining node, or
 * one not (yet) a member, takes nothing and hands everything over.
 */
export function planBalance(view: BalanceView): BalancePlan {
  const holds = (lease: Lease | undefined, h: Holder) => lease?.node === h.node && lease.instance === h.instance;
  const wanted = new Set(view.units);
  const mine = [...view.leases.values()].filter((l) => holds(l, view.self)).map((l) => l.unit);
  const me = view.members.find((m) => m.node === view.self.node && m.instance === view.self.instance);
  if (!me || me.draining) return { quota: 0, take: [], release: mine };

  const eligible = view.members.filter((m) => !m.draining);
  const counts = new Map(eligible.map((m) => [m.node, 0]));
  for (const lease of view.leases.values()) if (wanted.has(lease.unit) && counts.has(lease.node)) counts.set(lease.node, counts.get(lease.node)! + 1);
  const ranked = [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([node]) => node);
  const even = Math.floor(view.units.length / eligible.length);
  const quota = even + (ranked.indexOf(me.node) < view.units.length % eligible.length ? 1 : 0);

  const gone = mine.filter((unit) => !wanted.has(unit));
  const kept = byPreference(
    view.self.node,
    mine.filter((unit) => wanted.has(unit)),
  );
  const release = [...gone, ...kept.slice(quota)];
  const free = view.units.filter((unit) => !view.leases.has(unit) && !view.busy?.has(unit));
  const take = byPreference(view.self.node, free).slice(0, Math.max(0, quota - kept.length));
  return { quota, take, release };
}

/**
 * The cluster as an operator sees it, from the members and leases read at `seen.at`: each
 * live node with its units, their ages and how long their leases have left; units no live
 * node holds.
 */
export function leaseView(
  seen: { members: readonly Member[]; leases: ReadonlyMap<string, Lease>; at: number },
  units: readonly string[],
  now: number,
): Omit<PlacementStatus, "node" | "draining"> {
  const byNode = new Map(seen.members.map((m) => [m.node, { node: m.node, draining: m.draining, units: [] as PlacementStatus["nodes"][number]["units"] }]));
  for (const lease of seen.leases.values()) {
    byNode.get(lease.node)?.units.push({ unit: lease.unit, ageMs: now - lease.grantedAt, expiresInMs: Math.max(0, lease.expiresInMs - (now - seen.at)) });
  }
  const placed = new Set([...seen.leases.values()].filter((l) => byNode.has(l.node)).map((l) => l.unit));
  return {
    mode: "leases",
    seenAt: seen.at,
    nodes: [...byNode.values()].map((n) => ({ ...n, units: n.units.sort((a, b) => (a.unit < b.unit ? -1 : 1)) })),
    unplaced: units.filter((u) => !placed.has(u)),
  };
}

/**
 * Units in the order `node` prefers them (rendezvous hashing): nodes racing for free units
 * mostly try different ones first, and a node keeps the ones it prefers when it hands over.
 */
function byPreference(node: string, units: string[]): string[] {
  return units
    .map((unit) => ({ unit, rank: fnv1a(`${node}\u0000${unit}`) }))
    .sort((a, b) => a.rank - b.rank)
    .map((u) => u.unit);
}

/** 32-bit FNV-1a: a spread, not a secret. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
