import { hostOf } from "../support/test-node.ts";
import type { FuzzWorld, Player, Staff } from "./fuzz-world.ts";
import type { Credential } from "./mutations.ts";
import type { Operation } from "./operations.ts";

/**
 * Who a request of an operation is sent as, and which real things its plain request names.
 * Credentials get every request past authentication to validation and the actors; the names
 * point changes that could take the fuzzed brand or its callers out of service (disabling a
 * brand, suspending the signed-in player, rotating a provider's secret, restarting an actor)
 * at victims the run keeps for them.
 */
export type Caller = { headers: Record<string, string>; password?: string; player?: Player; staff?: Staff };

/** Requests that end or change the caller's own session are sent by someone signed in just for them. */
const OWN_SESSION_ENDS = new Set(["gateway POST /api/v1/auth/logout", "gateway PUT /api/v1/me/password", "admin POST /api/v1/auth/logout", "admin POST /api/v1/auth/password"]);

/**
 * Routes that reach every brand of the store when a brand is not named: on the test run's
 * shared store that is every test's brands, which no node here hosts (each ask would wait out
 * its timeout). They are sent by staff of the fuzzed brand only, and never without the brand.
 */
const EVERY_BRAND = new Set(["admin GET /api/v1/top-info", "admin GET /ws"]);
export const PINNED: Record<string, string[]> = { "internal POST /internal/ops/reconcile": ["brand"] };

/** Headers every request of an edge may have changed: the credentials and the brand's sources. */
export const IMPLICIT_HEADERS: Record<string, string[]> = {
  gateway: ["authorization", "host"],
  admin: ["authorization", "host"],
  callback: ["authorization"],
  internal: ["authorization", "x-brand-id", "x-access-token"],
  agent: ["authorization", "host"],
};

/** The caller of one request; `pick` chooses among the staff roles on the staff edges. */
export async function callerOf(op: Operation, world: FuzzWorld, pick: number): Promise<Caller> {
  if (op.edge === "gateway") {
    const player = OWN_SESSION_ENDS.has(op.key) ? await world.newPlayer() : world.players.actor;
    return { headers: { host: world.host, authorization: `Bearer ${player.token}` }, password: player.password, player };
  }
  if (op.edge === "internal") {
    const headers: Record<string, string> = { authorization: `Bearer ${world.serviceToken}`, "x-brand-id": world.brand };
    if (pick % 4 === 0) headers["x-access-token"] = world.owner.token;
    return { headers };
  }
  if (op.edge === "callback" && op.path.startsWith("/callbacks/")) return { headers: {} };
  if (op.edge === "agent") return { headers: {} };
  const staff = OWN_SESSION_ENDS.has(op.key) ? await world.newStaff("owner", null) : EVERY_BRAND.has(op.key) ? world.staff[1]! : staffOf(world, pick);
  return { headers: { authorization: `Bearer ${staff.token}` }, password: staff.password, staff };
}

/** Half the requests as an owner of every brand, the rest spread over the other roles and scopes. */
function staffOf(world: FuzzWorld, pick: number): Staff {
  if (pick % 2 === 0) return world.owner;
  return world.staff[1 + ((pick >> 1) % (world.staff.length - 1))]!;
}

const VICTIM_BRAND_PATHS = /\/brands\/\{brand\}\/(config|disable|enable|domains|agents)/;
const VICTIM_PROVIDER_PATHS = /\/providers\/\{code\}|\/games\/\{provider\}\/\{code\}|\/brands\/\{brand\}\/providers\/\{code\}/;

