import type { Role } from "../../actors/identity/index.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { waitFor } from "../support/services.ts";
import { hostOf, testNode } from "../support/test-node.ts";
import { type Player, type Provider, type Staff, WorldCalls } from "./world-calls.ts";

export type { Player, Provider, Staff } from "./world-calls.ts";

/** The staff the fuzzer signs in as: every role in the brand's scope, an owner of every brand, and one scoped elsewhere. */
const STAFF_PRINCIPALS: { role: Role; scope: "all" | "brand" | "elsewhere" }[] = [
  { role: "owner", scope: "all" },
  { role: "admin", scope: "brand" },
  { role: "finance", scope: "brand" },
  { role: "support", scope: "brand" },
  { role: "read_only", scope: "brand" },
  { role: "admin", scope: "elsewhere" },
];
const GAMES = ["fuzz-slot", "fuzz-table"];
const ROUND = "fz-round-0";
const FUNDS = 1_000_000;

/**
 * What the fuzzer plays against: one node with every domain, and in it
 * - `brand`, the brand every player-facing request names (gateway and admin hosts);
 * - `victimBrand`, the one brand-wide changes (disable, domains, config, agents) are aimed at,
 *   so a change the fuzzer makes never takes the brand it fuzzes out of service;
 *   `elsewhereBrand`, the scope of a member who must see nothing of `brand`;
 * - players: `actor` (the gateway's signed-in caller and the callbacks' token holder),
 *   `victim` (the target of staff actions: suspensions, resets, adjustments), `sentinel`
 *   (untouched: the normal log-in and bet after the run), and a `stranger` of another brand;
 * - staff of every role, a provider of each dialect (and a victim one for provider changes),
 *   game sessions and bets, pending cashier requests, an inbox message, an inquiry, content,
 *   an agent and a spare host of the victim brand.
 */
export async function fuzzWorld() {
  const node = await testNode({ label: "fuzz", domainOptions: { credentials: { cost: CHEAP_HASH } } });
  const brand = await node.addBrand({ prefix: "fz", surfaces: ["gateway", "admin"] });
  const victimBrand = await node.addBrand({ prefix: "fzv", surfaces: ["gateway", "admin"] });
  const elsewhereBrand = await node.addBrand({ prefix: "fze" });
  const calls = new WorldCalls(node, hostOf(brand));

  const staff: Staff[] = [];
  for (const p of STAFF_PRINCIPALS) staff.push(await calls.newStaff(p.role, p.scope === "all" ? null : [p.scope === "brand" ? brand : elsewhereBrand]));
  const owner = staff[0]!;
  const providers = {
    standard: await calls.newProvider(owner, "standard", GAMES),
    batch: await calls.newProvider(owner, "batch", GAMES),
    victim: await calls.newProvider(owner, "standard", GAMES),
  };
  const players = { actor: await calls.newPlayer(), victim: await calls.newPlayer(), sentinel: await calls.newPlayer() };
  for (const player of Object.values(players)) {
    const funding = { amount: FUNDS, account: "cash", reason: "fuzz funding" };
    await calls.ok("funding", calls.request("admin", "POST", `/api/v1/brands/${brand}/players/${player.id}/adjustments`, { token: owner.token, json: funding }));
  }
  const games = await gamesOf(calls, players.actor, providers);
  const records = await recordsOf(calls, { brand, victimBrand, owner, players });

  let freshCount = 0;
  const runTag = crypto.randomUUID().slice(0, 6);
  return {
    node,
    brand,
    victimBrand,
    elsewhereBrand,
    host: calls.host,
    serviceToken: node.config.secrets.service,
    players,
    stranger: await calls.newPlayer(hostOf(victimBrand)),
    staff,
    owner,
    victimStaff: await calls.newStaff("support", [brand]),
    providers,
    games: GAMES,
    rounds: { standard: ROUND },
    funds: FUNDS,
    ...games,
    ...records,
    /** a player of `brand` signed in just now, for requests that end or change their session */
    newPlayer: () => calls.newPlayer(),
    /** a staff member signed in just now, likewise */
    newStaff: (role: Role, brands: string[] | null) => calls.newStaff(role, brands),
    gateway: calls.gateway.bind(calls),
    callback: calls.callback.bind(calls),
    /** a value no earlier request of the run used, for ids that must be new */
    fresh: () => `${runTag}${(freshCount++).toString(36)}`,
  };
}

