import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { addDays, localDay } from "../../actors/settlement/index.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { promotionWorld } from "./promotion-world.ts";

/** A rollback relayed before its bet's event (pipelined commits) leaves a tombstone: the bet never counts. */
let node: TestPlatformNode;
beforeAll(async () => {
  node = await testNode({ label: "prord" });
}, 30_000);
afterAll(() => node.stop());

test("a rollback that arrives before its bet: the bet counts for nothing toward rebate", async () => {
  const brand = await node.addBrand({ prefix: "pro" });
  const world = promotionWorld(node, brand);
  await world.configure({ rebateRates: { slots: 100 } }); // 1%
  const day = addDays(localDay(Date.now(), "UTC"), -1);
  const at = Date.parse(`${day}T12:00:00Z`);
  const [refunded, other] = [crypto.randomUUID(), crypto.randomUUID()];
  const betKey = `p:studio:${crypto.randomUUID()}`;
  const event = (type: string, player: string, payload: Record<string, unknown>) => ({
    id: crypto.randomUUID(),
    type,
    brand,
    at,
    payload: { player, transactionId: Bun.randomUUIDv7(), balance: "0", currency: "KRW", gameCategory: "slots", ...payload },
  });
  await node.parts.events.publish([event("wallet.rollback", refunded, { amount: "100000", reference: betKey, idempotencyKey: `p:studio:${crypto.randomUUID()}` })]);
  await node.parts.events.publish([
    event("wallet.bet_settled", refunded, { amount: "100000", idempotencyKey: betKey }),
    event("wallet.bet_settled", other, { amount: "20000", idempotencyKey: `p:studio:${crypto.randomUUID()}` }),
  ]);
  const preview = await waitFor(
    async () => {
      const p = expectOk(await world.promotions().preview({ kind: "rebate", day, limit: 10 }));
      return p.players > 0 ? p : undefined;
    },
    { what: "the day's activity" },
  );
  expect(preview.lines.map((l) => [l.player, l.amount])).toEqual([[other, "200"]]);
  expect(preview.total).toBe("200");
});
