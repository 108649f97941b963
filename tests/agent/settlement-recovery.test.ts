import { afterAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { endOf, localDay, periodOf } from "../../actors/settlement/index.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { tempDir, waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { agentWorld } from "./agent-world.ts";

/**
 * A settlement survives losing what was in flight: its lines are stored and asked for in one
 * shard commit, so a node that stops after the snapshot (its asks never reached a wallet)
 * leaves lines a later node asks for again; the wallet pays each line once, and an old ask
 * delivered late only makes it announce the same credit again.
 */

const dataDir = tempDir("agrec");
const nodes: TestPlatformNode[] = [];
afterAll(async () => {
  for (const node of nodes) await node.stop();
});

test("lines snapshotted on a node that stopped before any wallet took them are paid once by the next node", async () => {
  // the first node runs no wallet: the period is snapshotted and its credit requests go nowhere
  const first = await testNode({ label: "rec1", domains: ["player", "agent"], env: { DATA_DIR: dataDir } });
  nodes.push(first);
  const brand = await first.addBrand({ prefix: "rec" });
  const w1 = agentWorld(first, brand);
  const head = await w1.agent({ rates: { rolling: { slots: 100 }, losing: 1000 } });
  const store = await w1.agent({ parentId: head.id, rates: { rolling: { slots: 60 }, losing: 500 } });
  const player = await w1.player(store);
  const event = (type: string, amount: string) => ({
    id: crypto.randomUUID(),
    type,
    brand,
    at: Date.now(),
    payload: { player: player.playerId, amount, balance: "0", gameCategory: "slots" },
  });
  await first.parts.events.publish([event("wallet.bet_settled", "100000"), event("wallet.win", "30000")]);
  await w1.projected(head.id, 100_000n, 30_000n);
  const today = localDay(Date.now(), "UTC");
  const firedAt = endOf(periodOf(today, "daily"), "UTC") + 11 * 60_000;
  await first.parts.system.fireTimer("agent", "settle", firedAt);
  const id = `commission:${today}`;
  await waitFor(async () => expectOk(await w1.agents().settlements({ limit: 5 })).items.some((s) => s.id === id), { what: "the snapshot" });
  await first.stop();
  nodes.pop();

  // the next node, on the same shards, hosts the brand with every domain; its timer asks again
  const second = await testNode({ label: "rec2", env: { DATA_DIR: dataDir } });
  nodes.push(second);
  await second.hostBrand(brand);
  const w2 = agentWorld(second, brand);
  expect(expectOk(await w2.agents().settlements({ limit: 5 })).items.find((s) => s.id === id)).toMatchObject({ status: "crediting", total: "8000" });
  await second.parts.system.fireTimer("agent", "settle", firedAt + 11 * 60_000);
  await waitFor(async () => expectOk(await w2.agents().settlements({ limit: 5 })).items.find((s) => s.id === id)?.status === "settled", { what: "the lines paid" });
  expect(await w2.cashOf({ kind: "agent", id: store.id })).toBe(600n + 3_500n);
  expect(await w2.cashOf({ kind: "agent", id: head.id })).toBe(400n + 3_500n);

  // the first node's ask, delivered late (a replayed stream, say): the same credit is announced, nothing moves
  const [line] = expectOk(await w2.agents().settlementLines({ agentId: store.id, limit: 5 })).items;
  const late = { lineId: line!.lineId, source: "agent", settlementId: id, kind: line!.kind, owner: line!.owner, account: "cash", amount: line!.amount };
  await second.parts.events.publish([{ id: `${line!.lineId}#1`, type: "settlement.credit_requested", brand, at: Date.now(), payload: late }]);
  await waitFor(
    async () => {
      const [row] = await second.parts.store.query<{ n: number }>(
        "select count(*)::int as n from outbox where brand_id = $1 and type = 'wallet.settlement_credited' and payload->>'lineId' = $2",
        [brand, line!.lineId],
      );
      return row!.n >= 2;
    },
    { what: "the wallet to answer the late ask" },
  );
  await second.parts.system.fireTimer("agent", "settle", firedAt + 3_600_000);
  expect(await w2.cashOf({ kind: "agent", id: store.id })).toBe(4_100n);
  expect(await w2.cashOf({ kind: "agent", id: head.id })).toBe(3_900n);
  const reconciled = expectOk(await second.edge.clients.wallet(brand).reconcile({ by: TEST_SETUP }));
  expect(reconciled.ok).toBe(true);
}, 60_000);
