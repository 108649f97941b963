import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { RS, walletAddress } from "../../actors/wallet/index.ts";
import { waitFor } from "../support/services.ts";
import { PAYOUT, type WalletNode, walletNode } from "./wallet-node.ts";

/**
 * The wallet's own consumer of the player domain's events: suspensions keep the list provider
 * bets are refused by, registrations and bank account changes keep the account withdrawals are
 * paid to. Each event is taken once under its id, however often it is delivered.
 */

let w: WalletNode;
let brand: string;
beforeAll(async () => {
  w = await walletNode({ label: "pev" });
  brand = await w.addBrand();
}, 60_000);
afterAll(() => w.close());

const wallet = () => w.node.edge.clients.wallet(brand);
const publish = (type: string, payload: Record<string, unknown>, id: string = crypto.randomUUID()) =>
  w.node.parts.events.publish([{ id, type, brand, at: Date.now(), payload }]).then(() => id);
/** Every event published so far was taken by the wallet's group. */
const settled = () => waitFor(async () => ((await w.node.parts.events.stats("wallet")).pending === 0 ? true : undefined), { what: "the wallet to take its events" });
const taken = (eventId: string) =>
  waitFor(async () => (await w.node.parts.store.query("select 1 from wallet_messages where brand_id = $1 and message_id = $2", [brand, eventId])).length > 0, {
    what: `the wallet to take event ${eventId}`,
  });

async function funded(amount: number) {
  const player = `p-${crypto.randomUUID()}`;
  expectOk(await wallet().adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: player }, amount, reason: "funds", by: { staffId: null, username: "test" } }));
  return player;
}
/** A fresh writer: what it knows of earlier messages comes from the store, not its memory. */
async function restartWallet() {
  await w.node.parts.system.unhost(walletAddress(brand));
  await w.node.parts.system.host("wallet", brand);
}
const bet = (player: string, amount = 10) => wallet().bet({ provider: "evo", player, round: crypto.randomUUID(), transactionUuid: crypto.randomUUID(), amount });
const payoutOf = async (player: string) =>
  (
    await w.node.parts.store.query<{ bank_name: string; account_number: string; holder: string }>(
      "select bank_name, account_number, holder from wallet_payout_accounts where brand_id = $1 and player_id = $2",
      [brand, player],
    )
  )[0];

describe("suspensions", () => {
  test("player.suspended refuses the player's bets and player.reinstated lifts it; the list survives a restart", async () => {
    const player = await funded(1_000);
    await taken(await publish("player.suspended", { playerId: player, reason: "fraud review", by: "staff-1" }));
    expect(await bet(player)).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
    await restartWallet();
    expect(await bet(player)).toMatchObject({ ok: false, error: { code: RS.userDisabled } });
    await taken(await publish("player.reinstated", { playerId: player, by: "staff-1" }));
    expect(await bet(player)).toMatchObject({ ok: true, value: { balance: "990" } });
  });

  test("an event delivered again, even after a newer one (a relay's replay), changes nothing", async () => {
    const player = await funded(1_000);
    const suspended = await publish("player.suspended", { playerId: player, reason: "chargeback" });
    await taken(suspended);
    await taken(await publish("player.reinstated", { playerId: player }));
    // the old suspension again, under its own id, to a writer that never saw it, and again in the same read
    await restartWallet();
    await publish("player.suspended", { playerId: player, reason: "chargeback" }, suspended);
    await w.node.parts.events.publish([1, 2].map(() => ({ id: suspended, type: "player.suspended", brand, at: Date.now(), payload: { playerId: player } })));
    await settled();
    await taken(await publish("player.registered", { playerId: `later-${crypto.randomUUID()}` }));
    expect((await bet(player)).ok).toBe(true);
    expect(await w.node.parts.store.query("select 1 from wallet_suspended_players where brand_id = $1 and player_id = $2", [brand, player])).toEqual([]);
    const dead = await w.node.parts.events.stats("wallet");
    expect(dead.deadLetters).toBe(0);
  });
});

describe("payout accounts", () => {
  test("player.registered and player.bank_account_changed keep the latest account; an older event replayed does not bring its account back", async () => {
    const player = `p-${crypto.randomUUID()}`;
    const registered = await publish("player.registered", { playerId: player, username: "kim", bank: PAYOUT });
    await taken(registered);
    expect(await payoutOf(player)).toEqual({ bank_name: PAYOUT.name, account_number: PAYOUT.account, holder: PAYOUT.holder });
    const changed = { name: "Kookmin", account: "999-888-777666", holder: "Kim Minsu" };
    await taken(await publish("player.bank_account_changed", { playerId: player, bank: changed }));
    await restartWallet();
    await publish("player.registered", { playerId: player, username: "kim", bank: PAYOUT }, registered);
    await settled();
    await taken(await publish("player.registered", { playerId: `later-${crypto.randomUUID()}` }));
    expect(await payoutOf(player)).toEqual({ bank_name: changed.name, account_number: changed.account, holder: changed.holder });
  });

  test("an event without a bank account leaves the account on file as it was", async () => {
    const player = `p-${crypto.randomUUID()}`;
    await taken(await publish("player.registered", { playerId: player, username: "lee" }));
    expect(await payoutOf(player)).toBeUndefined();
    await taken(await publish("player.bank_account_changed", { playerId: player, bank: PAYOUT }));
    await taken(await publish("player.bank_account_changed", { playerId: player }));
    expect(await payoutOf(player)).toMatchObject({ account_number: PAYOUT.account });
  });
});
