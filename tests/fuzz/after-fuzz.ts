import { expectOk } from "../../actors/runtime/client.ts";
import type { FuzzWorld } from "./fuzz-world.ts";
import type { Exchange } from "./verdict.ts";

/** Where the ledger stood before the run: the last transaction's serial number (every later insert has a higher one). */
export async function ledgerMark(world: FuzzWorld): Promise<bigint> {
  const rows = await world.node.parts.store.query<{ seq: bigint | null }>("SELECT max(seq) AS seq FROM wallet_transactions");
  return BigInt(rows[0]?.seq ?? 0);
}

/**
 * What is wrong with the node after the run: an actor that restarted, is degraded or waits,
 * a dead letter in any mailbox.
 */
export async function nodeProblems(world: FuzzWorld): Promise<string[]> {
  const operations = world.node.edge.operations;
  const status = await operations.status();
  const problems: string[] = [];
  for (const actor of status.actors) {
    if (actor.restarts > 0) problems.push(`${actor.address} restarted ${actor.restarts} time(s)`);
    if (["degraded", "restarting", "waiting"].includes(actor.state)) problems.push(`${actor.address} is ${actor.state}`);
    for (const letter of actor.mailbox.deadLetters > 0 ? await operations.deadLetters(actor.address, 5) : []) {
      problems.push(`${actor.address} has a dead letter: ${letter.envelope.type} (${letter.reason}) ${JSON.stringify(letter.envelope.body).slice(0, 300)}`);
    }
  }
  return problems;
}

/** The ledger of every brand the node hosts (the fuzzer's own and those it created) against its postings. */
export async function reconcileProblems(world: FuzzWorld): Promise<string[]> {
  const problems: string[] = [];
  const brands = world.node.edge.operations.hosted().flatMap((address) => (address.startsWith("wallet@") ? [address.slice("wallet@".length)] : []));
  for (const brand of brands) {
    const report = expectOk(await world.node.edge.clients.wallet(brand).reconcile({}));
    if (!report.ok) problems.push(`${brand} does not reconcile: ${JSON.stringify(report)}`);
  }
  return problems;
}

type Moved = { id: string; key: string; kind: string; amount: string; brand: string };

/**
 * Money that moved during the run without a request the fuzzer saw succeed: every accepted
 * transaction with postings since `mark` must be named by an accepted answer (its id, or the
 * id its idempotency key was made from, in the request or the reply).
 */
export async function unexplainedMoves(world: FuzzWorld, mark: bigint, accepted: Exchange[]): Promise<string[]> {
  const moved = await world.node.parts.store.query<Moved>(
    `SELECT t.id, t.idempotency_key AS key, t.kind, t.amount::text AS amount, t.brand_id AS brand FROM wallet_transactions t
     WHERE t.seq > $1 AND t.brand_id = ANY($2::text[]) AND t.status = 'accepted' AND EXISTS (SELECT 1 FROM wallet_postings p WHERE p.transaction_id = t.id)`,
    [mark.toString(), [world.brand, world.victimBrand, world.elsewhereBrand]],
  );
  const seen = accepted.map((ex) => `${ex.request.url}\n${typeof ex.request.init.body === "string" ? ex.request.init.body : ""}\n${ex.text}`);
  return moved
    .filter((t) => !seen.some((text) => text.includes(t.id) || text.includes(keyId(t.key))))
    .map((t) => `${t.brand}: ${t.kind} of ${t.amount} (${t.key}) moved money, but no request the fuzzer saw succeed made it`);
}

/** The caller's id an idempotency key was made from (`deposit:<id>`, `p:<provider>:<uuid>`, ...). */
function keyId(key: string): string {
  const parts = key.split(":");
  return key.startsWith("p:") ? parts.slice(2).join(":") : parts.slice(1).join(":");
}

/**
 * A player the run never touched still signs in, reads their balance and bets: the brand is
 * in service after the run.
 */
export async function normalUseProblems(world: FuzzWorld): Promise<string[]> {
  const { sentinel } = world.players;
  const problems: string[] = [];
  const login = await world.gateway("POST", "/api/v1/auth/login", { json: { username: sentinel.username, password: sentinel.password, deviceToken: sentinel.deviceToken } });
  if (login.status !== 200) return [`the sentinel's log-in answered ${login.status} ${JSON.stringify(login.body)}`];
  const token = login.body.accessToken as string;
  const before = await world.gateway("GET", "/api/v1/wallet/balance", { token });
  if (before.status !== 200 || before.body.cash !== String(world.funds))
    problems.push(`the sentinel's balance read ${before.status} ${JSON.stringify(before.body)}, not the untouched funds`);
  const launched = await world.gateway("POST", "/api/v1/games/launch", { token, json: { provider: world.providers.standard.code, game: world.games[0] } });
  if (launched.status !== 200) return [...problems, `the sentinel's launch answered ${launched.status} ${JSON.stringify(launched.body)}`];
  const bet = {
    token: launched.body.token,
    transaction_uuid: `fz-sentinel-${world.fresh()}`,
    round: `fz-sentinel-${world.fresh()}`,
    game_code: world.games[0],
    amount: 700,
    currency: "KRW",
  };
  const placed = await world.callback(world.providers.standard, "transaction/bet", bet);
  if (placed.status !== 200 || placed.body.status !== "RS_OK" || placed.body.balance !== world.funds - 700)
    problems.push(`the sentinel's bet answered ${placed.status} ${JSON.stringify(placed.body)}`);
  const after = await world.gateway("GET", "/api/v1/wallet/balance", { token });
  if (after.body.cash !== String(world.funds - 700)) problems.push(`after the bet the sentinel's balance reads ${JSON.stringify(after.body)}`);
  return problems;
}
