import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { FOLLOWED_EVENTS, ppmOf, type RollingView, termsOf } from "../../actors/rolling/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { matchesTypes } from "../../actors/runtime/event-bus.ts";
import { type ModelEvent, ReferenceRolling } from "./reference-rolling.ts";
import { rollingSystem, TERMS, type WalletEvent, walletEvents } from "./rolling-system.ts";

/**
 * Random wallet histories (deposits, bonuses, bets in rated and unrated categories, wins,
 * rollbacks) delivered to `rolling@brand` late, early, twice and in random batches:
 * - it agrees with a plain model fed the events in the order they arrived (each id once);
 * - each record's progress is what non-rolled-back bets placed after its creation counted
 *   toward it (stake × rate, oldest record first), never negative, never above its target
 *   nor above what was bet after it; a player's records together never take more than the
 *   player's bets counted;
 * - each record is announced once and completes at most once, exactly when it is completed.
 * The seed is printed on failure; FC_SEED=<seed> replays a run.
 */

const CONFIG = { rolling: TERMS };
const terms = termsOf(CONFIG);
const followed = Object.values(FOLLOWED_EVENTS);

type Step =
  | { op: "deposit" | "bonus"; player: number; amount: number; multiple: number | null }
  | { op: "bet"; player: number; stake: number; category: string | null }
  | { op: "win" | "rollback"; player: number; pick: number };
type Delivery = { delay: number; copies: number; copyDelay: number };

const player = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("deposit" as const), player, amount: fc.constantFrom(100, 500, 1_000), multiple: fc.constantFrom(null, null, 0, 0.5, 1.25, 3) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("bonus" as const), player, amount: fc.constantFrom(50, 333), multiple: fc.constantFrom(null, 0, 2) }) },
  {
    weight: 7,
    arbitrary: fc.record({
      op: fc.constant("bet" as const),
      player,
      stake: fc.constantFrom(0, 1, 7, 50, 120, 400),
      category: fc.constantFrom("slots", "live_casino", "table", "sports", null),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("win" as const), player, pick: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rollback" as const), player, pick: fc.nat(7) }) },
);
/** how one event is delivered: on time or late, and how many times more */
const delivery = fc.record({
  delay: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }) }),
  copies: fc.constantFrom(0, 0, 0, 0, 1, 2),
  copyDelay: fc.integer({ min: 0, max: 10 }),
});
const scenario = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 40 }),
  deliveries: fc.array(delivery, { minLength: 1, maxLength: 50 }),
  batches: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
});

/** The wallet's history of a scenario, in the wallet's order: a rollback or win takes a bet still standing. */
function history(run: string, steps: Step[]): WalletEvent[] {
  const standing: WalletEvent[][] = [[], []];
  const events: WalletEvent[] = [];
  for (const s of steps) {
    const who = `${run}-p${s.player}`;
    if (s.op === "deposit") events.push(walletEvents.deposit(who, s.amount, s.multiple === null ? {} : { rollingMultiple: s.multiple }));
    else if (s.op === "bonus") events.push(walletEvents.bonus(who, s.amount, s.multiple ?? undefined));
    else if (s.op === "bet") {
      const bet = walletEvents.bet(who, s.stake, s.category);
      events.push(bet);
      standing[s.player]!.push(bet);
    } else if (s.op === "win" || s.op === "rollback") {
      const bets = standing[s.player]!;
      if (bets.length === 0) continue;
      const [bet] = bets.splice(s.pick % bets.length, 1);
      events.push(s.op === "rollback" ? walletEvents.rollback(bet!) : { id: crypto.randomUUID(), type: "wallet.win", payload: { player: who, amount: "5" } });
    }
  }
  return events;
}

/** What reaches rolling: the followed events, some late, some again, in the order they arrive. */
function arrivals(events: WalletEvent[], deliveries: Delivery[]): WalletEvent[] {
  const sent: { at: number; n: number; event: WalletEvent }[] = [];
  events.forEach((event, i) => {
    if (!matchesTypes(followed, event.type)) return;
    const d = deliveries[i % deliveries.length]!;
    sent.push({ at: i + d.delay, n: sent.length, event });
    for (let c = 1; c <= d.copies; c++) sent.push({ at: i + d.delay + d.copyDelay * c, n: sent.length, event });
  });
  return sent.sort((a, b) => a.at - b.at || a.n - b.n).map((s) => s.event);
}

