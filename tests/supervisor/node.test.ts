import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../config/index.ts";
import { main } from "../../supervisor/cli.ts";
import { buildNode, type PlatformNode } from "../../supervisor/node.ts";
import { DATABASE_URL, REDIS_URL, tempDir, uniqueBrand, waitFor } from "../support/services.ts";

const env = {
  NODE_ENV: "test",
  DATA_DIR: tempDir("node"),
  LOG_LEVEL: "silent",
  DATABASE_URL,
  REDIS_URL,
  REDIS_PREFIX: `t${crypto.randomUUID().slice(0, 8)}:`,
  GATEWAY_PORT: "0",
  AGENT_PORT: "0",
  ADMIN_PORT: "0",
  CALLBACK_PORT: "0",
  INTERNAL_PORT: "0",
};

let node: PlatformNode;

beforeAll(async () => {
  node = await buildNode({ config: loadConfig({ ...env, NODE_ID: `node-${crypto.randomUUID().slice(0, 8)}` }), serve: true });
});
afterAll(async () => {
  await node?.stop();
});

/** The CLI as an operator runs it, pointed at this node's internal edge. */
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const internal = node.servers.find((e) => e.name === "internal")!;
  const lines: string[] = [];
  const saved = { ...process.env };
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
  for (const key of ["DATABASE_URL", "REDIS_URL"]) delete process.env[key];
  Object.assign(process.env, {
    ...defined,
    INTERNAL_PORT: String(internal.port),
    JWT_SECRET: node.parts.config.secrets.jwt,
    SERVICE_TOKEN: node.parts.config.secrets.service,
    SESSION_TOKEN_SECRET: node.parts.config.secrets.session,
  });
  try {
    const code = await main(argv, (line) => lines.push(line));
    return { code, out: lines.join("\n") };
  } finally {
    process.env = saved;
  }
}

