import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/**
 * Agents move cash to and from their players only where the brand's settings allow each way
 * (`agent.transfersToPlayers`, `agent.transfersFromPlayers`, off unless set); the refusal, like
 * any, stays under the transfer's id.
 */

let node: TestPlatformNode;
let brand: string;
beforeAll(async () => {
  node = await testNode({ label: "atr", domains: ["wallet"] });
  brand = await node.addBrand({ prefix: "atr" });
}, 60_000);
afterAll(() => node.stop());

const wallet = () => node.edge.clients.wallet(brand);
const configure = (agent: Record<string, boolean>) => node.edge.clients.catalog().configureBrand({ brand, patch: { agent }, by: TEST_SETUP }).then(expectOk);

test("each way of a transfer follows its brand setting; a refused transfer stays refused under its id", async () => {
  const agent = `agent-${crypto.randomUUID()}`;
  const player = `p-${crypto.randomUUID()}`;
  expectOk(await wallet().adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "agent", id: agent }, amount: 1_000, reason: "float", by: TEST_SETUP }));
  const give = { transferId: crypto.randomUUID(), agent, player, direction: "agent_to_player" as const, amount: 300 };
  expect(await wallet().transfer(give)).toMatchObject({ ok: false, error: { code: "transfer_not_allowed", details: { setting: "agent.transfersToPlayers" } } });

  await configure({ transfersToPlayers: true });
  expect(await wallet().transfer(give)).toMatchObject({ ok: false, error: { code: "transfer_not_allowed" } });
  expect(await wallet().transfer({ ...give, transferId: crypto.randomUUID() })).toMatchObject({ ok: true, value: { agentCash: "700", playerCash: "300" } });
  const take = { transferId: crypto.randomUUID(), agent, player, direction: "player_to_agent" as const, amount: 100 };
  expect(await wallet().transfer(take)).toMatchObject({ ok: false, error: { code: "transfer_not_allowed", details: { setting: "agent.transfersFromPlayers" } } });

  await configure({ transfersFromPlayers: true });
  expect(await wallet().transfer({ ...take, transferId: crypto.randomUUID() })).toMatchObject({ ok: true, value: { agentCash: "800", playerCash: "200" } });
});
