import { afterAll, beforeAll, expect, test } from "bun:test";
import { cashOf, fund, type WalletHarness, walletHarness } from "./harness.ts";

/**
 * A wallet whose catalog copy does not hold its brand has no settings for it: what needs them
 * (a deposit or withdrawal request, a transfer, a bonus grant) is refused
 * `settings_unavailable` for now, with nothing moved and nothing kept under its key; what
 * does not (a provider bet, a staff adjustment) goes on.
 */

let h: WalletHarness;
let known = false;
beforeAll(async () => {
  h = await walletHarness({ catalog: { get: (id) => (known ? ({ id, config: {} } as never) : undefined) } });
});
afterAll(() => h.close());

test("a brand without settings refuses a withdrawal and a transfer (settings_unavailable), moves nothing, and decides them once the settings arrive", async () => {
  const player = `p-${crypto.randomUUID()}`;
  await fund(h, player, 10_000);
  const withdrawal = { requestId: crypto.randomUUID(), player, amount: 1_000 };
  expect(await h.wallet.withdrawalRequest(withdrawal)).toMatchObject({ ok: false, error: { code: "settings_unavailable", details: { retryAfterSeconds: 5 } } });
  const transfer = { transferId: crypto.randomUUID(), agent: "agent-1", player, direction: "player_to_agent" as const, amount: 500 };
  expect(await h.wallet.transfer(transfer)).toMatchObject({ ok: false, error: { code: "settings_unavailable" } });
  expect(await h.wallet.depositRequest({ requestId: crypto.randomUUID(), player, amount: 1_000 })).toMatchObject({ ok: false, error: { code: "settings_unavailable" } });
  expect(await cashOf(h, player)).toBe(10_000n);

  // a bet reads no settings
  expect(await h.wallet.bet({ provider: "evo", player, round: "r1", transactionUuid: crypto.randomUUID(), amount: 100 })).toMatchObject({ ok: true });

  // not kept under its key: the same request is decided once the brand's settings are there
  known = true;
  expect(await h.wallet.withdrawalRequest(withdrawal)).toMatchObject({ ok: true, value: { status: "pending", replayed: false } });
  expect(await cashOf(h, player)).toBe(8_900n);
});