export type FuzzWorld = Awaited<ReturnType<typeof fuzzWorld>>;

/** The actor's game sessions with each provider, and two bets: one for the wins to settle, one for the rollbacks to undo. */
async function gamesOf(calls: WorldCalls, actor: Player, providers: Record<"standard" | "batch", Provider>) {
  const launch = async (provider: Provider) =>
    (await calls.ok("launch", calls.gateway("POST", "/api/v1/games/launch", { token: actor.token, json: { provider: provider.code, game: GAMES[0] } }))).token as string;
  const sessions = { standard: await launch(providers.standard), batch: await launch(providers.batch) };
  const bet = async (transaction_uuid: string) => {
    const placed = await calls.callback(providers.standard, "transaction/bet", {
      token: sessions.standard,
      transaction_uuid,
      round: ROUND,
      game_code: GAMES[0],
      amount: 500,
      currency: "KRW",
    });
    if (placed.body.status !== "RS_OK") throw new Error(`fuzz world: bet ${JSON.stringify(placed.body)}`);
    return transaction_uuid;
  };
  return { sessions, bets: { toWin: await bet("fz-bet-0"), toRollBack: await bet("fz-bet-1") } };
}

/** Records the plain requests name: pending cashier requests (one to approve, one to reject), an inbox message, an inquiry, content, an agent. */
async function recordsOf(calls: WorldCalls, w: { brand: string; victimBrand: string; owner: Staff; players: Record<"actor" | "victim", Player> }) {
  const { actor, victim } = w.players;
  const internal = (path: string, json: unknown) => calls.request("internal", "POST", path, { json, token: calls.node.config.secrets.service, headers: { "x-brand-id": w.brand } });
  // the wallet learns payout accounts from the player domain's events
  await waitFor(async () => (await calls.gateway("POST", "/api/v1/wallet/withdrawals", { token: victim.token, json: { amount: 1 } })).status === 201, { what: "a payout account" });
  const cashier = async (kind: "deposits" | "withdrawals") => {
    const json = kind === "deposits" ? { amount: 1000, depositorName: "Fuzz Holder" } : { amount: 1000 };
    return (await calls.ok(kind, calls.gateway("POST", `/api/v1/wallet/${kind}`, { token: victim.token, json }))).requestId as string;
  };
  const requests = {
    deposit: { toApprove: await cashier("deposits"), toReject: await cashier("deposits") },
    withdrawal: { toApprove: await cashier("withdrawals"), toReject: await cashier("withdrawals") },
  };
  const content = async (kind: "notice" | "banner" | "faq") => String((await calls.ok(kind, internal("/internal/common/content", { kind, title: "fuzz", body: "news" }))).id);
  const contents = { notice: await content("notice"), banner: await content("banner"), faq: await content("faq") };
  const message = await calls.ok("message", internal(`/internal/players/${actor.id}/messages`, { title: "fuzz", body: "hello" }));
  const inquiry = await calls.ok("inquiry", calls.gateway("POST", "/api/v1/inquiries", { token: actor.token, json: { title: "fuzz", body: "a question" } }));
  const agent = `fz-agent-${crypto.randomUUID().slice(0, 8)}`;
  await calls.ok("agent", calls.request("admin", "POST", `/api/v1/brands/${w.victimBrand}/agents`, { token: w.owner.token, json: { agentId: agent } }));
  // a host of the victim brand for the domain removals (its own hosts stay, so its Host keeps naming it)
  const spareDomain = `spare.${w.victimBrand}.test`;
  await calls.ok("domain", calls.request("admin", "POST", `/api/v1/brands/${w.victimBrand}/domains`, { token: w.owner.token, json: { domain: spareDomain } }));
  return { requests, contents, ids: { message: String(message.messageId), inquiry: String(inquiry.id), agent, spareDomain } };
}
