import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { commissionLines, type OwnBase, type TreeAgent } from "../../actors/agent/index.ts";
import { duePeriods, SettlementBook, type SettlementTurn } from "../../actors/settlement/index.ts";
import { openShard, type Shard } from "../../shards/index.ts";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import { tempDir } from "../support/services.ts";

/**
 * Commission over random trees, rates and activity. Each agent earns its rate on its own
 * players and the difference between its rate and each child's on that child's subtree; the
 * amounts over a tree add up to the top rate x the whole base; an agent's amount depends on
 * its own subtree's activity alone; and whatever the settlement timer does, each period is
 * settled once, each of its lines asked for once.
 */

const CATEGORIES = ["slots", "live_casino", "table"] as const;
const BASIS = 10_000n;

type World = { agents: TreeAgent[]; own: Map<string, OwnBase> };

/** a tree of up to 4 levels; every child's rate at most its parent's, category by category */
const tree: fc.Arbitrary<TreeAgent[]> = fc
  .array(
    fc.record({
      parent: fc.nat(),
      keep: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      top: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 4, maxLength: 4 }),
    }),
    {
      minLength: 1,
      maxLength: 30,
    },
  )
  .map((specs) => {
    const agents: (TreeAgent & { level: number })[] = [];
    for (const [i, spec] of specs.entries()) {
      const candidates = agents.filter((a) => a.level < 4);
      const parent = i === 0 || spec.parent % 5 === 0 || candidates.length === 0 ? null : candidates[spec.parent % candidates.length]!;
      const cap = (k: number, category: string) => (parent ? (k === 3 ? parent.rates.losing : (parent.rates.rolling[category] ?? 0)) : spec.top[k]!);
      const rolling = Object.fromEntries(CATEGORIES.map((c, k) => [c, Math.floor(cap(k, c) * spec.keep[k]!)]));
      agents.push({ id: `a${i}`, parentId: parent?.id ?? null, level: (parent?.level ?? 0) + 1, rates: { rolling, losing: Math.floor(cap(3, "*") * spec.keep[3]!) } });
    }
    return agents.map(({ level: _level, ...agent }) => agent);
  });

const base = (scale: bigint) =>
  fc.record({
    turnover: fc.record(Object.fromEntries(CATEGORIES.map((c) => [c, fc.bigInt({ min: 0n, max: 10n ** 9n }).map((v) => v * scale)]))),
    netLoss: fc.bigInt({ min: 0n, max: 10n ** 9n }).map((v) => v * scale),
  }) as fc.Arbitrary<OwnBase>;

const world = (scale = 1n): fc.Arbitrary<World> =>
  tree.chain((agents) =>
    fc.array(fc.option(base(scale), { nil: undefined }), { minLength: agents.length, maxLength: agents.length }).map((bases) => ({
      agents,
      own: new Map(agents.flatMap((a, i) => (bases[i] ? [[a.id, bases[i]!] as const] : []))),
    })),
  );

function subtreeOf(agents: TreeAgent[], id: string): Set<string> {
  const ids = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of agents) if (a.parentId !== null && ids.has(a.parentId) && !ids.has(a.id)) grew = ids.add(a.id) !== undefined;
  }
  return ids;
}
const baseOf = (w: World, ids: Set<string>, category: string) =>
  [...ids].reduce((n, id) => n + (category === "*" ? (w.own.get(id)?.netLoss ?? 0n) : (w.own.get(id)?.turnover[category] ?? 0n)), 0n);
const rateOf = (a: TreeAgent, category: string) => BigInt(category === "*" ? a.rates.losing : (a.rates.rolling[category] ?? 0));
const amounts = (w: World) => new Map(commissionLines(w.agents, w.own).map((l) => [`${l.agentId}:${l.kind}`, l.amount]));

