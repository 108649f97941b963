import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { agentWorld } from "./agent-world.ts";

/**
 * `agent@brand` through its protocol, on a node that runs the player, wallet and agent
 * domains: the tree's rules, players linked by their sign-up code, activity and balances from
 * the wallet's events, subtree isolation, and commission settled once per period through the
 * wallet.
 */

let node: TestPlatformNode;
let brand: string;
let w: ReturnType<typeof agentWorld>;
beforeAll(async () => {
  node = await testNode({ label: "agd", domains: ["player", "wallet", "agent"] });
  brand = await node.addBrand({ prefix: "agd" });
  w = agentWorld(node, brand);
}, 60_000);
afterAll(() => node.stop());

const shardEvents = (type: string) =>
  node.parts.shards
    .acquire(brand)
    .sqlite.query<{ payload: string }, [string]>("select payload from outbox where type = ? order by seq")
    .all(type)
    .map((r) => JSON.parse(r.payload));

describe("the tree", () => {
  test("staff create a head office and a store below it; each goes on the brand's allow-list and is audited", async () => {
    const head = await w.agent({ rates: { rolling: { slots: 100 }, losing: 1000 } });
    const store = await w.agent({ parentId: head.id, rates: { rolling: { slots: 60 }, losing: 500 } });
    expect(head).toMatchObject({ level: 1, parentId: null, status: "active" });
    expect(store).toMatchObject({ level: 2, parentId: head.id, rates: { rolling: { slots: 60 }, losing: 500 } });
    expect(store.code).toMatch(/^[A-Z2-9]{10}$/);
    await waitFor(() => node.parts.catalog.agentBrands(store.id).includes(brand), { what: "the store on the allow-list" });
    expect(
      shardEvents("audit.recorded")
        .filter((a) => a.target === `agent:${store.id}`)
        .map((a) => a.action),
    ).toEqual(["agent.create"]);
  });

  test("no rate above the parent's, no tree deeper than the brand allows, no login name or code twice", async () => {
    const head = await w.agent({ rates: { rolling: { slots: 100 }, losing: 1000 } });
    const refuse = async (body: Record<string, unknown>, code: string) =>
      expect(
        await w.agents().createAgent({ loginName: `ag_${crypto.randomUUID().slice(0, 8)}`, name: "x", passwordHash: "$argon2id$x", parentId: head.id, by: TEST_SETUP, ...body }),
      ).toMatchObject({
        ok: false,
        error: { code },
      });
    await refuse({ rates: { rolling: { slots: 101 }, losing: 0 } }, "rate_above_parent");
    await refuse({ rates: { rolling: { live_casino: 1 }, losing: 0 } }, "rate_above_parent");
    await refuse({ rates: { rolling: {}, losing: 1001 } }, "rate_above_parent");
    await refuse({ loginName: head.loginName }, "login_name_taken");
    await refuse({ code: head.code.toLowerCase() }, "code_taken");
    const mid = await w.agent({ parentId: head.id });
    const leaf = await w.agent({ parentId: mid.id });
    expect(leaf.level).toBe(3);
    await refuse({ parentId: leaf.id }, "depth_exceeded");
    expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { agent: { maxDepth: 4 } }, by: TEST_SETUP }));
    expect((await w.agent({ parentId: leaf.id })).level).toBe(4);
    expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { agent: { maxDepth: null } }, by: TEST_SETUP }));
  });

  test("rates move only between the parent's and the children's; a move keeps both rules and carries the subtree", async () => {
    const a = await w.agent({ rates: { rolling: { slots: 100 }, losing: 800 } });
    const b = await w.agent({ rates: { rolling: { slots: 50 }, losing: 800 } });
    const child = await w.agent({ parentId: a.id, rates: { rolling: { slots: 80 }, losing: 100 } });
    const grandchild = await w.agent({ parentId: child.id, rates: { rolling: { slots: 20 } } });
    expect(await w.agents().updateAgent({ agentId: a.id, rates: { rolling: { slots: 70 }, losing: 800 }, by: TEST_SETUP })).toMatchObject({
      ok: false,
      error: { code: "rate_below_child" },
    });
    expect(await w.agents().updateAgent({ agentId: child.id, rates: { rolling: { slots: 120 }, losing: 0 }, by: TEST_SETUP })).toMatchObject({
      ok: false,
      error: { code: "rate_above_parent" },
    });
    expect(await w.agents().moveAgent({ agentId: a.id, parentId: grandchild.id, by: TEST_SETUP })).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    expect(await w.agents().moveAgent({ agentId: child.id, parentId: b.id, by: TEST_SETUP })).toMatchObject({ ok: false, error: { code: "rate_above_parent" } });
    expect(await w.agents().moveAgent({ agentId: a.id, parentId: b.id, by: TEST_SETUP })).toMatchObject({ ok: false, error: { code: "depth_exceeded" } });
    expectOk(await w.agents().updateAgent({ agentId: child.id, rates: { rolling: { slots: 50 }, losing: 0 }, name: "Renamed", by: TEST_SETUP }));
    expect(await w.agents().moveAgent({ agentId: child.id, parentId: b.id, by: TEST_SETUP })).toMatchObject({ ok: true, value: { parentId: b.id, level: 2 } });
    expect(await w.agents().moveAgent({ agentId: child.id, parentId: null, by: TEST_SETUP })).toMatchObject({ ok: true, value: { parentId: null, level: 1 } });
    expect(await w.agents().agent({ agentId: grandchild.id })).toMatchObject({ ok: true, value: { level: 2, parentId: child.id } });
    const actions = shardEvents("audit.recorded")
      .filter((e) => e.target === `agent:${child.id}`)
      .map((e) => e.action);
    expect(actions).toEqual(["agent.create", "agent.update", "agent.move", "agent.move"]);
  });

  test("an agent creates sub-agents within its own subtree only, with rates no higher than the parent's", async () => {
    const head = await w.agent({ rates: { rolling: { slots: 100 } } });
    const mine = await w.agent({ parentId: head.id, rates: { rolling: { slots: 50 } } });
    const sibling = await w.agent({ parentId: head.id });
    const sub = { loginName: `ag_${crypto.randomUUID().slice(0, 8)}`, name: "Sub", passwordHash: "$argon2id$x", rates: { rolling: { slots: 40 }, losing: 0 } };
    expect(await w.agents().createSubAgent({ ...sub, asAgent: mine.id })).toMatchObject({ ok: true, value: { parentId: mine.id, level: 3 } });
    expect(
      await w.agents().createSubAgent({ ...sub, loginName: `ag_${crypto.randomUUID().slice(0, 8)}`, asAgent: mine.id, rates: { rolling: { slots: 51 }, losing: 0 } }),
    ).toMatchObject({
      ok: false,
      error: { code: "rate_above_parent" },
    });
    expect(await w.agents().createSubAgent({ ...sub, loginName: `ag_${crypto.randomUUID().slice(0, 8)}`, asAgent: mine.id, parentId: sibling.id })).toMatchObject({
      ok: false,
      error: { code: "agent_not_found" },
    });
    expect(await w.agents().agent({ agentId: sibling.id, within: mine.id })).toMatchObject({ ok: false, error: { code: "agent_not_found" } });
  });

  test("a suspended agent's sessions end; reinstated, it signs in again", async () => {
    const agent = await w.agent();
    const session = crypto.randomUUID();
    expectOk(await w.agents().loginResult({ agentId: agent.id, passwordVersion: 1, sessionId: session, expiresAt: Date.now() + 60_000 }));
    expectOk(await w.agents().sessionCheck({ agentId: agent.id, jti: session }));
    expectOk(await w.agents().suspendAgent({ agentId: agent.id, reason: "review", by: TEST_SETUP }));
    expect(await w.agents().sessionCheck({ agentId: agent.id, jti: session })).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    expect(await w.agents().loginResult({ agentId: agent.id, passwordVersion: 1, sessionId: crypto.randomUUID(), expiresAt: Date.now() + 60_000 })).toMatchObject({
      ok: false,
      error: { code: "account_suspended" },
    });
    expectOk(await w.agents().reinstateAgent({ agentId: agent.id, by: TEST_SETUP }));
    expectOk(await w.agents().loginResult({ agentId: agent.id, passwordVersion: 1, sessionId: crypto.randomUUID(), expiresAt: Date.now() + 60_000 }));
  });
});

