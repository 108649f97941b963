import { sign } from "hono/jwt";
import type { Role } from "../../actors/identity/index.ts";
import type { PayoutAccount } from "../../actors/wallet/index.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { waitFor } from "../support/services.ts";
import { hostOf, type TestPlatformNode, testNode } from "../support/test-node.ts";

export type Reply = { status: number; body: any };
type Call = { token?: string; json?: unknown; headers?: Record<string, string> };

/**
 * A node built as `supervisor start` builds one, for the wallet's routes on every edge: the
 * gateway (players), the admin edge (staff) and the internal edge (services), called in
 * process. `now` is the clock the wallet's daily limits count by.
 */
export async function walletNode(options: { label?: string; now?: () => number } = {}) {
  const node: TestPlatformNode = await testNode({
    label: options.label ?? "wal",
    domainOptions: { credentials: { cost: CHEAP_HASH }, wallet: { now: options.now } },
  });
  const send = async (edge: "gateway" | "admin" | "internal", host: string, method: string, path: string, call: Call = {}): Promise<Reply> => {
    const headers: Record<string, string> = { host, ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body: string | undefined;
    if (call.json !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof call.json === "string" ? call.json : JSON.stringify(call.json);
    }
    const res = await node.apps[edge].request(`http://${host}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const gateway = (brand: string, method: string, path: string, call?: Call) => send("gateway", hostOf(brand), method, `/api/v1${path}`, call);
  const admin = (method: string, path: string, call?: Call) => send("admin", "admin.test", method, `/api/v1${path}`, call);
  const internal = (brand: string | null, method: string, path: string, call: Call = {}) =>
    send("internal", "internal.test", method, `/internal/wallet${path}`, {
      ...call,
      token: call.token ?? node.config.secrets.service,
      headers: { ...(brand ? { "x-brand-id": brand } : {}), ...call.headers },
    });

  async function staff(role: Role, brands: string[] | null) {
    const username = `wal-${crypto.randomUUID().slice(0, 10)}`;
    const password = "a good long password";
    const by = { staffId: null, username: "test-setup" };
    const created = await node.edge.clients.identity().createStaff({ username, passwordHash: await node.edge.staff.hash(password), role, brands, by });
    if (!created.ok) throw new Error(created.error.message);
    const login = await admin("POST", "/auth/login", { json: { username, password } });
    if (login.status !== 200) throw new Error(`login ${login.status}: ${JSON.stringify(login.body)}`);
    return { token: login.body.accessToken as string, staffId: login.body.staff.id as string, username };
  }

  let players = 0;
  /** A player registered and logged in through the gateway. */
  async function player(brand: string) {
    const tag = `${Date.now().toString(36).slice(-5)}${++players}`;
    const input = { username: `wal_${tag}`, password: "pass word 123", nickname: `nick${tag}`, phone: "010-2222-3333", bank: PAYOUT };
    const registered = await gateway(brand, "POST", "/auth/register", { json: input });
    if (registered.status !== 201) throw new Error(`register: ${JSON.stringify(registered.body)}`);
    const login = await gateway(brand, "POST", "/auth/login", { json: { username: input.username, password: input.password } });
    if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.body)}`);
    return { token: login.body.accessToken as string, id: login.body.player.id as string };
  }

  /** The player domain's news of a bank account, as its outbox would publish it; resolves once the wallet keeps it. */
  async function bankAccountChanged(brand: string, playerId: string, bank: PayoutAccount = PAYOUT, eventId = crypto.randomUUID()) {
    await node.parts.events.publish([{ id: eventId, type: "player.bank_account_changed", brand, at: Date.now(), payload: { playerId, bank } }]);
    await waitFor(
      async () => {
        const [row] = await node.parts.store.query<{ account_number: string }>("select account_number from wallet_payout_accounts where brand_id = $1 and player_id = $2", [
          brand,
          playerId,
        ]);
        return row?.account_number === bank.account;
      },
      { what: "the wallet to keep the payout account" },
    );
  }

  /** The audit rows of a brand, oldest first. */
  const auditRows = (brand: string) =>
    node.parts.store.query<{ entry_id: string; username: string; staff_id: string | null; action: string; target: string; before: any; after: any; ip: string | null }>(
      "select entry_id, username, staff_id, action, target, before, after, ip from audit_log where brand_id = $1 order by seq",
      [brand],
    );

  return {
    node,
    addBrand: () => node.addBrand({ prefix: "wal", surfaces: ["gateway"] }),
    gateway,
    admin,
    internal,
    staff,
    player,
    bankAccountChanged,
    auditRows,
    /** Wait for the audit row of `action` on `target`, and answer every row of the brand. */
    async audited(brand: string, action: string, target: string) {
      return waitFor(
        async () => {
          const rows = await auditRows(brand);
          return rows.some((r) => r.action === action && r.target === target) ? rows : undefined;
        },
        { what: `the audit row of ${action} on ${target}` },
      );
    },
    /** A token the node would accept but for its signature (`secret`) or its expiry. */
    forgedToken: (claims: { sub: string; brand: string | null; kind: "staff" | "player"; role: string }, options: { secret?: string; expiredSecondsAgo?: number } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const exp = options.expiredSecondsAgo === undefined ? now + 600 : now - options.expiredSecondsAgo;
      return sign({ ...claims, iat: now - 1200, exp, jti: crypto.randomUUID() }, options.secret ?? node.config.secrets.jwt, "HS256");
    },
    close: () => node.stop(),
  };
}

export type WalletNode = Awaited<ReturnType<typeof walletNode>>;

export const PAYOUT: PayoutAccount = { name: "Shinhan", account: "110-222-333444", holder: "Kim Minsu" };
