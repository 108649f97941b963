import type { Rates } from "./fields.ts";

/**
 * Commission over the agent tree, as integer arithmetic on minor units. Each agent's base is
 * its subtree's: rolling commission on turnover per game category, losing commission on net
 * loss (each player's bets minus wins for the period, a player who won counting as zero).
 *
 * An agent's gross is its rate on its subtree's base, rounded down; it keeps its gross less
 * what each child's gross passes down. So each level earns the difference between its rate
 * and its child's on the child's subtree (its full rate on its own players), and over any
 * tree the amounts add up exactly to the top agent's gross: top rate x the whole base.
 */

export type TreeAgent = { id: string; parentId: string | null; rates: Rates };
/** What one agent's own players did in the period: turnover by category, net loss (each player's floored at 0). */
export type OwnBase = { turnover: Record<string, bigint>; netLoss: bigint };
export type CommissionKind = "rolling" | "losing";
export type CommissionLine = { agentId: string; kind: CommissionKind; amount: bigint; detail: CommissionDetail };
/** How a line's amount was made: per category for rolling (`*` for losing). */
export type CommissionDetail = { rate: Record<string, number>; base: Record<string, string>; gross: Record<string, string>; passedDown: Record<string, string> };

const BASIS = 10_000n;

type Subtree = { turnover: Map<string, bigint>; netLoss: bigint };

export function commissionLines(agents: readonly TreeAgent[], own: ReadonlyMap<string, OwnBase>): CommissionLine[] {
  const children = childrenOf(agents);
  const subtree = new Map<string, Subtree>();
  const sum = (agent: TreeAgent): Subtree => {
    const mine = own.get(agent.id);
    const total: Subtree = { turnover: new Map(Object.entries(mine?.turnover ?? {})), netLoss: mine?.netLoss ?? 0n };
    for (const child of children.get(agent.id) ?? []) {
      const below = sum(child);
      for (const [category, amount] of below.turnover) total.turnover.set(category, (total.turnover.get(category) ?? 0n) + amount);
      total.netLoss += below.netLoss;
    }
    subtree.set(agent.id, total);
    return total;
  };
  const ids = new Set(agents.map((a) => a.id));
  for (const top of agents.filter((a) => a.parentId === null || !ids.has(a.parentId))) sum(top);

  const rollingGross = (agent: TreeAgent, category: string) => gross(agent.rates.rolling[category] ?? 0, subtree.get(agent.id)!.turnover.get(category) ?? 0n);
  const losingGross = (agent: TreeAgent) => gross(agent.rates.losing, subtree.get(agent.id)!.netLoss);
  const lines: CommissionLine[] = [];
  for (const agent of agents) {
    const base = subtree.get(agent.id);
    if (!base) continue;
    const below = children.get(agent.id) ?? [];
    const rolling: CommissionDetail = { rate: {}, base: {}, gross: {}, passedDown: {} };
    let rollingAmount = 0n;
    for (const [category, turnover] of base.turnover) {
      const mine = rollingGross(agent, category);
      const passed = below.reduce((n, child) => n + rollingGross(child, category), 0n);
      rolling.rate[category] = agent.rates.rolling[category] ?? 0;
      rolling.base[category] = turnover.toString();
      rolling.gross[category] = mine.toString();
      rolling.passedDown[category] = passed.toString();
      rollingAmount += mine - passed;
    }
    const losing = losingGross(agent);
    const losingPassed = below.reduce((n, child) => n + losingGross(child), 0n);
    lines.push({ agentId: agent.id, kind: "rolling", amount: floorAtZero(rollingAmount), detail: rolling });
    lines.push({
      agentId: agent.id,
      kind: "losing",
      amount: floorAtZero(losing - losingPassed),
      detail: { rate: { "*": agent.rates.losing }, base: { "*": base.netLoss.toString() }, gross: { "*": losing.toString() }, passedDown: { "*": losingPassed.toString() } },
    });
  }
  return lines;
}

function gross(rate: number, base: bigint): bigint {
  return base <= 0n ? 0n : (BigInt(rate) * base) / BASIS;
}

// the tree keeps every child's rate within its parent's, so a difference is never negative;
// a tree edited by hand past that rule pays nothing rather than taking money back
const floorAtZero = (n: bigint) => (n < 0n ? 0n : n);

function childrenOf(agents: readonly TreeAgent[]): Map<string, TreeAgent[]> {
  const children = new Map<string, TreeAgent[]>();
  for (const agent of agents) {
    if (agent.parentId === null) continue;
    const list = children.get(agent.parentId);
    if (list) list.push(agent);
    else children.set(agent.parentId, [agent]);
  }
  return children;
}

/** The rate rule of the tree: a child's rates never exceed its parent's, category by category. */
export function ratesWithin(child: Rates, parent: Rates): string | null {
  for (const [category, rate] of Object.entries(child.rolling)) {
    const cap = parent.rolling[category] ?? 0;
    if (rate > cap) return `rolling rate ${rate} for ${category} exceeds the parent's ${cap}`;
  }
  if (child.losing > parent.losing) return `losing rate ${child.losing} exceeds the parent's ${parent.losing}`;
  return null;
}