describe("players, activity and isolation", () => {
  test("a sign-up with an agent's code links the player; activity and cash follow the wallet's events; each agent sees its subtree only", async () => {
    const head = await w.agent({ rates: { rolling: { slots: 100, live_casino: 50 } } });
    const store = await w.agent({ parentId: head.id, rates: { rolling: { slots: 100 } } });
    const sibling = await w.agent({ parentId: head.id });
    const player = await w.player(store);
    const other = await w.player(sibling);
    expect(player.agentId).toBe(store.id);
    await w.play(
      player.playerId,
      [
        { amount: 1000, category: "slots" },
        { amount: 500, category: "live_casino" },
      ],
      700,
    );
    const report = await w.projected(store.id, 1500n, 700n);
    expect(report.total).toEqual({ deposits: "0", withdrawals: "0", bets: "1500", wins: "700", netLoss: "800" });
    expect((await w.projected(head.id, 1500n, 700n)).children.find((c) => c.agentId === store.id)).toMatchObject({ bets: "1500" });
    const listed = expectOk(await w.agents().downlinePlayers({ within: head.id }));
    expect(listed.items.map((p) => p.username).sort()).toEqual([other.username, player.username].sort());
    expect(listed.items.find((p) => p.playerId === player.playerId)?.cash).toBe("701");
    expect(expectOk(await w.agents().downlinePlayers({ within: store.id })).items.map((p) => p.playerId)).toEqual([player.playerId]);
    expect(await w.agents().downlinePlayers({ within: store.id, agentId: sibling.id })).toMatchObject({ ok: false, error: { code: "agent_not_found" } });
    expect(await w.agents().ownPlayer({ agentId: store.id, username: other.username })).toMatchObject({ ok: false, error: { code: "player_not_found" } });
    expect(await w.agents().ownPlayer({ agentId: store.id, username: player.username })).toMatchObject({ ok: true, value: { playerId: player.playerId } });
    const today = localDay(Date.now(), "UTC");
    const days = expectOk(await w.agents().activityByPlayer({ within: store.id, from: today, to: today }));
    expect(days.items).toEqual([
      { playerId: player.playerId, username: player.username, agentId: store.id, day: today, deposits: "0", withdrawals: "0", bets: "1500", wins: "700", netLoss: "800" },
    ]);
  });

  test("a code no agent has links nobody", async () => {
    const id = crypto.randomUUID();
    await node.parts.events.publish([
      { id: crypto.randomUUID(), type: "player.registered", brand, at: Date.now(), payload: { playerId: id, username: "nobody_1", nickname: "n", signupCode: "NO-SUCH-CODE" } },
    ]);
    const probe = await w.agent();
    await w.player(probe);
    expect(node.parts.shards.acquire(brand).sqlite.query("select 1 from agent_players where player_id = ?").get(id)).toBeNull();
  });
});

