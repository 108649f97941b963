import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { addDays, localDay } from "../../actors/settlement/index.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";
import { promotionWorld } from "./promotion-world.ts";

/**
 * A round settled across local midnight: its bet counts on day D, and its win must count on D
 * too (not D+1), or D shows the whole stake as a net loss and lossback pays on a bet the
 * player won. Wins that name their bet and wins that name only their round.
 */
let node: TestPlatformNode;
beforeAll(async () => {
  node = await testNode({ label: "prmid" });
}, 30_000);
afterAll(() => node.stop());

const cases = [
  { name: "a win naming its bet", byReference: true },
  { name: "a win naming only its round", byReference: false },
];

for (const { name, byReference } of cases) {
  test(`${name} after midnight nets against its bet's day: no lossback on a bet the player won`, async () => {
    const brand = await node.addBrand({ prefix: "prm" });
    const world = promotionWorld(node, brand);
    await world.configure({ lossbackRate: 1000, lossbackMinLoss: "0" }); // 10%, no cap
    const today = localDay(Date.now(), "UTC");
    const [d1, d2] = [addDays(today, -2), addDays(today, -1)];
    const player = crypto.randomUUID();
    const betKey = `p:studio:${crypto.randomUUID()}`;
    const round = `r-${crypto.randomUUID()}`;
    const event = (type: string, at: number, payload: Record<string, unknown>) => ({
      id: crypto.randomUUID(),
      type,
      brand,
      at,
      payload: { player, round, transactionId: Bun.randomUUIDv7(), balance: "0", currency: "KRW", gameCategory: "slots", ...payload },
    });
    // bet 100,000 at 23:59:50 on d1, won 300,000 at 00:00:10 on d2, and a plain loss of 50,000 on d2
    await node.parts.events.publish([
      event("wallet.bet_settled", Date.parse(`${d1}T23:59:50Z`), { amount: "100000", idempotencyKey: betKey }),
      event("wallet.win", Date.parse(`${d2}T00:00:10Z`), { amount: "300000", idempotencyKey: `p:studio:${crypto.randomUUID()}`, ...(byReference ? { reference: betKey } : {}) }),
      event("wallet.bet_settled", Date.parse(`${d2}T08:00:00Z`), { amount: "50000", idempotencyKey: `p:studio:${crypto.randomUUID()}`, round: `r-${crypto.randomUUID()}` }),
    ]);
    const promotions = world.promotions();
    const second = await waitFor(
      async () => {
        const p = expectOk(await promotions.preview({ kind: "lossback", day: d2, limit: 10 }));
        return p.players > 0 ? p : undefined;
      },
      { what: "the activity of d2" },
    );
    const first = expectOk(await promotions.preview({ kind: "lossback", day: d1, limit: 10 }));
    // d1 nets the bet and its win: the player won, nothing owed; d2 keeps its own loss whole
    expect(BigInt(first.total)).toBe(0n);
    expect(BigInt(second.total)).toBe(5_000n);
  });
}
