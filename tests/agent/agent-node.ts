import { sign } from "hono/jwt";
import type { Role } from "../../actors/identity/index.ts";
import type { DomainName, DomainOptions } from "../../supervisor/domains.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { waitFor } from "../support/services.ts";
import { hostOf, type TestPlatformNode, testNode } from "../support/test-node.ts";

export type Reply = { status: number; body: any };
export type Call = { token?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; host?: string };
type Edge = "gateway" | "agent" | "admin";

/**
 * A node built as `supervisor start` builds one (every domain, every route), for the agent
 * edge and the admin edge's agent routes, called in process: brands with a gateway, an agent
 * and an admin host, staff of any role, agents made through the admin edge and signed in on
 * the agent edge.
 */
export async function agentNode(label = "agn", options: { domains?: DomainName[]; domainOptions?: DomainOptions } = {}) {
  const node: TestPlatformNode = await testNode({ label, domains: options.domains, domainOptions: { credentials: { cost: CHEAP_HASH }, ...options.domainOptions } });

  async function send(edge: Edge, brand: string | null, method: string, path: string, call: Call = {}): Promise<Reply> {
    const host = call.host ?? (brand === null ? `${edge}.test` : hostOf(brand, edge));
    const headers: Record<string, string> = { host, ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body: string | undefined;
    if (call.json !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof call.json === "string" ? call.json : JSON.stringify(call.json);
    } else if (call.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(call.form).toString();
    }
    const res = await node.apps[edge].request(`http://${host}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const agentEdge = (brand: string, method: string, path: string, call?: Call) => send("agent", brand, method, `/api/v1${path}`, call);
  const gateway = (brand: string, method: string, path: string, call?: Call) => send("gateway", brand, method, `/api/v1${path}`, call);
  const admin = (method: string, path: string, call?: Call) => send("admin", null, method, `/api/v1${path}`, call);

  async function staff(role: Role, brands: string[] | null) {
    const username = `agn-${crypto.randomUUID().slice(0, 10)}`;
    const password = "a good long password";
    const by = { staffId: null, username: "test-setup" };
    const created = await node.edge.clients.identity().createStaff({ username, passwordHash: await node.edge.staff.hash(password), role, brands, by });
    if (!created.ok) throw new Error(created.error.message);
    const login = await admin("POST", "/auth/login", { json: { username, password } });
    if (login.status !== 200) throw new Error(`staff login ${login.status}: ${JSON.stringify(login.body)}`);
    return { token: login.body.accessToken as string, staffId: login.body.staff.id as string, username };
  }

  let counter = 0;
  const tag = () => `${Date.now().toString(36).slice(-4)}${++counter}`;

  /** An agent made by staff on the admin edge, once the allow-list names it; with its password. */
  async function createAgent(brand: string, staffToken: string, fields: { parentId?: string | null; rates?: unknown; loginName?: string } = {}) {
    const loginName = fields.loginName ?? `ag_${tag()}`;
    const password = "agent password 1";
    const made = await admin("POST", `/brands/${brand}/agent-tree`, {
      token: staffToken,
      json: { loginName, name: `Agent ${loginName}`, password, parentId: fields.parentId ?? null, rates: fields.rates },
    });
    if (made.status !== 201) throw new Error(`create agent ${made.status}: ${JSON.stringify(made.body)}`);
    await allowed(brand, made.body.id);
    return { ...made.body, password } as { id: string; code: string; loginName: string; level: number; password: string };
  }

  const allowed = (brand: string, agentId: string) => waitFor(() => node.edge.brands.agentBrands(agentId).includes(brand), { what: `agent ${agentId} on ${brand}'s allow-list` });

  async function agentLogin(brand: string, agent: { loginName: string; password: string }) {
    const login = await agentEdge(brand, "POST", "/auth/login", { json: { loginName: agent.loginName, password: agent.password } });
    if (login.status !== 200) throw new Error(`agent login ${login.status}: ${JSON.stringify(login.body)}`);
    return login.body.accessToken as string;
  }

  /** A player signed up on the gateway (with `code`, when given) and logged in. */
  async function player(brand: string, code?: string) {
    const t = tag();
    const input = {
      username: `pl_${t}`,
      password: "pass word 123",
      nickname: `nick${t}`,
      phone: "010-2222-3333",
      bank: { name: "Shinhan", account: "110-222-333444", holder: "Kim Minsu" },
      code,
    };
    const registered = await gateway(brand, "POST", "/auth/register", { json: input });
    if (registered.status !== 201) throw new Error(`register: ${JSON.stringify(registered.body)}`);
    const login = await gateway(brand, "POST", "/auth/login", { json: { username: input.username, password: input.password } });
    if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.body)}`);
    return { id: login.body.player.id as string, username: input.username, token: login.body.accessToken as string };
  }

  /** A token the node would accept but for its signature or its kind. */
  const forgedToken = (claims: { sub: string; brand: string | null; kind: "staff" | "player" | "agent"; role: string }, secret = node.config.secrets.jwt) => {
    const now = Math.floor(Date.now() / 1000);
    return sign({ ...claims, iat: now, exp: now + 600, jti: crypto.randomUUID() }, secret, "HS256");
  };

  /** The audit rows of a brand, oldest first. */
  const auditRows = (brand: string) =>
    node.parts.store.query<{ username: string; action: string; target: string; before: any; after: any }>(
      "select username, action, target, before, after from audit_log where brand_id = $1 order by seq",
      [brand],
    );

  return {
    node,
    addBrand: () => node.addBrand({ prefix: label.slice(0, 5), surfaces: ["gateway", "agent", "admin"] }),
    send,
    agentEdge,
    gateway,
    admin,
    staff,
    createAgent,
    allowed,
    agentLogin,
    player,
    forgedToken,
    auditRows,
    async audited(brand: string, action: string, target: string) {
      return waitFor(
        async () => {
          const rows = await auditRows(brand);
          return rows.some((r) => r.action === action && r.target === target) ? rows : undefined;
        },
        { what: `the audit row of ${action} on ${target}` },
      );
    },
    close: () => node.stop(),
  };
}

export type AgentNode = Awaited<ReturnType<typeof agentNode>>;