describe("a node", () => {
  test("serves every edge with /healthz and /readyz", async () => {
    expect(node.servers.map((e) => e.name).sort()).toEqual(["admin", "agent", "callback", "gateway", "internal"]);
    for (const edge of node.servers) {
      const health = await fetch(`${edge.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
    }
    expect(node.parts.system.transport.kind).toBe(REDIS_URL ? "redis" : "memory");
    expect(node.parts.store.kind).toBe(DATABASE_URL ? "postgres" : "pglite");
  });

  test("the CLI creates, lists and disables brands through the node, and placement follows", async () => {
    const id = uniqueBrand("cli");
    const created = await cli("brand", "create", id, "--name", "CLI Casino", "--domain", `play.${id}.test`);
    expect(created).toEqual({ code: 0, out: `created brand ${id} (KRW)` });
    const listed = await cli("brand", "list");
    expect(listed.out).toContain(`play.${id}.test(gateway)`);
    // placed by a lease (with Redis) a moment after the catalog changed, or at once (alone)
    await waitFor(() => node.parts.system.hosted().includes(`player@${id}`), { what: "the new brand's actors" });
    const status = await cli("status", "--json");
    const parsed = JSON.parse(status.out) as { brands: { id: string }[] };
    expect(parsed.brands.map((b) => b.id)).toContain(id);
    expect((await cli("brand", "disable", id)).out).toBe(`brand ${id} disabled`);
    expect(node.parts.catalog.get(id)?.status).toBe("disabled");
    // changes through the CLI are audited as the operator, by the catalog actor
    const audited = await waitFor(
      async () => {
        const rows = await node.parts.store.query<{ action: string; username: string; staff_id: string | null }>(
          "select action, username, staff_id from audit_log where brand_id = $1 order by seq",
          [id],
        );
        return rows.length === 2 ? rows : undefined;
      },
      { what: "the CLI's changes in the audit log" },
    );
    expect(audited).toEqual([
      { action: "brand.create", username: "operator", staff_id: null },
      { action: "brand.disable", username: "operator", staff_id: null },
    ]);
    // a disabled brand keeps its actors, so money in play still settles
    expect(node.parts.system.hosted()).toContain(`player@${id}`);
  });

  test("reconcile through the CLI: clean ledgers pass, a tampered balance is reported with exit code 3", async () => {
    const id = uniqueBrand("rec");
    expect((await cli("brand", "create", id, "--name", "Reconciled")).code).toBe(0);
    await node.parts.system.ask(`wallet@${id}`, "adjust", {
      adjustmentId: crypto.randomUUID(),
      owner: { kind: "player", id: "p1" },
      amount: 5000,
      reason: "test funding",
      by: { staffId: "staff-1", username: "finance" },
    });
    const clean = await cli("reconcile", "--brand", id);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain(`${id}`);
    expect(clean.out).toContain("no mismatch");
    await node.parts.store.query("update wallet_accounts set balance = balance + 1 where brand_id = $1 and owner_kind = 'player'", [id]);
    const tampered = await cli("reconcile", "--brand", id);
    expect(tampered.code).toBe(3);
    expect(tampered.out).toContain("MISMATCH");
    expect(tampered.out).toContain("but postings sum to 5000");
    expect((await cli("reconcile", "--brand", "no-such-brand")).code).toBe(1);
  });

  test("the CLI restarts actors and reads dead letters through the typed ops client", async () => {
    expect(await cli("actor", "restart", "catalog", "_")).toEqual({ code: 0, out: "restarted catalog" });
    const id = uniqueBrand("dlq");
    expect((await cli("brand", "create", id)).code).toBe(0);
    expect(await cli("dlq", "list", "--address", `wallet@${id}`)).toEqual({ code: 0, out: "0 dead letter(s)" });
    expect(JSON.parse((await cli("dlq", "list", "--json")).out)).toBeArray();
    const badAddress = await cli("dlq", "list", "--address", "not an address");
    expect(badAddress.code).toBe(1);
    expect(badAddress.out).toContain("validation_failed");
    const unknown = await cli("dlq", "replay", `wallet@${id}`, "1-0");
    expect(unknown).toEqual({ code: 1, out: `error: not_found: no dead letter 1-0 for wallet@${id}` });
  });

  test("projection-check through the CLI: a gap is found and replayed, the same gap again is an alarm, and the metrics count both", async () => {
    const id = uniqueBrand("proj");
    expect((await cli("brand", "create", id, "--name", "Projected")).code).toBe(0);
    const wallet = `wallet@${id}`;
    await node.parts.system.ask(wallet, "adjust", {
      adjustmentId: crypto.randomUUID(),
      owner: { kind: "player", id: "p1" },
      amount: 5000,
      reason: "test funding",
      by: { staffId: "staff-1", username: "kim" },
    });
    const clean = await cli("projection-check", "--brand", id);
    expect(clean).toEqual({ code: 0, out: `${id.padEnd(24)} ok  transactions 0\nchecked 1 brand(s): the rounds hold every ledger transaction` });

    // game@brand away: the bet's round event waits in its mailbox, and a replay cannot close the gap yet
    await node.parts.system.unhost(`game@${id}`);
    await node.parts.system.ask(wallet, "bet", { provider: "p1", player: "p1", round: "r1", gameCode: "slot-1", transactionUuid: "b1", amount: 100 });
    const gap = await cli("projection-check", "--brand", id);
    expect(gap.code).toBe(3);
    expect(gap.out).toContain(`${id.padEnd(24)} GAP  missing 1  ledger bets 100 wins 0 refunds 0  rounds bets 0 wins 0 refunds 0`);
    expect(gap.out).toMatch(/\n {2}replayed [1-9]\d* event\(s\) from /);
    const again = JSON.parse((await cli("projection-check", "--brand", id, "--json")).out);
    expect(again).toMatchObject({ ok: false, reports: [{ brand: id, missing: 1, action: "alarm", events: 0 }] });

    await node.parts.system.host("game", id);
    await waitFor(async () => (await cli("projection-check", "--brand", id)).code === 0, { what: "the rounds to catch up" });
    const internal = node.servers.find((e) => e.name === "internal")!;
    const metrics = await (await fetch(`${internal.url}/metrics`, { headers: { authorization: `Bearer ${node.parts.config.secrets.service}` } })).text();
    // two checks found the gap before game@brand was back, and maybe more while it caught up
    const gaps = Number(metrics.match(new RegExp(`projection_gaps_total\\{brand="${id}"\\} (\\d+)`))?.[1]);
    expect(gaps).toBeGreaterThanOrEqual(2);
    expect(metrics).toContain(`projection_replays_total{brand="${id}"} 1`);
    expect(metrics).toContain(`projection_missing_transactions{brand="${id}"} 0`);
    expect((await cli("projection-check", "--brand", "no-such-brand")).code).toBe(1);
  });

  test("the CLI explains usage and errors", async () => {
    expect((await cli("--help")).out).toContain("usage: bun run supervisor <command>");
    for (const command of ["start", "migrate", "status", "drain", "brand", "actor", "dlq", "reconcile", "projection-check", "demo"]) {
      const help = await cli(command, "--help");
      expect(help.code).toBe(0);
      expect(help.out).toContain("usage:");
    }
    expect((await cli("brand", "frobnicate", "x")).code).toBe(2);
    const bad = await cli("brand", "create", "Not A Slug");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("validation_failed");
    const surface = await cli("brand", "create", uniqueBrand("cli"), "--domain", "play.example.test=casino");
    expect(surface.code).toBe(2);
    expect(surface.out).toContain("the surface is one of gateway, agent, admin");
    const missing = await cli("actor", "restart", "wallet", "no-such-brand");
    expect(missing.code).toBe(1);
  });

  // last: a drained node hosts no brand any more
  test("status shows which node serves which brands with lease ages; drain hands them over, where leases place them", async () => {
    const self = node.parts.config.NODE_ID;
    const status = JSON.parse((await cli("status", "--json")).out);
    const text = (await cli("status")).out;
    if (!REDIS_URL) {
      expect(status.placement).toMatchObject({ mode: "every-brand", node: self, unplaced: [] });
      expect(text).toContain("placement: every brand on this node");
      const refused = await cli("drain");
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("invalid_state: this node hosts every brand");
      return;
    }
    // alone under its key prefix, the node holds every unit of the catalog
    expect(status.placement).toMatchObject({ mode: "leases", node: self, draining: false, unplaced: [] });
    const units = status.placement.nodes.find((n: { node: string }) => n.node === self).units.map((u: { unit: string }) => u.unit);
    expect(units).toContain("_global");
    expect(units.length).toBe(status.brands.length + 1);
    expect(text).toContain(`placement: leases`);
    expect(text).toMatch(new RegExp(`  ${self} \\(this node\\)  ${units.length} unit\\(s\\)  _global \\d+s`));
    const internal = node.servers.find((e) => e.name === "internal")!;
    const metrics = await (await fetch(`${internal.url}/metrics`, { headers: { authorization: `Bearer ${node.parts.config.secrets.service}` } })).text();
    expect(metrics).toContain(`placement_node_units{node="${self}"} ${units.length}`);
    expect(metrics).toMatch(/placement_lease_age_seconds\{unit="_global"\} \d/);

    const drained = await cli("drain");
    expect(drained.code).toBe(0);
    expect(drained.out).toMatch(new RegExp(`^node ${self} drained in \\d+ ms: handed over ${units.length} unit\\(s\\)`));
    expect(node.parts.system.hosted()).toEqual([]);
    const ready = await fetch(`${internal.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain("the node is drained");
  });
});
