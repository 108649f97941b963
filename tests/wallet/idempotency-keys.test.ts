import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { idempotencyKeys } from "../../actors/wallet/keys.ts";
import { fund, type WalletHarness, walletHarness } from "./harness.ts";

/**
 * Idempotency keys of different commands never meet: a caller's bonus conversion or forfeit id
 * cannot take the key the wallet keeps for a rolling record's settlement, so a record's bonus
 * is settled even after a caller used the record's id for a conversion of their own.
 */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(() => h.close());

const record = (player: string, rollingId: string, bonusAmount: string) => ({
  rollingId,
  player,
  sourceKind: "bonus" as const,
  source: Bun.randomUUIDv7(),
  bonusAmount,
  remaining: "0",
  status: "completed" as const,
  version: 2,
});

test("a caller's conversion id in the wallet's reserved ids is refused, and the record's own settlement still converts its bonus", async () => {
  const player = `p-${crypto.randomUUID()}`;
  const rollingId = `r-${crypto.randomUUID()}`;
  await fund(h, player, 1);
  expectOk(await h.wallet.bonusGrant({ grantId: crypto.randomUUID(), player, amount: 1_000 }));

  const taken = await h.wallet
    .bonusConvert({ conversionId: `rolling:${rollingId}`, player, amount: 100 })
    .catch((error: Error) => ({ ok: false, error: { code: "validation_failed", message: error.message } }));
  expect(taken).toMatchObject({ ok: false, error: { code: "validation_failed" } });
  const forfeit = await h.wallet
    .bonusForfeit({ forfeitId: `rolling:${rollingId}`, player, amount: 100 })
    .catch((error: Error) => ({ ok: false, error: { code: "validation_failed", message: error.message } }));
  expect(forfeit).toMatchObject({ ok: false, error: { code: "validation_failed" } });

  expectOk(await h.wallet["rolling.completed"](record(player, rollingId, "1000")));
  expect(expectOk(await h.wallet.balance({ owner: { kind: "player", id: player } }))).toMatchObject({ cash: "1001", bonus: "0" });
  // an id that merely contains the word is the caller's own
  expectOk(await h.wallet.bonusGrant({ grantId: crypto.randomUUID(), player, amount: 50 }));
  expect(expectOk(await h.wallet.bonusConvert({ conversionId: `my-rolling:${rollingId}`, player }))).toMatchObject({ amount: "50", replayed: false });
});

test("the keys a record's settlement is kept under are the ones stored before (their meaning unchanged)", () => {
  expect(idempotencyKeys.bonusSettlement("completed", "r-1")).toBe("bonus-convert:rolling:r-1");
  expect(idempotencyKeys.bonusSettlement("expired", "r-1")).toBe("bonus-forfeit:rolling:r-1");
  expect(idempotencyKeys.bonusSettlement("cancelled", "r-1")).toBe("bonus-forfeit:rolling:r-1");
});