describe("commission settlement", () => {
  test("the period settles once through the wallet: each level its difference, paid into its cash", async () => {
    const head = await w.agent({ rates: { rolling: { slots: 100 }, losing: 1000 } });
    const store = await w.agent({ parentId: head.id, rates: { rolling: { slots: 60 }, losing: 500 } });
    const player = await w.player(store);
    await w.play(player.playerId, [{ amount: 100_000, category: "slots" }], 30_000);
    await w.projected(head.id, 100_000n, 30_000n);
    const today = localDay(Date.now(), "UTC");
    expect(await w.agents().runSettlement({ day: today, by: TEST_SETUP })).toMatchObject({ ok: false, error: { code: "period_open" } });

    const firedAt = endOf(periodOf(today, "daily"), "UTC") + 11 * 60_000;
    await node.parts.system.fireTimer("agent", "settle", firedAt);
    const id = `commission:${today}`;
    const settled = await waitFor(
      async () => {
        const s = expectOk(await w.agents().settlements({ limit: 10 })).items.find((x) => x.id === id);
        return s?.status === "settled" ? s : undefined;
      },
      { what: "the period settled" },
    );
    expect(await w.cashOf({ kind: "agent", id: store.id })).toBe(600n + 3_500n);
    expect(await w.cashOf({ kind: "agent", id: head.id })).toBe(400n + 3_500n);
    const lines = expectOk(await w.agents().settlementLines({ agentId: store.id }));
    expect(lines.items.map((l) => [l.kind, l.amount, l.status]).sort()).toEqual([
      ["losing", "3500", "paid"],
      ["rolling", "600", "paid"],
    ]);
    expect(lines.items.find((l) => l.kind === "rolling")?.detail).toMatchObject({
      rate: { slots: 60 },
      base: { slots: "100000" },
      gross: { slots: "600" },
      passedDown: { slots: "0" },
    });

    // once per period: another timer and a re-ask of a paid line pay nothing more
    await node.parts.system.fireTimer("agent", "settle", firedAt + 60_000);
    const paid = lines.items[0]!;
    const reask = { lineId: paid.lineId, source: "agent", settlementId: id, kind: paid.kind, owner: paid.owner, account: "cash", amount: paid.amount };
    await node.parts.events.publish([{ id: crypto.randomUUID(), type: "settlement.credit_requested", brand, at: Date.now(), payload: reask }]);
    await waitFor(
      async () => {
        const [row] = await node.parts.store.query<{ n: number }>(
          "select count(*)::int as n from outbox where brand_id = $1 and type = 'wallet.settlement_credited' and payload->>'lineId' = $2",
          [brand, paid.lineId],
        );
        return row!.n === 2;
      },
      { what: "the wallet to answer the re-ask" },
    );
    await waitFor(async () => ((await node.parts.events.stats("agent")).pending === 0 ? true : undefined), { what: "the agent to take the answer" });
    expect(await w.cashOf({ kind: "agent", id: store.id })).toBe(4_100n);
    expect(await w.cashOf({ kind: "agent", id: head.id })).toBe(3_900n);
    expect(expectOk(await w.agents().settlements({ limit: 10 })).items.filter((s) => s.id === id)).toHaveLength(1);
  });

  test("staff settle an ended period once; a run again answers the same settlement and audits nothing more", async () => {
    const day = "2020-01-06";
    const first = expectOk(await w.agents().runSettlement({ day, by: TEST_SETUP }));
    expect(first).toMatchObject({ id: `commission:${day}`, status: "settled", lines: 0, total: "0" });
    expect(await w.agents().runSettlement({ day, by: TEST_SETUP })).toMatchObject({ ok: true, value: { id: first.id, createdAt: first.createdAt } });
    expect(
      shardEvents("audit.recorded")
        .filter((a) => a.target === `settlement:${first.id}`)
        .map((a) => a.action),
    ).toEqual(["agent.settlement_run"]);
  });

  test("a brand that changes its period settles each day once: a week pays only the days no earlier settlement covered", async () => {
    const agent = await w.agent({ rates: { rolling: { slots: 100 } } });
    const player = await w.player(agent);
    // two days of last year's play, as the wallet's events said it then
    const bet = (day: string, amount: string) => ({
      id: crypto.randomUUID(),
      type: "wallet.bet_settled",
      brand,
      at: Date.parse(`${day}T12:00:00Z`),
      payload: { player: player.playerId, amount, balance: "0", gameCategory: "slots" },
    });
    await node.parts.events.publish([bet("2025-03-04", "10000"), bet("2025-03-05", "20000")]);
    await waitFor(async () => expectOk(await w.agents().activity({ within: agent.id, from: "2025-03-04", to: "2025-03-05" })).total.bets === "30000", {
      what: "the old play projected",
    });
    const daily = expectOk(await w.agents().runSettlement({ day: "2025-03-04", by: TEST_SETUP }));
    const agentLine = async (settlementId: string) =>
      expectOk(await w.agents().settlementLines({ settlementId, agentId: agent.id })).items.find((l) => l.kind === "rolling")?.amount;
    expect(await agentLine(daily.id)).toBe("100");
    expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { agent: { settlementPeriod: "weekly" } }, by: TEST_SETUP }));
    const weekly = expectOk(await w.agents().runSettlement({ day: "2025-03-05", by: TEST_SETUP }));
    expect(weekly).toMatchObject({ id: "commission:2025-03-03..2025-03-09", detail: { settledBefore: ["2025-03-04"] } });
    expect(await agentLine(weekly.id)).toBe("200");
    expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { agent: { settlementPeriod: null } }, by: TEST_SETUP }));
    const again = expectOk(await w.agents().runSettlement({ day: "2025-03-05", by: TEST_SETUP }));
    expect(again).toMatchObject({ id: "commission:2025-03-05", lines: 0, detail: { settledBefore: ["2025-03-05"] } });
  });
});
