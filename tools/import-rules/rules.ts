import type { ImportEdge } from "./graph.ts";

/** Where a file sits in the architecture, read from its path alone. */
export type Place =
  | { layer: "config" }
  /** the runtime and the shard files beneath every domain */
  | { layer: "platform"; runtime: boolean }
  | { layer: "domain"; domain: string; entry: boolean }
  /** `edge` is null for `edges/index.ts`, which composes the edges */
  | { layer: "edge"; edge: string | null; entry: boolean }
  | { layer: "supervisor" }
  | { layer: "migrations" }
  /** tests, benches, tools: free to import anything */
  | { layer: "other" };

export function placeOf(path: string): Place {
  const parts = path.split("/");
  const [top, second] = parts;
  if (top === "config") return { layer: "config" };
  if (top === "shards") return { layer: "platform", runtime: false };
  if (top === "supervisor") return { layer: "supervisor" };
  if (top === "migrations") return { layer: "migrations" };
  if (top === "actors" && parts.length > 2 && second) {
    return second === "runtime" ? { layer: "platform", runtime: true } : { layer: "domain", domain: second, entry: parts.length === 3 && parts[2] === "index.ts" };
  }
  if (top === "edges" && second) {
    if (parts.length === 2) return { layer: "edge", edge: null, entry: false };
    return { layer: "edge", edge: second, entry: parts.length === 3 && parts[2] === "index.ts" };
  }
  return { layer: "other" };
}

/** A store, a shard, a table or the outbox: what only actors (and the node that builds them) touch. */
function isStore(path: string, place: Place): boolean {
  if (place.layer === "migrations" || (place.layer === "platform" && !place.runtime)) return true;
  if (!path.startsWith("actors/")) return false;
  const file = path.split("/").at(-1) ?? "";
  return file === "schema.ts" || file.endsWith("-schema.ts") || path === "actors/runtime/central-store.ts" || /^actors\/runtime\/outbox-/.test(path);
}

export type ImportRule = {
  id: string;
  /** the rule as a sentence, printed beside each violation */
  says: string;
  breaks(from: Place, to: Place, toPath: string): boolean;
};

const isActorSide = (p: Place) => p.layer === "domain" || p.layer === "platform";

export const IMPORT_RULES: readonly ImportRule[] = [
  {
    id: "edge-imports-store",
    says: "edges never import a store, a shard, a table, the outbox or migrations",
    breaks: (from, to, toPath) => from.layer === "edge" && isStore(toPath, to),
  },
  {
    id: "edge-imports-domain-internals",
    says: "edges reach a domain only through its index.ts",
    // a table is reported as a store, once
    breaks: (from, to, toPath) => from.layer === "edge" && to.layer === "domain" && !to.entry && !isStore(toPath, to),
  },
  {
    id: "edge-imports-supervisor",
    says: "edges never import the supervisor",
    breaks: (from, to) => from.layer === "edge" && to.layer === "supervisor",
  },
  {
    id: "edge-imports-other-edge",
    says: "an edge never imports another edge (edges/shared is for all); edges/index.ts takes each edge's index.ts and edges/shared only",
    breaks: (from, to) => {
      if (from.layer !== "edge" || to.layer !== "edge" || to.edge === null || to.edge === from.edge || to.edge === "shared") return false;
      return from.edge === null ? !to.entry : true;
    },
  },
  {
    id: "actor-imports-edge",
    says: "actors, the runtime and shards never import edges",
    breaks: (from, to) => isActorSide(from) && to.layer === "edge",
  },
  {
    id: "actor-imports-supervisor",
    says: "actors, the runtime and shards never import the supervisor",
    breaks: (from, to) => isActorSide(from) && to.layer === "supervisor",
  },
  {
    id: "platform-imports-domain",
    says: "the runtime and shards never import a domain",
    breaks: (from, to) => from.layer === "platform" && to.layer === "domain",
  },
  {
    id: "domain-imports-domain-internals",
    says: "a domain imports another domain only through its index.ts",
    breaks: (from, to) => from.layer === "domain" && to.layer === "domain" && to.domain !== from.domain && !to.entry,
  },
  {
    id: "config-imports-platform",
    says: "config/ imports nothing of the platform",
    breaks: (from, to) => from.layer === "config" && to.layer !== "config",
  },
];

export const CYCLE_RULE = { id: "cycle", says: "no import cycles, type-only imports included" } as const;

export type Violation = { rule: string; from: string; to: string; says: string; cycle?: string[] };

/** The allow-list line of a violation: stable across runs, one per importing pair and rule. */
export const violationKey = (v: Pick<Violation, "rule" | "from" | "to">) => `${v.rule} ${v.from} -> ${v.to}`;

/** Every import that breaks a layer rule, and every import that closes a cycle. */
export function importViolations(edges: readonly ImportEdge[]): Violation[] {
  const found = new Map<string, Violation>();
  const add = (v: Violation) => found.has(violationKey(v)) || found.set(violationKey(v), v);
  for (const edge of edges) {
    const from = placeOf(edge.from);
    const to = placeOf(edge.to);
    for (const rule of IMPORT_RULES) if (rule.breaks(from, to, edge.to)) add({ rule: rule.id, from: edge.from, to: edge.to, says: rule.says });
  }
  for (const v of cycleViolations(edges)) add(v);
  return [...found.values()].sort((a, b) => violationKey(a).localeCompare(violationKey(b)));
}

/** Each import between two files of one strongly connected component, with one cycle through it. */
function cycleViolations(edges: readonly ImportEdge[]): Violation[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)?.add(to);
  }
  const component = stronglyConnected(next);
  const violations: Violation[] = [];
  for (const [from, targets] of next) {
    const id = component.get(from);
    for (const to of targets) {
      // two files in one component import each other through it; a file may also import itself
      if (component.get(to) !== id) continue;
      violations.push({ rule: CYCLE_RULE.id, says: CYCLE_RULE.says, from, to, cycle: [from, ...pathBetween(next, to, from, (n) => component.get(n) === id)] });
    }
  }
  return violations;
}

/** Tarjan's algorithm: each node's component id; nodes on a cycle share one. */
function stronglyConnected(next: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const component = new Map<string, number>();
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const id = component.size;
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.set(member, id);
      if (member === node) break;
    }
  };
  for (const node of next.keys()) if (!index.has(node)) connect(node);
  return component;
}

/** A shortest path from `start` to `goal` through nodes that `inside` accepts (breadth first). */
function pathBetween(next: ReadonlyMap<string, ReadonlySet<string>>, start: string, goal: string, inside: (node: string) => boolean): string[] {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined && node !== goal; node = queue.shift()) {
    for (const to of next.get(node) ?? []) {
      if (cameFrom.has(to) || !inside(to)) continue;
      cameFrom.set(to, node);
      queue.push(to);
    }
  }
  const path: string[] = [];
  for (let node: string | null | undefined = goal; node != null; node = cameFrom.get(node)) path.unshift(node);
  return path;
}
