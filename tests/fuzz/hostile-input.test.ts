import { afterAll, beforeAll, expect, test } from "bun:test";
import { EDGE_NAMES } from "../../edges/index.ts";
import { ledgerMark, nodeProblems, normalUseProblems, reconcileProblems, unexplainedMoves } from "./after-fuzz.ts";
import { type Failure, type FuzzLedger, fuzzEdge } from "./fuzz-run.ts";
import { type FuzzWorld, fuzzWorld } from "./fuzz-world.ts";

/**
 * The hostile-input fuzz test: every operation of every edge's OpenAPI document gets RUNS
 * requests generated from its own schemas and made hostile (numbers past every range,
 * control characters, deep nesting, wrong types, fields left out or added, broken bodies and
 * media types, hostile path, query and header values, the credentials of the wrong caller),
 * sent with credentials that reach validation and the actors. No answer may be a 5xx or leave
 * the error envelope, accept a body its schema refuses, a foreign credential or a brand
 * outside the member's scope; afterwards no actor
 * restarted or is degraded, no mailbox holds a dead letter, every brand reconciles, no money
 * moved but by requests that succeeded, and the brand still serves a log-in, a balance and
 * a bet. FUZZ_SEED=<seed> replays a run; FUZZ_RUNS sets the runs per operation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === "1";

let world: FuzzWorld;
let mark: bigint;
const ledger: FuzzLedger = { requests: 0, routes: new Set(), accepted: [] };
const started = performance.now();

beforeAll(async () => {
  world = await fuzzWorld();
  mark = await ledgerMark(world);
}, 60_000);

afterAll(async () => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz: ${ledger.requests} hostile requests to ${ledger.routes.size} routes of ${EDGE_NAMES.length} edges (${ledger.accepted.length} succeeded) in ${seconds} s; FUZZ_SEED=${SEED}, ${RUNS} runs per route`,
  );
  await world?.node.stop();
});

const report = (failures: Failure[]) =>
  failures.map((f) => `${f.operation}\n  ${f.request}\n  ${f.problems.join("\n  ")}\n  replay: FUZZ_SEED=${f.seed} bun test tests/fuzz/`).join("\n");

for (const edge of EDGE_NAMES) {
  test(`every route of the ${edge} edge answers hostile requests without a 5xx, in its error envelope`, async () => {
    const failures = await fuzzEdge(world, edge, ledger, { seed: SEED, runs: RUNS, keepGoing: KEEP_GOING });
    expect(report(failures)).toBe("");
  }, 120_000);
}

test("after the fuzz no actor restarted or is degraded, no mailbox holds a dead letter, and every brand reconciles", async () => {
  expect([...(await nodeProblems(world)), ...(await reconcileProblems(world))]).toEqual([]);
}, 30_000);

test("after the fuzz no money moved but by requests that succeeded", async () => {
  expect(await unexplainedMoves(world, mark, ledger.accepted)).toEqual([]);
}, 30_000);

test("after the fuzz a player the run never touched logs in, reads their balance and bets", async () => {
  expect(await normalUseProblems(world)).toEqual([]);
}, 30_000);