/** The value of path parameter `name` in the plain request of `op`. */
export function pathValue(op: Operation, world: FuzzWorld, name: string): string | undefined {
  const p = op.path;
  const victimProvider = VICTIM_PROVIDER_PATHS.test(p);
  switch (name) {
    case "brand":
      // an actor of a brand this node does not host: the plain restart finds nothing to restart
      if (p.includes("/actors/")) return "fz-not-hosted";
      return VICTIM_BRAND_PATHS.test(p) ? world.victimBrand : world.brand;
    case "id":
      if (p.startsWith("/internal/ops/brands/")) return world.victimBrand;
      if (p.includes("/staff/")) return world.victimStaff.id;
      if (p.includes("/messages/")) return world.ids.message;
      if (p.includes("/inquiries/")) return world.ids.inquiry;
      if (p.startsWith("/internal/players/")) return world.players.victim.id;
      return p.includes("/banners/") ? world.contents.banner : p.includes("/faq/") ? world.contents.faq : world.contents.notice;
    case "playerId":
    case "ownerId":
      return p.includes("/agents/") ? world.ids.agent : world.players.victim.id;
    case "requestId": {
      const pending = p.includes("/deposits/") ? world.requests.deposit : world.requests.withdrawal;
      return p.endsWith("/reject") ? pending.toReject : pending.toApprove;
    }
    case "inquiryId":
      return world.ids.inquiry;
    case "agentId":
      return world.ids.agent;
    case "code":
      if (p.includes("/games/{provider}/{code}")) return world.games[0];
      return victimProvider ? world.providers.victim.code : world.providers.standard.code;
    case "provider":
      if (p.startsWith("/callbacks/")) return callbackProvider(op, world).code;
      return victimProvider ? world.providers.victim.code : world.providers.standard.code;
    case "game":
      return world.games[0];
    case "round":
      return world.rounds.standard;
    case "domain":
      return p.includes("/actors/") ? "wallet" : world.ids.spareDomain;
    default:
      return undefined;
  }
}

/** The provider whose dialect has the callback operation `op`. */
export function callbackProvider(op: Operation, world: FuzzWorld) {
  return op.path.includes("/transaction/") || op.path.includes("/user/") ? world.providers.standard : world.providers.batch;
}

/** Fields whose plain value is the same in every request. */
const FIXED = new Map<string, unknown>([
  ["newPassword", "fuzz new pass word 2"],
  ["phone", "010-2222-3333"],
  ["bank_num", "110-222-333444"],
  ["bank_name", "Fuzz Bank"],
  ["bank_owner", "Fuzz Holder"],
  ["depositorName", "Fuzz Holder"],
  ["in_name", "Fuzz Holder"],
  ["timezone", "UTC"],
  ["amount", 100],
  ["money", 100],
  ["currency", "KRW"],
  ["operation", "user/balance"],
]);

/** Fields whose plain value must be new in every request: ids and names. */
const FRESH = new Map<string, (fresh: string) => string>([
  ...["transaction_uuid", "action_id", "requestId", "agentId", "id"].map((name) => [name, (f: string) => `fz-${f}`] as const),
  ["code", (f) => `fz${f}`],
  ["nickname", (f) => `fzn${f}`.slice(0, 16)],
  ["nick", (f) => `fzn${f}`.slice(0, 16)],
  ["domain", (f) => `fz${f}.example.test`],
]);

/**
 * The value of body or query field `name` in the plain request of `op`, or undefined for the
 * schema's own sample. `fresh` is a value no earlier request used (ids that must be new).
 */
export function fieldValue(op: Operation, world: FuzzWorld, caller: Caller, name: string, fresh: string): unknown {
  if (FIXED.has(name)) return FIXED.get(name);
  if (name === "username" || name === "user_id" || name === "password" || name === "user_pw") return credentialField(op, world, caller, name, fresh);
  if (FRESH.has(name)) return FRESH.get(name)!(fresh);
  return worldField(op, world, caller, name, fresh);
}

/** A log-in names the victim's account; anything else a new name, and the caller's own password. */
function credentialField(op: Operation, world: FuzzWorld, caller: Caller, name: string, fresh: string): string {
  const isLogin = op.path.endsWith("/auth/login") || op.path === "/login";
  const account = op.edge === "admin" ? world.victimStaff : world.players.victim;
  if (name === "username" || name === "user_id") return isLogin ? account.username : `fz${fresh}`;
  return isLogin ? account.password : (caller.password ?? "fuzz pass word 1");
}