function modelEvent(e: WalletEvent): ModelEvent {
  const p = e.payload as {
    player: string;
    transactionId: string;
    idempotencyKey: string;
    amount: string;
    gameCategory?: string | null;
    reference?: string;
    rollingMultiple?: number;
  };
  if (e.type === "wallet.bet_settled")
    return { kind: "bet", player: p.player, tx: p.transactionId, key: p.idempotencyKey, stake: BigInt(p.amount), ratePpm: terms.ratePpm(p.gameCategory ?? null) };
  if (e.type === "wallet.rollback") return { kind: "rollback", player: p.player, key: p.reference! };
  const kind = e.type === "wallet.deposit_approved" ? "deposit" : "bonus";
  const fallback = kind === "deposit" ? terms.depositMultiplePpm : terms.bonusMultiplePpm;
  return { kind, player: p.player, tx: p.transactionId, amount: BigInt(p.amount), multiplePpm: p.rollingMultiple === undefined ? fallback : ppmOf(p.rollingMultiple) };
}

let rs: Awaited<ReturnType<typeof rollingSystem>>;
let brand: string;
beforeAll(async () => {
  rs = await rollingSystem();
  brand = await rs.addBrand(CONFIG);
});
afterAll(() => rs[Symbol.asyncDispose]());

let runs = 0;
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

test("wagering progress over random histories, redeliveries and reorderings", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ steps, deliveries, batches }) => {
      const run = `run${++runs}`;
      const wallet = history(run, steps);
      const arrived = arrivals(wallet, deliveries);
      for (let at = 0, b = 0; at < arrived.length; b++) {
        const size = batches[b % batches.length]!;
        await rs.deliver(brand, arrived.slice(at, at + size));
        at += size;
      }
      const model = new ReferenceRolling();
      const seen = new Set<string>();
      for (const e of arrived) if (!seen.has(e.id) && seen.add(e.id)) model.apply(modelEvent(e));
      for (const p of [0, 1]) await checkPlayer(`${run}-p${p}`, wallet, model);
    }),
    { numRuns: 400, seed, verbose: 1 },
  );
}, 120_000);

async function checkPlayer(player: string, wallet: WalletEvent[], model: ReferenceRolling) {
  const { items, summary } = expectOk(await rs.client(brand).playerRollings({ player, limit: 200 }));
  const bySource = new Map<string, RollingView>(items.map((r) => [r.source, r]));
  const expected = [...model.records.values()].filter((r) => r.player === player);
  expect(items.length).toBe(expected.length);
  for (const m of expected) {
    const r = bySource.get(m.source)!;
    expect({ target: r.target, progress: r.progress, status: r.status }).toEqual({ target: String(m.target), progress: String(m.progress), status: m.status });
  }
  const contributionOf = (e: WalletEvent) => (BigInt(e.payload.amount as string) * terms.ratePpm((e.payload.gameCategory as string | null) ?? null)) / 1_000_000n;
  const rolledBack = new Set(wallet.filter((e) => e.type === "wallet.rollback").map((e) => e.payload.reference));
  const standingBets = wallet.filter((e) => e.type === "wallet.bet_settled" && e.payload.player === player && !rolledBack.has(e.payload.idempotencyKey));
  let taken = 0n;
  for (const r of items) {
    const progress = BigInt(r.progress);
    const after = standingBets.filter((b) => (b.payload.transactionId as string) > r.source).reduce((sum, b) => sum + contributionOf(b), 0n);
    expect(progress >= 0n && progress <= BigInt(r.target) && progress <= after).toBe(true);
    expect(progress).toBe(countedToward(r));
    taken += progress;
  }
  expect(taken <= standingBets.reduce((sum, b) => sum + contributionOf(b), 0n)).toBe(true);
  expect(summary.open).toBe(items.filter((r) => r.status === "open").length);

  const events = rs.published(brand).filter((e) => e.payload.player === player);
  for (const r of items) {
    const about = events.filter((e) => e.payload.rollingId === r.id);
    expect(about.filter((e) => e.type === "rolling.created")).toHaveLength(1);
    expect(about.filter((e) => e.type === "rolling.completed")).toHaveLength(r.status === "completed" ? 1 : 0);
    const versions = about.map((e) => e.payload.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  }
}

/** What the shard says non-rolled-back bets placed after the record counted toward it. */
function countedToward(r: RollingView): bigint {
  const shard = rs.shard(brand);
  const rows = shard.sqlite
    .query<{ amount: string; transaction_id: string }, [string]>(
      `select s.value ->> 1 as amount, b.transaction_id from rolling_bets b, json_each(b.shares) s where s.value ->> 0 = ? and b.rolled_back = 0`,
    )
    .all(r.id);
  rs.shards.release(brand);
  for (const row of rows) expect(row.transaction_id > r.source).toBe(true);
  return rows.reduce((sum, row) => sum + BigInt(row.amount), 0n);
}
