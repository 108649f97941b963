import { expect, test } from "bun:test";
import fc from "fast-check";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import type { ActorKind, Incoming, Outcome } from "../../actors/runtime/index.ts";
import { ActorSystem, createLogger, MemoryTransport, RuntimeMetrics } from "../../actors/runtime/index.ts";
import { reconcile, walletClient, walletKind } from "../../actors/wallet/index.ts";
import { testStore } from "../support/services.ts";
import { createBrand } from "./harness.ts";
import { type ModelAction, type ModelCommand, ReferenceWallet } from "./reference-model.ts";

/**
 * Random command sequences from concurrent clients through a real ActorSystem: after every
 * batch the ledger balances; at the end, a plain one-at-a-time model fed the commands in
 * the order the actor took them agrees on every outcome and every balance.
 */

const PLAYERS = ["p0", "p1"];
// few players, keys, rounds and amounts, so that replays, duplicates and references meet often
const player = fc.constantFrom(...PLAYERS);
const round = fc.constantFrom("r0", "r0", "r0", "r1");
const betUuid = fc.constantFrom("b0", "b1", "b2", "b3", "b4", "b5");
const requestId = fc.constantFrom("q0", "q1", "q2", "q3");
const evo = { provider: fc.constant("evo"), player, round };

const command: fc.Arbitrary<ModelCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        adjustmentId: fc.constantFrom("a0", "a1", "a2", "a3", "a4", "a5"),
        owner: fc.oneof(
          player.map((id) => ({ kind: "player" as const, id })),
          fc.constant({ kind: "agent" as const, id: "g0" }),
        ),
        amount: fc.constantFrom(-30n, 20n, 50n, 100n),
        reason: fc.constant("r"),
        by: fc.constant({ staffId: "s", username: "s" }),
      })
      .map((body) => ({ type: "adjust" as const, body })),
  },
  { weight: 6, arbitrary: fc.record({ ...evo, transactionUuid: betUuid, amount: fc.constantFrom(0n, 5n, 10n, 40n) }).map((body) => ({ type: "bet" as const, body })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ ...evo, transactionUuid: fc.constantFrom("w0", "w1", "w2", "w3"), referenceTransactionUuid: betUuid, amount: fc.constantFrom(0n, 15n) })
      .map((body) => ({ type: "win" as const, body })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ ...evo, transactionUuid: fc.constantFrom("x0", "x1", "x2", "x3"), referenceTransactionUuid: fc.constantFrom("b0", "b1", "b9") })
      .map((body) => ({ type: "rollback" as const, body })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        transferId: fc.constantFrom("t0", "t1", "t2"),
        agent: fc.constant("g0"),
        player,
        direction: fc.constantFrom("agent_to_player" as const, "player_to_agent" as const),
        amount: fc.constantFrom(10n, 30n),
      })
      .map((body) => ({ type: "transfer" as const, body })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constantFrom("depositRequest" as const, "withdrawalRequest" as const),
      body: fc.record({ requestId, player, amount: fc.constantFrom(10n, 60n) }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constantFrom("depositApprove" as const, "withdrawalApprove" as const, "withdrawalReject" as const), body: fc.record({ requestId }) }),
  },
);

/** A bet and what follows it at the same table: wins, rollbacks, the provider's retries. */
const play: fc.Arbitrary<ModelCommand[]> = fc
  .record({
    player,
    round,
    uuid: betUuid,
    amount: fc.constantFrom(0n, 5n, 10n, 40n),
    then: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant("win" as const), uuid: fc.constantFrom("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"), amount: fc.constantFrom(0n, 15n) }),
        fc.record({ kind: fc.constant("rollback" as const), uuid: fc.constantFrom("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7") }),
        fc.record({ kind: fc.constant("retry" as const) }),
      ),
      { maxLength: 3 },
    ),
  })
  .map(({ player, round, uuid, amount, then }) => {
    const at = { provider: "evo", player, round };
    const bet: ModelCommand = { type: "bet", body: { ...at, transactionUuid: uuid, amount } };
    return [
      bet,
      ...then.map((next): ModelCommand => {
        if (next.kind === "win") return { type: "win", body: { ...at, transactionUuid: next.uuid, referenceTransactionUuid: uuid, amount: next.amount } };
        if (next.kind === "rollback") return { type: "rollback", body: { ...at, transactionUuid: next.uuid, referenceTransactionUuid: uuid } };
        return bet;
      }),
    ];
  });

/**
 * A batch-dialect round at the same table: calls of one to three actions, bets and wins
 * naming no bet, rollbacks, and the provider's retries of a call.
 */
