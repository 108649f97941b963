import type { OpsClient } from "../ops-client.ts";
import { type EdgeClient, expectStatus } from "./edge-client.ts";

/** What `supervisor demo` puts into a node. Hosts map to one brand and one surface each. */
export const DEMO = {
  brand: { id: "demo", name: "Demo Casino", currency: "KRW" },
  domains: [
    { domain: "demo.localhost", surface: "gateway" },
    { domain: "agent.demo.localhost", surface: "agent" },
    { domain: "admin.demo.localhost", surface: "admin" },
  ],
  owner: "owner",
  provider: { code: "demo-slots", name: "Demo Slots", dialect: "standard" },
  games: [
    { code: "fruit-party", name: "Fruit Party", category: "slots" },
    { code: "gold-rush", name: "Gold Rush", category: "slots" },
    { code: "blackjack", name: "Blackjack", category: "table" },
  ],
  player: { username: "alice", nickname: "Alice", phone: "010-0000-0001", bank: { name: "Demo Bank", account: "100-200-300", holder: "Alice Kim" } },
  /** the welcome deposit's Idempotency-Key: a second run finds the same request */
  deposit: { amount: "100000", key: "demo-welcome-deposit" },
} as const;

export type DemoResult = {
  brand: { created: boolean; domainsAdded: string[] };
  owner: { created: boolean; username: string; password: string | undefined };
  provider: { created: boolean; secret: string | undefined };
  player: { created: boolean; id: string; password: string };
  deposit: { requestId: string; approvedNow: boolean };
  balance: { cash: string; currency: string };
};

export const randomPassword = () => Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");

const gatewayHost = { host: DEMO.domains[0].domain };

/**
 * Load the demo through the node's own surfaces: the catalog, the first owner and the
 * provider through /internal/ops (the CLI's typed client); alice signs up, logs in and asks
 * for a deposit on the gateway; /internal/players and /internal/wallet reset her password
 * and approve it. Every step finds what an earlier run made, so running it again is safe.
 */
export async function seedDemo(edges: EdgeClient, ops: OpsClient, ownerPassword: string | undefined): Promise<DemoResult> {
  const brand = await ensureBrand(ops);
  const owner = await ensureOwner(ops, ownerPassword);
  const provider = await ensureProvider(ops);
  const player = await ensurePlayer(edges);
  const { deposit, balance } = await welcomeDeposit(edges, player.password);
  return { brand, owner, provider, player, deposit, balance };
}

async function ensureBrand(ops: OpsClient): Promise<DemoResult["brand"]> {
  const brands = await ops.all((cursor) => ops.answer(ops.api.brands.$get({ query: { cursor, limit: "200" } })));
  const brand = brands.find((b) => b.id === DEMO.brand.id);
  if (!brand) {
    await ops.answer(ops.api.brands.$post({ json: { ...DEMO.brand, domains: [...DEMO.domains] } }));
    return { created: true, domainsAdded: DEMO.domains.map((d) => d.domain) };
  }
  if (brand.status !== "active") throw new Error(`brand ${brand.id} is disabled; enable it first: supervisor brand enable ${brand.id}`);
  const domainsAdded: string[] = [];
  for (const d of DEMO.domains.filter((d) => !brand.domains.some((has) => has.domain === d.domain))) {
    await ops.answer(ops.api.brands[":id"].domains.$post({ param: { id: brand.id }, json: d }));
    domainsAdded.push(d.domain);
  }
  return { created: false, domainsAdded };
}

async function ensureOwner(ops: OpsClient, given: string | undefined): Promise<DemoResult["owner"]> {
  const password = given ?? randomPassword();
  const { created, username } = await ops.answer(ops.api.owner.$post({ json: { username: DEMO.owner, password } }));
  return { created, username, password: created ? password : undefined };
}

async function ensureProvider(ops: OpsClient): Promise<DemoResult["provider"]> {
  const { code } = DEMO.provider;
  const registered = await ops.api.providers.$post({ json: { ...DEMO.provider, allBrands: false } });
  // 409 (a refusal the client's types do not list): registered on an earlier run, whose output showed the secret
  const earlier = (registered.status as number) === 409;
  const secret = earlier ? undefined : (await ops.answer(Promise.resolve(registered))).secret;
  await ops.answer(ops.api.providers[":code"].brands[":brand"].$post({ param: { code, brand: DEMO.brand.id }, json: { enabled: true } }));
  for (const game of DEMO.games) {
    await ops.answer(ops.api.providers[":code"].games[":game"].$post({ param: { code, game: game.code }, json: { name: game.name, category: game.category } }));
  }
  return { created: !earlier, secret };
}

/** alice signs up on the gateway; when she exists, her password is reset to a new one. */
async function ensurePlayer(edges: EdgeClient): Promise<DemoResult["player"]> {
  const password = randomPassword();
  const signup = await edges.send("gateway", "POST", "/api/v1/auth/register", { headers: gatewayHost, body: { ...DEMO.player, password } });
  if (signup.status === 201) return { created: true, id: signup.body.player.id, password };
  if (signup.body?.error?.code !== "username_taken") expectStatus(signup, [201], `signing up ${DEMO.player.username}`);
  const search = `/internal/players?search=${DEMO.player.username}`;
  const { items } = expectStatus(await edges.internal("GET", search, { brand: DEMO.brand.id }), [200], "finding alice") as { items: { id: string; username: string }[] };
  const id = items.find((p) => p.username === DEMO.player.username)?.id;
  if (!id) throw new Error(`${DEMO.player.username} exists but was not found by /internal/players`);
  const reset = await edges.internal("POST", `/internal/players/${id}/reset-password`, { brand: DEMO.brand.id, body: { password, by: "supervisor-demo" } });
  expectStatus(reset, [200], `resetting the password of ${DEMO.player.username}`);
  return { created: false, id, password };
}

/** The deposit request goes through the gateway as alice; its approval through /internal/wallet. */
async function welcomeDeposit(edges: EdgeClient, password: string): Promise<Pick<DemoResult, "deposit" | "balance">> {
  const login = await edges.send("gateway", "POST", "/api/v1/auth/login", { headers: gatewayHost, body: { username: DEMO.player.username, password } });
  const { accessToken } = expectStatus(login, [200], `logging in as ${DEMO.player.username}`) as { accessToken: string };
  const asAlice = { ...gatewayHost, authorization: `Bearer ${accessToken}` };
  const body = { amount: DEMO.deposit.amount, depositorName: DEMO.player.bank.holder };
  const requested = await edges.send("gateway", "POST", "/api/v1/wallet/deposits", { headers: { ...asAlice, "idempotency-key": DEMO.deposit.key }, body });
  const request = expectStatus(requested, [201], "requesting the welcome deposit") as { requestId: string; status: string };
  const approvedNow = request.status === "pending";
  if (approvedNow) {
    const approve = `/internal/wallet/deposits/${encodeURIComponent(request.requestId)}/approve`;
    expectStatus(await edges.internal("POST", approve, { brand: DEMO.brand.id, body: {} }), [200], "approving the welcome deposit");
  }
  const balance = expectStatus(await edges.send("gateway", "GET", "/api/v1/wallet/balance", { headers: asAlice }), [200], "reading alice's balance");
  return { deposit: { requestId: request.requestId, approvedNow }, balance: { cash: balance.cash, currency: balance.currency } };
}
