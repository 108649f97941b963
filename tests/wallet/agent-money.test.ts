import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { outboxOf, type WalletHarness, walletHarness } from "./harness.ts";

/**
 * The wallet's side of the agent domain: an agent's own withdrawals (held at once, paid out or
 * returned by staff, audited), and settlement lines credited once under their id whatever is
 * asked again, each ask answered by an event the owner marks its line from.
 */

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
}, 60_000);
afterAll(() => h.close());

const id = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
const STAFF = { staffId: "staff-7", username: "finance" };
const agentBalance = async (agent: string) => {
  const outcome = await h.wallet.balance({ owner: { kind: "agent", id: agent } });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
};
async function fundedAgent(amount: number) {
  const agent = id("agent");
  await h.wallet.adjust({ adjustmentId: id("a"), owner: { kind: "agent", id: agent }, amount, reason: "float", by: STAFF });
  return agent;
}
/** The line credit as the wallet's event feed hands it over: a message of the event's type, under the event's id. */
const ask = (body: Record<string, unknown>, eventId = id("evt")) => h.system.askOutcome(`wallet@${h.brand}`, "settlement.credit_requested", body, { id: eventId });
const line = (owner: { kind: "player" | "agent"; id: string }, amount: string, lineId = id("line")) => ({
  lineId,
  source: "agent",
  settlementId: "commission:2024-05-06",
  kind: "rolling",
  owner,
  account: "cash",
  amount,
});

describe("agent withdrawals", () => {
  test("held at once, then paid out by staff; the queue and the agent's list show it; audited with the decision", async () => {
    const agent = await fundedAgent(1_000);
    const requestId = id("aw");
    const held = await h.wallet.agentWithdrawalRequest({ requestId, agent, amount: 600 });
    expect(held).toMatchObject({ ok: true, value: { kind: "agent_withdrawal", agent, status: "pending", balance: { cash: "400", locked: "600" }, replayed: false } });
    expect(await h.wallet.agentWithdrawalRequest({ requestId, agent, amount: 600 })).toMatchObject({ ok: true, value: { replayed: true } });
    const queue = await h.wallet.pendingRequests({ kind: "agent_withdrawal" });
    expect(queue.ok && queue.value.items.some((r) => r.requestId === requestId && r.player === agent)).toBe(true);
    const paid = await h.wallet.agentWithdrawalApprove({ requestId, by: STAFF });
    expect(paid).toMatchObject({ ok: true, value: { status: "approved", balance: { cash: "400", locked: "0" } } });
    expect(await h.wallet.agentWithdrawalReject({ requestId, reason: "late", by: STAFF })).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    const mine = await h.wallet.agentRequests({ agent });
    expect(mine).toMatchObject({ ok: true, value: { items: [{ requestId, kind: "agent_withdrawal", status: "approved", amount: "600" }] } });
    const audits = (await outboxOf(h.store, h.brand, "audit.recorded")).filter((e) => e.payload.target === `agent_withdrawal:${requestId}`);
    expect(audits.map((e) => e.payload.action)).toEqual(["agent_withdrawal.approve"]);
    const events = (await outboxOf(h.store, h.brand)).filter((e) => e.payload.requestId === requestId).map((e) => e.type);
    expect(events).toEqual(["wallet.agent_withdrawal_requested", "wallet.agent_withdrawal_approved"]);
  });

  test("a rejection returns the held cash; more than the cash is refused and stays refused", async () => {
    const agent = await fundedAgent(500);
    const requestId = id("aw");
    await h.wallet.agentWithdrawalRequest({ requestId, agent, amount: 500 });
    expect(await h.wallet.agentWithdrawalReject({ requestId, reason: "wrong account", by: STAFF })).toMatchObject({
      ok: true,
      value: { status: "rejected", balance: { cash: "500", locked: "0" } },
    });
    const tooMuch = id("aw");
    expect(await h.wallet.agentWithdrawalRequest({ requestId: tooMuch, agent, amount: 501 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    await h.wallet.adjust({ adjustmentId: id("a"), owner: { kind: "agent", id: agent }, amount: 100, reason: "top up", by: STAFF });
    expect(await h.wallet.agentWithdrawalRequest({ requestId: tooMuch, agent, amount: 501 })).toMatchObject({ ok: false, error: { code: "insufficient_funds" } });
    expect(await agentBalance(agent)).toMatchObject({ cash: "600", locked: "0" });
  });

  test("a player's withdrawal approval cannot decide an agent's request", async () => {
    const agent = await fundedAgent(100);
    const requestId = id("aw");
    await h.wallet.agentWithdrawalRequest({ requestId, agent, amount: 100 });
    expect(await h.wallet.withdrawalApprove({ requestId, by: STAFF })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});

describe("settlement lines", () => {
  test("a line is credited from the house once; asking again announces the same credit again", async () => {
    const agent = id("agent");
    const body = line({ kind: "agent", id: agent }, "750");
    const first = await ask(body);
    expect(first).toMatchObject({ ok: true, value: { lineId: body.lineId, amount: "750", replayed: false } });
    const transactionId = first.ok && (first.value as { transactionId: string }).transactionId;
    const again = await ask(body);
    expect(again).toMatchObject({ ok: true, value: { lineId: body.lineId, replayed: true } });
    expect(await agentBalance(agent)).toMatchObject({ cash: "750" });
    const news = (await outboxOf(h.store, h.brand, "wallet.settlement_credited")).filter((e) => e.payload.lineId === body.lineId);
    expect(news.map((e) => [e.payload.transactionId, e.payload.source, e.payload.replayed])).toEqual([
      [transactionId, "agent", false],
      [transactionId, "agent", true],
    ]);
  });

  test("the same event delivered twice is answered once, with nothing new", async () => {
    const player = id("p");
    const body = line({ kind: "player", id: player }, "40");
    const eventId = id("evt");
    await ask(body, eventId);
    await ask(body, eventId);
    expect((await outboxOf(h.store, h.brand, "wallet.settlement_credited")).filter((e) => e.payload.lineId === body.lineId)).toHaveLength(1);
  });

  test("a line asked with another amount, or an agent's bonus, is refused and the refusal announced each time", async () => {
    const agent = id("agent");
    const body = line({ kind: "agent", id: agent }, "100");
    await ask(body);
    expect(await ask({ ...body, amount: "101" })).toMatchObject({ ok: false, error: { code: "duplicate_request" } });
    const bonus = { ...line({ kind: "agent", id: agent }, "5"), account: "bonus" };
    expect(await ask(bonus)).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await ask(bonus)).toMatchObject({ ok: false, error: { code: "bad_request" } });
    const refusals = (await outboxOf(h.store, h.brand, "wallet.settlement_refused")).filter((e) => [body.lineId, bonus.lineId].includes(e.payload.lineId as string));
    expect(refusals.map((e) => [e.payload.lineId, e.payload.code])).toEqual([
      [body.lineId, "duplicate_request"],
      [bonus.lineId, "bad_request"],
      [bonus.lineId, "bad_request"],
    ]);
    expect(await agentBalance(agent)).toMatchObject({ cash: "100" });
  });

  test("a line that is not a positive amount never reaches a decision", async () => {
    expect(await ask(line({ kind: "agent", id: id("agent") }, "0"))).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await ask(line({ kind: "agent", id: id("agent") }, "-5"))).toMatchObject({ ok: false, error: { code: "validation_failed" } });
  });
});
