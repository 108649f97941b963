import type { CouponView } from "../../actors/promotion/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import type { TestPlatformNode } from "../support/test-node.ts";

/** Arrangements for the promotion domain's tests, through its actor, the wallet and the catalog, as the edges would ask. */

type CouponFields = {
  kind?: "fixed" | "deposit_percent";
  amount?: string;
  percentBp?: number;
  cap?: string;
  minDeposit?: string;
  maxUses?: number;
  rollingMultiple?: number;
  code?: string;
  batch?: number;
};

export function promotionWorld(node: TestPlatformNode, brand: string) {
  const promotions = () => node.edge.clients.promotion(brand);
  const wallet = () => node.edge.clients.wallet(brand);
  const rolling = () => node.edge.clients.rolling(brand);

  async function coupon(fields: CouponFields = {}): Promise<CouponView & { codeList: string[] }> {
    const input = { name: `Coupon ${crypto.randomUUID().slice(0, 6)}`, kind: fields.kind ?? "fixed", maxUses: 1, validTo: Date.now() + 86_400_000, ...fields };
    if (input.kind === "fixed") input.amount ??= "1000";
    if (input.code === undefined && input.batch === undefined) input.code = `C${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    return expectOk(await promotions().createCoupon({ coupon: input as never, by: TEST_SETUP }));
  }

  /** The brand's promotion settings; resolves once the node's catalog copy has them. */
  async function configure(promotion: Record<string, unknown>) {
    const brandAfter = expectOk(await node.edge.clients.catalog().configureBrand({ brand, patch: { promotion }, by: TEST_SETUP }));
    await waitFor(() => node.edge.brands.get(brand)?.config === brandAfter.config || JSON.stringify(node.edge.brands.get(brand)?.config) === JSON.stringify(brandAfter.config), {
      what: "the catalog copy",
    });
  }

  const balances = async (player: string) => expectOk(await wallet().balance({ owner: { kind: "player", id: player } }));

  /** Fund a player and play through the wallet: bets by category, then a win on the last bet; the bet keys are returned. */
  async function play(player: string, bets: { amount: number; category: string }[], win = 0) {
    const total = bets.reduce((n, b) => n + b.amount, 0);
    expectOk(await wallet().adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: player }, amount: total + 1, reason: "stake", by: TEST_SETUP }));
    const round = crypto.randomUUID();
    const keys: string[] = [];
    for (const bet of bets) {
      keys.push(crypto.randomUUID());
      expectOk(await wallet().bet({ provider: "studio", player, round, transactionUuid: keys.at(-1)!, amount: bet.amount, gameCategory: bet.category, gameCode: "g1" }));
    }
    if (win > 0)
      expectOk(
        await wallet().win({ provider: "studio", player, round, transactionUuid: crypto.randomUUID(), referenceTransactionUuid: keys.at(-1)!, amount: win, gameCode: "g1" }),
      );
    return { round, keys };
  }

  /** A redemption once the wallet's grant and its rolling record are known to the promotion domain. */
  const granted = (redemptionId: string, rollingStatus = "open") =>
    waitFor(
      async () => {
        const r = await promotions().redemption({ redemptionId });
        return r.ok && r.value.status === "granted" && r.value.rolling?.status === rollingStatus ? r.value : undefined;
      },
      { what: `redemption ${redemptionId} granted with its rolling ${rollingStatus}`, timeoutMs: 10_000 },
    );

  return { promotions, wallet, rolling, coupon, configure, balances, play, granted };
}