const batchAction: fc.Arbitrary<ModelAction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ action: fc.constant("bet" as const), actionId: betUuid, amount: fc.constantFrom(0n, 5n, 10n, 40n) }) },
  {
    weight: 2,
    arbitrary: fc.record({ action: fc.constant("win" as const), actionId: fc.constantFrom("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"), amount: fc.constantFrom(0n, 15n) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      action: fc.constant("rollback" as const),
      actionId: fc.constantFrom("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"),
      originalActionId: fc.constantFrom("b0", "b1", "b2", "b9"),
    }),
  },
);
const batchRound: fc.Arbitrary<ModelCommand[]> = fc
  .record({
    player,
    round,
    calls: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.uniqueArray(batchAction, { selector: (a) => a.actionId, minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constant("retry" as const) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ player, round, calls }) => {
    const commands: ModelCommand[] = [];
    for (const call of calls) {
      if (call !== "retry") commands.push({ type: "batch", body: { provider: "evo", player, round, actions: call } });
      else if (commands.length > 0) commands.push(commands.at(-1)!);
    }
    return commands;
  });

const client = fc
  .array(fc.oneof({ weight: 2, arbitrary: play }, { weight: 2, arbitrary: batchRound }, { weight: 3, arbitrary: command.map((c) => [c]) }), { minLength: 1, maxLength: 6 })
  .map((groups) => groups.flat());

type Taken = { type: string; body: unknown; outcome: Outcome };

/** The wallet kind, observed: what each batch decided, in order, and the ledger checked after it. */
function observed(base: ActorKind, taken: Taken[], afterBatch: () => Promise<void>): ActorKind {
  return {
    ...base,
    create: async (ctx) => {
      const behavior = await base.create(ctx);
      return {
        recall: (ids) => behavior.recall(ids),
        receive: async (batch: Incoming[]) => {
          const outcomes = await behavior.receive(batch);
          batch.forEach((m, i) => taken.push({ type: m.type, body: m.body, outcome: outcomes[i]! }));
          await afterBatch();
          return outcomes;
        },
      };
    },
  };
}

async function ledgerViolations(store: CentralStore, brand: string): Promise<string[]> {
  const [totals] = await store.query<{ total: bigint; negative: bigint }>(
    `SELECT (SELECT COALESCE(sum(amount), 0) FROM wallet_postings WHERE brand_id = $1) AS total,
            (SELECT count(*) FROM wallet_accounts WHERE brand_id = $1 AND owner_kind <> 'brand' AND balance < 0) AS negative`,
    [brand],
  );
  const report = await reconcile(store, brand);
  const problems: string[] = [];
  if (BigInt(totals!.total) !== 0n) problems.push(`postings sum to ${totals!.total}`);
  if (BigInt(totals!.negative) !== 0n) problems.push(`${totals!.negative} holder accounts below zero`);
  if (!report.ok) problems.push(JSON.stringify(report));
  return problems;
}

/** Each client first gives both players some cash, so that bets are not all refused. */
const funding = (client: number): ModelCommand[] =>
  PLAYERS.map((id) => ({
    type: "adjust",
    body: { adjustmentId: `fund-${client}-${id}`, owner: { kind: "player", id }, amount: 40n, reason: "r", by: { staffId: "s", username: "s" } },
  }));

const toWire = (body: unknown) => JSON.parse(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

async function run(clients: ModelCommand[][]) {
  const store = await testStore();
  const brand = await createBrand(store);
  const metrics = new RuntimeMetrics();
  const taken: Taken[] = [];
  const violations: string[] = [];
  const kind = observed(walletKind({ store, metrics, config: { NODE_ID: "prop" } }, { maxBatch: 16 }), taken, async () => {
    violations.push(...(await ledgerViolations(store, brand)));
  });
  const system = new ActorSystem({
    transport: new MemoryTransport(),
    nodeId: `prop-${brand}`,
    log: createLogger("silent"),
    supervision: { backoffMs: 1, maxBackoffMs: 5, intensity: 10, periodMs: 60_000 },
    askTimeoutMs: 20_000,
    maxQueued: 1000,
    idleMs: 60_000,
    metrics,
  }).register(kind);
  await system.start();
  await system.host("wallet", brand);
  const wallet = walletClient(system, brand);
  try {
    // each client sends its commands one after another; the clients run at the same time
    await Promise.all(
      clients.map(async (commands, i) => {
        for (const c of [...funding(i), ...commands]) await (wallet[c.type as keyof typeof wallet] as (body: unknown) => Promise<unknown>)(toWire(c.body));
      }),
    );
    expect(violations).toEqual([]);
    expect(system.status()[0]!.restarts).toBe(0);

    const model = new ReferenceWallet();
    for (const t of taken) {
      const expected = model.apply({ type: t.type, body: t.body } as ModelCommand);
      const actual = t.outcome.ok ? "ok" : t.outcome.error.code;
      const context = `${t.type} ${JSON.stringify(toWire(t.body))}`;
      expect(`${context} -> ${actual}`).toBe(`${context} -> ${expected.result}`);
      if (["bet", "win", "rollback", "batch"].includes(t.type)) {
        const reported = t.outcome.ok ? (t.outcome.value as { balance: string }).balance : (t.outcome.error.details as { balance: string }).balance;
        expect(`${context} balance ${reported}`).toBe(`${context} balance ${model.balance(`player:${(t.body as { player: string }).player}:cash`)}`);
      }
    }
    const stored = await store.query<{ owner_kind: string; owner_id: string; type: string; balance: bigint }>(
      "SELECT owner_kind, owner_id, type, balance FROM wallet_accounts WHERE brand_id = $1",
      [brand],
    );
    const actual = Object.fromEntries(stored.map((a) => [a.owner_kind === "brand" ? `brand:${a.type}` : `${a.owner_kind}:${a.owner_id}:${a.type}`, BigInt(a.balance)]));
    const expected = Object.fromEntries([...model.balances].filter(([account]) => account in actual || model.balance(account) !== 0n));
    for (const account of Object.keys(actual)) expected[account] ??= 0n;
    expect(actual).toEqual(expected);
  } finally {
    await system.drain();
  }
}

test("concurrent random commands keep the ledger balanced and agree with the reference model", async () => {
  await fc.assert(fc.asyncProperty(fc.array(client, { minLength: 2, maxLength: 6 }), run), { numRuns: Number(process.env.WALLET_PROPERTY_RUNS ?? 12) });
}, 120_000);