/** Fields that name what the world holds: its brand, players, providers, games, sessions and records. */
function worldField(op: Operation, world: FuzzWorld, caller: Caller, name: string, fresh: string): unknown {
  const p = op.path;
  switch (name) {
    case "brand":
      return world.brand;
    case "currentPassword":
      return caller.password;
    case "idx":
      return world.ids.message;
    case "status":
      return op.method === "PATCH" ? "active" : undefined;
    case "refreshToken":
      return world.players.victim.refreshToken;
    case "token":
      if (p.startsWith("/callbacks/")) return callbackProvider(op, world) === world.providers.standard ? world.sessions.standard : world.sessions.batch;
      return p.startsWith("/api/") || p.startsWith("/integration/") ? undefined : world.players.actor.token;
    case "player":
      return p.includes("/sessions") ? world.players.actor.id : world.players.victim.id;
    case "provider":
    case "vendor":
      return world.providers.standard.code;
    case "game":
    case "game_code":
      return world.games[0];
    case "game_id":
      return `${world.providers.standard.code}/${world.games[0]}`;
    case "body":
      return p === "/integration/replay" ? { token: world.sessions.standard } : undefined;
    case "round":
      return p.endsWith("/play") || p.endsWith("/rollback") ? `fz-round-${fresh}` : world.rounds.standard;
    case "reference_transaction_uuid":
      return p.endsWith("/rollback") ? world.bets.toRollBack : world.bets.toWin;
    case "address":
      return `wallet@${world.brand}`;
    default:
      return undefined;
  }
}

/**
 * What the world does after a request succeeded, as a node following the catalog would: a
 * brand the fuzzer created is hosted here, so requests naming it reach its actors.
 */
export async function afterAccepted(op: Operation, world: FuzzWorld, reply: any): Promise<void> {
  const created = reply?.brand?.id ?? reply?.id;
  if (op.method === "POST" && /\/brands$/.test(op.path) && typeof created === "string") await world.node.hostBrand(created);
}

/** A token whose signature is not the platform's: the last character of a genuine one changed. */
const forged = (token: string) => `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;

/**
 * Credentials a route of `op`'s edge must refuse wherever it asks for any: other kinds of
 * callers (a player on a staff route, staff or the service on a player route), a player of
 * another brand, a forged token, genuine credentials at another brand's Host; on a provider's
 * callback, the session token of another provider's game.
 */
export function foreignCredentials(op: Operation, world: FuzzWorld): Credential[] {
  const bearer = (label: string, token: string): Credential => ({ label, headers: { authorization: `Bearer ${token}` } });
  const player = bearer("a player of the brand", world.players.actor.token);
  const stranger = bearer("a player of another brand", world.stranger.token);
  const staff = bearer("an owner (staff)", world.owner.token);
  const service = bearer("the service", world.serviceToken);
  switch (op.edge) {
    case "gateway":
      return [
        staff,
        stranger,
        service,
        bearer("a forged player token", forged(world.players.actor.token)),
        { label: "the brand's player at another brand's Host", headers: { host: hostOf(world.victimBrand) } },
      ];
    case "admin": {
      // a route of the fuzzed brand at another brand's admin Host (global routes take any admin Host)
      const atAnotherHost: Credential[] =
        pathValue(op, world, "brand") === world.brand && op.path.includes("{brand}")
          ? [{ label: "staff of the brand at another brand's admin Host", headers: { host: hostOf(world.victimBrand, "admin") } }]
          : [];
      return [player, stranger, service, bearer("a forged owner token", forged(world.owner.token)), ...atAnotherHost];
    }
    case "internal":
      return [staff, player, bearer("a forged service token", forged(world.serviceToken))];
    case "callback":
      if (!op.path.startsWith("/callbacks/")) return [player, service, bearer("a forged owner token", forged(world.owner.token))];
      return [
        { label: "another provider's game session", bodyToken: callbackProvider(op, world) === world.providers.standard ? world.sessions.batch : world.sessions.standard },
        { label: "a player access token as the session", bodyToken: world.players.actor.token },
        { label: "a forged game session", bodyToken: forged(world.sessions.standard) },
      ];
    default:
      return [];
  }
}