describe("commission over the agent tree", () => {
  test("over each tree the amounts add up to the top rate x the whole base, rounded down, and never go negative", () => {
    fc.assert(
      fc.property(world(), (w) => {
        const paid = amounts(w);
        for (const top of w.agents.filter((a) => a.parentId === null)) {
          const ids = subtreeOf(w.agents, top.id);
          const rolling = CATEGORIES.reduce((n, c) => n + (rateOf(top, c) * baseOf(w, ids, c)) / BASIS, 0n);
          const losing = (rateOf(top, "*") * baseOf(w, ids, "*")) / BASIS;
          expect([...ids].reduce((n, id) => n + paid.get(`${id}:rolling`)!, 0n)).toBe(rolling);
          expect([...ids].reduce((n, id) => n + paid.get(`${id}:losing`)!, 0n)).toBe(losing);
        }
        for (const amount of paid.values()) expect(amount >= 0n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("each level gets exactly its rate on its own players and its difference with each child on that child's subtree", () => {
    // bases in whole multiples of the basis, so nothing rounds and the difference is exact
    fc.assert(
      fc.property(world(BASIS), (w) => {
        const paid = amounts(w);
        for (const agent of w.agents) {
          const children = w.agents.filter((a) => a.parentId === agent.id);
          for (const [kind, categories] of [
            ["rolling", CATEGORIES],
            ["losing", ["*"]],
          ] as const) {
            let expected = 0n;
            for (const c of categories) {
              expected += rateOf(agent, c) * baseOf(w, new Set([agent.id]), c);
              for (const child of children) expected += (rateOf(agent, c) - rateOf(child, c)) * baseOf(w, subtreeOf(w.agents, child.id), c);
            }
            expect(paid.get(`${agent.id}:${kind}`)).toBe(expected / BASIS);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("nobody is paid for another's subtree: activity outside an agent's subtree leaves its amount as it was", () => {
    fc.assert(
      fc.property(world(), fc.nat(), base(1n), (w, pick, extra) => {
        const agent = w.agents[pick % w.agents.length]!;
        const mine = subtreeOf(w.agents, agent.id);
        const outside = w.agents.filter((a) => !mine.has(a.id));
        fc.pre(outside.length > 0);
        const before = amounts(w);
        const moved = { ...w, own: new Map(w.own).set(outside[pick % outside.length]!.id, extra) };
        const after = amounts(moved);
        expect(after.get(`${agent.id}:rolling`)).toBe(before.get(`${agent.id}:rolling`)!);
        expect(after.get(`${agent.id}:losing`)).toBe(before.get(`${agent.id}:losing`)!);
        // and with no activity in its subtree at all, an agent earns nothing
        const quiet = { ...w, own: new Map([...w.own].filter(([id]) => !mine.has(id))) };
        expect(amounts(quiet).get(`${agent.id}:rolling`)).toBe(0n);
        expect(amounts(quiet).get(`${agent.id}:losing`)).toBe(0n);
      }),
      { numRuns: 300 },
    );
  });

  test("settlement once per period: whatever the timer fires (repeated, late, out of order), each period opens once and each line is asked for once", () => {
    const start = Date.parse("2030-06-01T00:00:00Z");
    fc.assert(
      fc.property(
        world(),
        fc.constantFrom("daily" as const, "weekly" as const),
        fc.array(fc.integer({ min: 0, max: 20 * 24 }), { minLength: 1, maxLength: 30 }),
        (w, cadence, hours) => {
          const shard: Shard = openShard(tempDir("once"), "once");
          const book = new SettlementBook(shard.sqlite, "agent");
          const asked: ShardEvent[] = [];
          const lines = commissionLines(w.agents, w.own);
          const due = new Set<string>();
          for (const hour of hours) {
            const now = start + hour * 3_600_000;
            const turn: SettlementTurn = { now, emit: (e) => void asked.push(e) };
            for (const period of duePeriods(now, { cadence, timeZone: "Asia/Seoul", graceMs: 600_000, lookback: 2 })) {
              due.add(period.key);
              const credits = lines.map((l) => ({
                lineId: `agent:${period.key}:${l.agentId}:${l.kind}`,
                kind: l.kind,
                owner: { kind: "agent" as const, id: l.agentId },
                account: "cash" as const,
                amount: l.amount,
                detail: {},
              }));
              shard.sqlite.transaction(() => book.open(turn, { program: "commission", period, lines: credits, detail: {} }))();
            }
          }
          const opened = shard.sqlite.query<{ n: number }, []>("select count(*) as n from agent_settlements").get()!.n;
          expect(opened).toBe(due.size);
          const requests = asked.filter((e) => e.type === "settlement.credit_requested").map((e) => (e.payload as { lineId: string }).lineId);
          expect(new Set(requests).size).toBe(requests.length);
          expect(requests.length).toBe(due.size * lines.filter((l) => l.amount > 0n).length);
          shard.sqlite.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
