import { afterAll, beforeAll, expect, test } from "bun:test";
import { directWriter, fund, incoming, outboxOf, type WalletHarness, walletHarness } from "./harness.ts";

/**
 * Money staff cause by replaying is audited by the wallet in the commit that moves it: a
 * provider callback replayed with `by` (POST /integration/replay), and a dead letter an
 * operator put back (`replayedBy` on its envelope). A repeat, a refusal or a provider's own
 * call audits nothing.
 */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(() => h.close());

const replays = async () => (await outboxOf(h.store, h.brand, "audit.recorded")).map((e) => e.payload).filter((p) => String(p.action).endsWith("_replay"));

test("a dead letter put back by an operator is audited with what it moved, once; the same message again audits nothing", async () => {
  const player = `p-${crypto.randomUUID()}`;
  await fund(h, player, 1_000);
  const writer = await directWriter(h.store, h.brand, "replayer");
  const operator = { staffId: null, username: "operator", ip: "10.0.0.1" };
  const bet = incoming("bet", { provider: "evo", player, round: "r1", transactionUuid: crypto.randomUUID(), amount: 300 });
  const replayed = { ...bet, envelope: { ...bet.envelope, replayedBy: operator } };
  const [moved] = await writer.receive([replayed]);
  expect(moved).toMatchObject({ ok: true, value: { balance: "700", replayed: false } });
  const [again] = await writer.receive([{ ...replayed, id: crypto.randomUUID() }]);
  expect(again).toMatchObject({ ok: true, value: { replayed: true } });
  // a provider's own bet is nobody's replay
  await writer.receive([incoming("bet", { provider: "evo", player, round: "r2", transactionUuid: crypto.randomUUID(), amount: 100 })]);
  expect(await replays()).toEqual([
    expect.objectContaining({
      action: "wallet.dead_letter_replay",
      brand: h.brand,
      target: `player:${player}`,
      by: operator,
      after: expect.objectContaining({ message: bet.id, type: "bet", body: expect.objectContaining({ amount: "300" }), outcome: expect.objectContaining({ balance: "700" }) }),
    }),
  ]);
  const [balance] = await writer.receive([incoming("balance", { owner: { kind: "player", id: player } })]);
  expect(balance).toMatchObject({ ok: true, value: { cash: "600" } });
});

test("a provider callback carrying the staff member who replayed it is audited as theirs; its refusal is not", async () => {
  const player = `p-${crypto.randomUUID()}`;
  await fund(h, player, 100);
  const by = { staffId: "staff-7", username: "kim", ip: "10.0.0.7" };
  const before = (await replays()).length;
  expect(await h.wallet.bet({ provider: "evo", player, round: "r1", transactionUuid: crypto.randomUUID(), amount: 1_000, by })).toMatchObject({
    ok: false,
    error: { code: "RS_ERROR_NOT_ENOUGH_MONEY" },
  });
  expect(await h.wallet.win({ provider: "evo", player, round: "r1", transactionUuid: crypto.randomUUID(), amount: 50, by })).toMatchObject({ ok: false });
  const placed = await h.wallet.bet({ provider: "evo", player, round: "r2", transactionUuid: crypto.randomUUID(), amount: 40, by });
  expect(placed).toMatchObject({ ok: true, value: { balance: "60" } });
  const rows = (await replays()).slice(before);
  expect(rows).toEqual([
    expect.objectContaining({
      action: "wallet.callback_replay",
      target: `player:${player}`,
      by,
      after: expect.objectContaining({ type: "bet", body: expect.not.objectContaining({ by }) }),
    }),
  ]);
});
