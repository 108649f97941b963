import { type SessionClaims, SessionTokens, signBody } from "../../actors/game/index.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { type CallbackNode, callbackNode } from "./callback-node.ts";

export type Reply = { http: number; body: Record<string, any> };

/** Staff calls to /integration/* on the node's callback edge. */
export async function staff(node: CallbackNode, method: string, path: string, body?: unknown, token = node.staffToken): Promise<Reply> {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { http: response.status, body: (await response.json()) as Record<string, any> };
}

/** A game provider as it calls the seamless wallet: signed raw bodies. */
export class ProviderClient {
  constructor(
    readonly node: CallbackNode,
    readonly code: string,
    public secret: string,
  ) {}

  async call(operation: string, body: unknown, options: { signature?: string | null; raw?: string; secret?: string } = {}): Promise<Reply> {
    const raw = options.raw ?? JSON.stringify(body);
    const signature = options.signature === undefined ? await signBody(options.secret ?? this.secret, raw) : options.signature;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signature !== null) headers["x-signature"] = signature;
    const response = await fetch(`${this.node.url}/callbacks/${this.code}/${operation}`, { method: "POST", headers, body: raw });
    const text = await response.text();
    return { http: response.status, body: JSON.parse(text) };
  }
}

type Dialect = "standard" | "batch";

/** How a callback test file starts: a node, a brand on it, and a provider of each dialect asked for. */
export async function callbackFixture(dialects: Dialect[], options: { env?: Record<string, string>; store?: CentralStore } = {}) {
  const node = await callbackNode(options);
  const brand = await node.addBrand();
  const providers = {} as Record<Dialect, ProviderClient>;
  for (const dialect of dialects) providers[dialect] = await registerProvider(node, dialect);
  return { node, brand, providers };
}

/** Register a provider of `dialect` with one slot game, enabled for every brand. */
export async function registerProvider(node: CallbackNode, dialect: Dialect, extra: Record<string, unknown> = {}) {
  const code = `p${crypto.randomUUID().slice(0, 8)}`;
  const registered = await staff(node, "POST", "/integration/providers", { code, name: `Provider ${code}`, dialect, allBrands: true, ...extra });
  if (registered.http !== 201) throw new Error(`register failed: ${JSON.stringify(registered)}`);
  for (const game of ["slot-1", "slot-2"]) {
    const put = await staff(node, "PUT", `/integration/providers/${code}/games/${game}`, { name: game, category: "slots" });
    if (put.http !== 200) throw new Error(`game failed: ${JSON.stringify(put)}`);
  }
  return new ProviderClient(node, code, registered.body.secret);
}

/** A launch session's token, through the integration tool as the gateway's launch would. */
export async function launch(node: CallbackNode, brand: string, player: string, provider: string, game = "slot-1"): Promise<string> {
  const reply = await staff(node, "POST", `/integration/brands/${brand}/sessions`, { player, provider, game });
  if (reply.http !== 201) throw new Error(`launch failed: ${JSON.stringify(reply)}`);
  return reply.body.token;
}

/** A genuine token whose session ended before now. */
export function expiredToken(node: CallbackNode, claims: Omit<SessionClaims, "expiresAt" | "session">): Promise<string> {
  return new SessionTokens(node.ctx.config.secrets.session).issue({ ...claims, session: crypto.randomUUID(), expiresAt: Date.now() - 60_000 }, Date.now() - 120_000);
}

/** A token signed with a secret the platform does not know. */
export function forgedToken(claims: Omit<SessionClaims, "expiresAt" | "session">): Promise<string> {
  return new SessionTokens("not-the-platform-secret-0123456789abcdef").issue({ ...claims, session: crypto.randomUUID(), expiresAt: Date.now() + 3_600_000 });
}

async function wallet(node: CallbackNode, brand: string, type: string, body: unknown) {
  const outcome = await node.ctx.system.askOutcome(`wallet@${brand}`, type, body);
  if (!outcome.ok) throw new Error(`${type} failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value as Record<string, any>;
}

export async function fund(node: CallbackNode, brand: string, player: string, amount: number): Promise<void> {
  await wallet(node, brand, "adjust", {
    adjustmentId: crypto.randomUUID(),
    owner: { kind: "player", id: player },
    amount,
    reason: "test funding",
    by: { staffId: "staff-owner", username: "owner" },
  });
}

export async function cash(node: CallbackNode, brand: string, player: string): Promise<bigint> {
  return BigInt((await wallet(node, brand, "balance", { owner: { kind: "player", id: player } })).cash);
}

export async function setSuspended(node: CallbackNode, brand: string, player: string, suspended: boolean): Promise<void> {
  await wallet(node, brand, "setPlayerStatus", { player, suspended });
}

export async function reconcile(node: CallbackNode, brand: string) {
  return wallet(node, brand, "reconcile", {});
}
