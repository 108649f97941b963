import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CallbackNode, callbackNode } from "./callback-node.ts";
import { cash, fund, launch, type ProviderClient, type Reply, reconcile, registerProvider } from "./provider-client.ts";

/**
 * Many parallel bets, wins and rollbacks (each sent twice at once, as a retrying provider
 * would) against one node; then the same script one request at a time on a second brand.
 * Balances, per-request statuses and the ledger's own reconciliation must agree.
 */

let node: CallbackNode;
let standard: ProviderClient;
let batch: ProviderClient;

beforeAll(async () => {
  node = await callbackNode();
  standard = await registerProvider(node, "standard");
  batch = await registerProvider(node, "batch");
}, 30_000);
afterAll(async () => {
  await node?.close();
});

type Round = { id: string; bet: number; end: "win" | "rollback" | "open"; win: number; dialect: "standard" | "batch" };
type Script = { player: string; funds: number; rounds: Round[] };

function scripts(seed: number, players: number, roundsEach: number, dialects: Round["dialect"][]): Script[] {
  let state = seed;
  const next = (n: number) => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31), state % n);
  return Array.from({ length: players }, (_, p) => ({
    player: `pl-${seed}-${p}`,
    funds: 100_000,
    rounds: Array.from({ length: roundsEach }, (_, r) => ({
      id: `r${p}-${r}`,
      bet: 1 + next(500),
      end: (["win", "rollback", "open"] as const)[next(3)]!,
      win: next(1200),
      dialect: dialects[next(dialects.length)]!,
    })),
  }));
}

/** One round as a provider plays it: the bet, then its win or rollback; each request sent twice at once. */
async function playRound(brand: string, tokens: Map<string, string>, s: Script, r: Round, twice: boolean): Promise<string[]> {
  const token = tokens.get(`${s.player}:${r.dialect}`)!;
  const send = async (provider: ProviderClient, op: string, body: unknown) => {
    const replies: Reply[] = await Promise.all((twice ? [0, 1] : [0]).map(() => provider.call(op, body)));
    // the same outcome and transaction; a replay carries the balance of its own moment
    const same = (r: Reply) => ({ http: r.http, ...r.body, balance: undefined });
    if (twice) expect(same(replies[1]!)).toEqual(same(replies[0]!));
    return replies[0]!.body.status as string;
  };
  const betId = `${brand}-${r.id}-bet`;
  const statuses: string[] = [];
  if (r.dialect === "standard") {
    const base = { token, round: r.id, game_code: "slot-1" };
    statuses.push(await send(standard, "transaction/bet", { ...base, transaction_uuid: betId, amount: r.bet, currency: "KRW" }));
    if (r.end === "win")
      statuses.push(await send(standard, "transaction/win", { ...base, transaction_uuid: `${betId}-w`, reference_transaction_uuid: betId, amount: r.win, currency: "KRW" }));
    if (r.end === "rollback") statuses.push(await send(standard, "transaction/rollback", { ...base, transaction_uuid: `${betId}-r`, reference_transaction_uuid: betId }));
  } else {
    const actions = [{ action: "bet", action_id: betId, amount: r.bet }, ...(r.end === "win" ? [{ action: "win", action_id: `${betId}-w`, amount: r.win }] : [])];
    statuses.push(await send(batch, "play", { token, round: r.id, game_code: "slot-1", currency: "KRW", finished: r.end === "win", actions }));
    if (r.end === "rollback") statuses.push(await send(batch, "rollback", { token, round: r.id, actions: [{ action_id: `${betId}-r`, original_action_id: betId }] }));
  }
  return statuses;
}

async function prepare(all: Script[]) {
  const brand = await node.addBrand();
  const tokens = new Map<string, string>();
  for (const s of all) {
    await fund(node, brand, s.player, s.funds);
    tokens.set(`${s.player}:standard`, await launch(node, brand, s.player, standard.code));
    tokens.set(`${s.player}:batch`, await launch(node, brand, s.player, batch.code));
  }
  return { brand, tokens };
}

async function run(all: Script[], mode: "parallel" | "serial") {
  const { brand, tokens } = await prepare(all);
  const statuses = new Map<string, string[]>();
  const jobs = all.flatMap((s) => s.rounds.map((r) => ({ s, r })));
  if (mode === "parallel") {
    await Promise.all(jobs.map(async ({ s, r }) => statuses.set(`${s.player}/${r.id}`, await playRound(brand, tokens, s, r, true))));
  } else {
    for (const { s, r } of jobs) statuses.set(`${s.player}/${r.id}`, await playRound(brand, tokens, s, r, false));
  }
  const balances = Object.fromEntries(await Promise.all(all.map(async (s) => [s.player, await cash(node, brand, s.player)] as const)));
  return { brand, statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b))), balances };
}

const expectedBalance = (s: Script) => BigInt(s.rounds.reduce((sum, r) => sum - r.bet + (r.end === "win" ? r.win : r.end === "rollback" ? r.bet : 0), s.funds));

describe("concurrent callbacks", () => {
  for (const [label, all] of [
    ["one player", scripts(7, 1, 120, ["standard", "batch"])],
    ["many players", scripts(11, 12, 12, ["standard", "batch"])],
  ] as const) {
    test(`${label}: parallel equals serial, every request answered once, the ledger balances`, async () => {
      const parallel = await run(all, "parallel");
      const serial = await run(all, "serial");
      expect(
        Object.values(parallel.statuses)
          .flat()
          .every((s) => s === "RS_OK"),
      ).toBe(true);
      expect(parallel.statuses).toEqual(serial.statuses);
      expect(parallel.balances).toEqual(serial.balances);
      for (const s of all) expect(parallel.balances[s.player]).toBe(expectedBalance(s));
      for (const brand of [parallel.brand, serial.brand]) {
        const report = await reconcile(node, brand);
        expect({ ok: report.ok, accounts: report.accountMismatches, transactions: report.unbalancedTransactions }).toEqual({ ok: true, accounts: [], transactions: [] });
      }
    }, 60_000);
  }

  test("parallel bets past the balance: the cash account never goes below zero", async () => {
    const brand = await node.addBrand();
    await fund(node, brand, "thin", 1000);
    const token = await launch(node, brand, "thin", standard.code);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        standard.call("transaction/bet", { token, transaction_uuid: `thin-${i}`, round: `r${i}`, game_code: "slot-1", amount: 70, currency: "KRW" }),
      ),
    );
    const accepted = replies.filter((r) => r.body.status === "RS_OK").length;
    expect(accepted).toBe(14);
    expect(replies.filter((r) => r.body.status === "RS_ERROR_NOT_ENOUGH_MONEY").length).toBe(26);
    expect(await cash(node, brand, "thin")).toBe(20n);
    expect((await reconcile(node, brand)).ok).toBe(true);
  });
});
