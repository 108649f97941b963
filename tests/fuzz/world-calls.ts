import { signBody } from "../../actors/game/index.ts";
import type { Role } from "../../actors/identity/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { staffTokenIssuer } from "../../edges/admin/staff-access.ts";
import type { EdgeName } from "../../edges/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import type { TestPlatformNode } from "../support/test-node.ts";

export type Player = { id: string; username: string; password: string; token: string; refreshToken: string; deviceToken?: string };
export type Staff = { id: string; username: string; password: string; token: string; role: Role; brands: string[] | null };
export type Provider = { code: string; secret: string; dialect: "standard" | "batch" };
export type Reply = { status: number; body: any };
type Init = { json?: unknown; token?: string; headers?: Record<string, string> };

export const PASSWORD = "fuzz pass word 1";

/**
 * How the fuzz world arranges things, through the edges as clients would (in process): calls
 * to any edge, a provider's signed callbacks, new players and staff signed in.
 */
export class WorldCalls {
  private players = 0;

  constructor(
    readonly node: TestPlatformNode,
    /** the gateway Host of the fuzzed brand */
    readonly host: string,
  ) {}

  async request(edge: EdgeName, method: string, path: string, init: Init = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const res = await this.node.apps[edge].request(`http://${headers.host ?? "fuzz.test"}${path}`, { method, headers, body });
    return { status: res.status, body: await res.json() };
  }

  /** the body of a reply that must have succeeded */
  async ok(what: string, reply: Promise<Reply>): Promise<any> {
    const { status, body } = await reply;
    if (status >= 300) throw new Error(`fuzz world: ${what} answered ${status} ${JSON.stringify(body)}`);
    return body;
  }

  gateway(method: string, path: string, init: Init = {}): Promise<Reply> {
    return this.request("gateway", method, path, { ...init, headers: { host: this.host, ...init.headers } });
  }

  /** a provider's signed call, as it sends one */
  async callback(provider: Provider, operation: string, body: unknown): Promise<Reply> {
    const raw = JSON.stringify(body);
    const headers = { "content-type": "application/json", "x-signature": await signBody(provider.secret, raw) };
    const res = await this.node.apps.callback.request(`http://fuzz.test/callbacks/${provider.code}/${operation}`, { method: "POST", headers, body: raw });
    return { status: res.status, body: await res.json() };
  }

  /** a player signed up and signed in on the gateway Host `host` */
  async newPlayer(host = this.host): Promise<Player> {
    const username = `fz_${crypto.randomUUID().slice(0, 8)}${this.players++}`;
    const signUp = {
      username,
      password: PASSWORD,
      nickname: `fzn${crypto.randomUUID().slice(0, 8)}`,
      phone: "010-2222-3333",
      bank: { name: "Fuzz Bank", account: "110-222-333444", holder: "Fuzz Holder" },
    };
    await this.ok("sign-up", this.gateway("POST", "/api/v1/auth/register", { json: signUp, headers: { host } }));
    const login = await this.ok("log-in", this.gateway("POST", "/api/v1/auth/login", { json: { username, password: PASSWORD }, headers: { host } }));
    return { id: login.player.id, username, password: PASSWORD, token: login.accessToken, refreshToken: login.refreshToken, deviceToken: login.deviceToken };
  }

  /** a staff member created through identity and signed in */
  async newStaff(role: Role, brands: string[] | null): Promise<Staff> {
    const { edge } = this.node;
    const username = `fzs_${crypto.randomUUID().slice(0, 8)}`;
    const passwordHash = await edge.staff.hash(PASSWORD);
    const created = expectOk(await edge.clients.identity().createStaff({ username, passwordHash, role, brands, mustChangePassword: false, by: TEST_SETUP }));
    const signedIn = await edge.staff.login({ username, password: PASSWORD }, staffTokenIssuer(edge));
    if (!signedIn.ok || !signedIn.value.accessToken) throw new Error(`fuzz world: staff log-in ${JSON.stringify(signedIn)}`);
    return { id: created.id, username, password: PASSWORD, token: signedIn.value.accessToken, role, brands };
  }

  /** a provider of `dialect` with `games`, enabled for every brand */
  async newProvider(owner: Staff, dialect: Provider["dialect"], games: string[]): Promise<Provider> {
    const code = `fz${crypto.randomUUID().slice(0, 8)}`;
    const registered = await this.ok(
      "provider",
      this.request("callback", "POST", "/integration/providers", { token: owner.token, json: { code, name: `Fuzz ${code}`, dialect, allBrands: true } }),
    );
    for (const game of games)
      await this.ok("game", this.request("callback", "PUT", `/integration/providers/${code}/games/${game}`, { token: owner.token, json: { name: game, category: "slots" } }));
    return { code, secret: registered.secret, dialect };
  }
}
