import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { catalogClient } from "../../actors/catalog/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type WalletNode, walletNode } from "../wallet/wallet-node.ts";

/**
 * The withdrawal gate and bonus settlement through a whole node: the wallet decides from its
 * own projection of rolling's events; rolling follows the wallet's events; bonuses convert or
 * are forfeited through the wallet when their record closes, once.
 */

let w: WalletNode;
let finance: { token: string };
const TERMS = { depositMultiple: 1, bonusMultiple: 5, categoryRates: { slots: 1, live_casino: 0.1 } };

beforeAll(async () => {
  w = await walletNode({ label: "rgate" });
}, 60_000);
afterAll(() => w.close());

async function brandWith(config: Record<string, unknown>) {
  const brand = await w.addBrand();
  expectOk(await catalogClient(w.node.parts.system).configureBrand({ brand, patch: config, by: TEST_SETUP }));
  finance = await w.staff("finance", [brand]);
  return brand;
}

async function deposit(brand: string, token: string, amount: number) {
  const asked = await w.gateway(brand, "POST", "/wallet/deposits", { token, json: { amount, depositorName: "Kim Minsu" } });
  const approved = await w.admin("POST", `/brands/${brand}/deposits/${asked.body.requestId}/approve`, { token: finance.token });
  expect(approved.status).toBe(200);
  return approved.body.transactionId as string;
}

const withdraw = (brand: string, token: string, amount: number) => w.gateway(brand, "POST", "/wallet/withdrawals", { token, json: { amount } });
const wallet = (brand: string) => w.node.edge.clients.wallet(brand);
let bets = 0;
const bet = async (brand: string, player: string, amount: number, gameCategory = "slots") => {
  const transactionUuid = `bet-${++bets}-${crypto.randomUUID()}`;
  return { ...expectOk(await wallet(brand).bet({ provider: "evo", player, round: `r${bets}`, transactionUuid, amount, gameCategory })), transactionUuid };
};
const balance = async (brand: string, player: string) => expectOk(await wallet(brand).balance({ owner: { kind: "player", id: player } }));
const refusalOf = async (brand: string, token: string, amount: number) => {
  const res = await withdraw(brand, token, amount);
  return res.status === 201 ? "accepted" : `${res.status} ${res.body.error.code}`;
};

describe("the withdrawal gate", () => {
  test("a deposit's requirement holds withdrawals, with what remains, until bets meet it", async () => {
    const brand = await brandWith({ rolling: { ...TERMS, depositMultiple: 0.5 } });
    const p = await w.player(brand);
    await deposit(brand, p.token, 20_000);
    const refused = await waitFor(
      async () => {
        const res = await withdraw(brand, p.token, 1_000);
        return res.body.error?.code === "rolling_open" ? res : undefined;
      },
      { what: "the requirement to open" },
    );
    expect(refused).toMatchObject({ status: 409, body: { error: { details: { setting: "withdrawal.blockedWhileRolling", remaining: "10000" } } } });
    expect(refused.body.error.details.rollings).toHaveLength(1);

    await bet(brand, p.id, 4_000);
    await bet(brand, p.id, 10_000, "live_casino");
    await waitFor(async () => expectOk(await w.node.edge.clients.rolling(brand).playerRollings({ player: p.id, limit: 1 })).summary.remaining === "5000", {
      what: "rolling to count both bets",
    });
    // progress reaches the wallet at most a minute late: the minute's sweep reports it now
    await w.node.parts.system.fireTimer("rolling", "sweep");
    const progressed = await waitFor(
      async () => {
        const res = await withdraw(brand, p.token, 1_000);
        return res.body.error?.details?.remaining === "5000" ? res : undefined;
      },
      { what: "the refusal to say what remains after two bets (4000 + 10% of 10000)" },
    );
    expect(progressed.status).toBe(409);

    await bet(brand, p.id, 5_000);
    await waitFor(async () => (await refusalOf(brand, p.token, 1_000)) === "accepted", { what: "the withdrawal to be accepted" });
    expect(await balance(brand, p.id)).toMatchObject({ cash: "0", locked: "1000" });
  });

  test("fails closed: while rolling has not answered a credit, a withdrawal is refused for now (503, Retry-After), never let through", async () => {
    const brand = await brandWith({ rolling: TERMS });
    const p = await w.player(brand);
    await w.node.parts.system.unhost(`rolling@${brand}`);
    await deposit(brand, p.token, 5_000);
    const headers = { host: `play.${brand}.test`, authorization: `Bearer ${p.token}`, "content-type": "application/json", "idempotency-key": "gate-retry-1" };
    const res = await w.node.apps.gateway.request(`http://play.${brand}.test/api/v1/wallet/withdrawals`, { method: "POST", headers, body: '{"amount":1000}' });
    expect([res.status, res.headers.get("retry-after")]).toEqual([503, "1"]);
    expect(await res.json()).toMatchObject({ error: { code: "unavailable", details: { setting: "withdrawal.blockedWhileRolling" } } });
    expect(await balance(brand, p.id)).toMatchObject({ cash: "5000", locked: "0" });
    // refused for now only: the same request asks again once rolling answers
    await w.node.parts.system.host("rolling", brand);
    const again = await waitFor(
      async () => {
        const retried = await w.gateway(brand, "POST", "/wallet/withdrawals", { token: p.token, headers: { "idempotency-key": "gate-retry-1" }, json: { amount: 1000 } });
        return retried.status === 409 ? retried : undefined;
      },
      { what: "rolling to answer the deposit" },
    );
    expect(again.body.error).toMatchObject({ code: "rolling_open", details: { remaining: "5000" } });
  });

  test("cash a player moves to their agent passes the same gate: refused rolling_open while a requirement is open, nothing moved", async () => {
    const brand = await brandWith({ rolling: TERMS, agent: { transfersFromPlayers: true } });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    await waitFor(async () => (await refusalOf(brand, p.token, 1_000)) === "409 rolling_open", { what: "the requirement to open" });
    const take = { transferId: crypto.randomUUID(), agent: `agent-${crypto.randomUUID()}`, player: p.id, direction: "player_to_agent" as const, amount: 1_000 };
    expect(await wallet(brand).transfer(take)).toMatchObject({
      ok: false,
      error: { code: "rolling_open", details: { setting: "withdrawal.blockedWhileRolling", remaining: "5000" } },
    });
    expect(await balance(brand, p.id)).toMatchObject({ cash: "5000", locked: "0" });
    // kept under the transfer's id, as a withdrawal's refusal is
    expect(await wallet(brand).transfer(take)).toMatchObject({ ok: false, error: { code: "rolling_open" } });

    // once bets meet the requirement the player's cash may go to the agent
    const placed = await bet(brand, p.id, 5_000);
    expectOk(
      await wallet(brand).win({
        provider: "evo",
        player: p.id,
        round: `r${bets}`,
        transactionUuid: crypto.randomUUID(),
        referenceTransactionUuid: placed.transactionUuid,
        amount: 5_000,
      }),
    );
    const moved = await waitFor(
      async () => {
        const outcome = await wallet(brand).transfer({ ...take, transferId: crypto.randomUUID() });
        return outcome.ok ? outcome.value : undefined;
      },
      { what: "the transfer once the requirement is met" },
    );
    expect(moved).toMatchObject({ playerCash: "4000", agentCash: "1000" });
  });

  test("fails closed: a transfer to the agent while rolling has not answered a credit is refused for now", async () => {
    const brand = await brandWith({ rolling: TERMS, agent: { transfersFromPlayers: true } });
    const p = await w.player(brand);
    await w.node.parts.system.unhost(`rolling@${brand}`);
    try {
      await deposit(brand, p.token, 5_000);
      const take = { transferId: crypto.randomUUID(), agent: `agent-${crypto.randomUUID()}`, player: p.id, direction: "player_to_agent" as const, amount: 1_000 };
      expect(await wallet(brand).transfer(take)).toMatchObject({ ok: false, error: { code: "unavailable" } });
      expect(await balance(brand, p.id)).toMatchObject({ cash: "5000" });
    } finally {
      await w.node.parts.system.host("rolling", brand);
    }
  });

  test("a brand that turns the gate off lets withdrawals through with a requirement open", async () => {
    const brand = await brandWith({ rolling: TERMS, withdrawal: { blockedWhileRolling: false } });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    expect(await refusalOf(brand, p.token, 1_000)).toBe("accepted");
  });

  test("a brand without a multiple has no requirement: withdrawals go through at once", async () => {
    const brand = await brandWith({ timezone: "UTC" });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    expect(await refusalOf(brand, p.token, 1_000)).toBe("accepted");
  });
});

describe("bonus records", () => {
  const rollings = (brand: string, player: string) => w.node.edge.clients.rolling(brand).playerRollings({ player, limit: 50 }).then(expectOk);
  const grant = async (brand: string, player: string, amount: number, rollingMultiple?: number) =>
    expectOk(await wallet(brand).bonusGrant({ grantId: crypto.randomUUID(), player, amount, ...(rollingMultiple === undefined ? {} : { rollingMultiple }) }));
  const kinds = async (brand: string, player: string, account: "cash" | "bonus") =>
    expectOk(await wallet(brand).transactions({ owner: { kind: "player", id: player }, account, limit: 50 })).items.map((t) => `${t.kind} ${t.amount}`);
  /** rolling's events of a brand as its shard outbox wrote them */
  const outbox = (brand: string) =>
    w.node.parts.shards
      .acquire(brand)
      .sqlite.query<{ event_id: string; type: string; payload: string; at: number }, []>("select event_id, type, payload, at from outbox where type like 'rolling.%' order by seq")
      .all();

  test("a completed bonus record converts its bonus to cash, once however often its event comes", async () => {
    const brand = await brandWith({ rolling: { ...TERMS, depositMultiple: 0 } });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    await grant(brand, p.id, 1_000, 2);
    await waitFor(async () => (await rollings(brand, p.id)).items.some((r) => r.sourceKind === "bonus" && r.target === "2000"), { what: "the bonus record" });
    await waitFor(async () => (await refusalOf(brand, p.token, 100)) === "409 rolling_open", { what: "the wallet to learn of the record" });
    await bet(brand, p.id, 1_500);
    await bet(brand, p.id, 500, "sports");
    await waitFor(async () => (await balance(brand, p.id)).bonus === "0", { what: "the bonus to convert" });
    expect(await balance(brand, p.id)).toMatchObject({ cash: "4000", bonus: "0" });

    // with another bonus in the account, the same completion again (a replay, and under a new id) converts nothing more
    await grant(brand, p.id, 700, 5);
    const completed = outbox(brand).find((e) => e.type === "rolling.completed" && JSON.parse(e.payload).sourceKind === "bonus")!;
    const again = { id: completed.event_id, type: completed.type, brand, at: completed.at, payload: JSON.parse(completed.payload) };
    await w.node.parts.events.publish([again, { ...again, id: crypto.randomUUID() }]);
    // a bonus without wagering converts at once; its events come after those on the brand's stream
    await grant(brand, p.id, 300, 0);
    await waitFor(async () => (await kinds(brand, p.id, "bonus")).includes("bonus_conversion -300"), { what: "the bonus without wagering to convert" });
    expect(await kinds(brand, p.id, "bonus")).toEqual(["bonus_conversion -300", "bonus_grant 300", "bonus_grant 700", "bonus_conversion -1000", "bonus_grant 1000"]);
    expect(await balance(brand, p.id)).toMatchObject({ cash: "4300", bonus: "700" });
  });

  test("expiry by the timer's clock forfeits a bonus's remainder once and leaves deposit cash alone", async () => {
    const brand = await brandWith({ rolling: { ...TERMS, expiryDays: 1 } });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    await grant(brand, p.id, 1_000);
    await waitFor(async () => (await rollings(brand, p.id)).summary.open === 2, { what: "both records" });
    await bet(brand, p.id, 1_000);
    await waitFor(async () => (await rollings(brand, p.id)).summary.progress === "1000", { what: "the bet to count" });
    const at = Date.now() + 2 * 86_400_000;
    await w.node.parts.system.fireTimer("rolling", "sweep", at);
    await waitFor(async () => (await balance(brand, p.id)).bonus === "0", { what: "the bonus to be forfeited" });
    await w.node.parts.system.fireTimer("rolling", "sweep", at + 60_000);
    expect(await balance(brand, p.id)).toMatchObject({ cash: "4000", bonus: "0" });
    const mine = await rollings(brand, p.id);
    expect(mine.items.map((r) => [r.sourceKind, r.status, r.progress, r.closedAt])).toEqual([
      ["bonus", "expired", "0", at],
      ["deposit", "expired", "1000", at],
    ]);
    expect(await kinds(brand, p.id, "bonus")).toEqual(["bonus_forfeit -1000", "bonus_grant 1000"]);
    expect(await refusalOf(brand, p.token, 100)).toBe("accepted");
  });

  test("staff cancel a bonus record: its bonus is forfeited, the cancel audited with the change", async () => {
    const brand = await brandWith({ rolling: TERMS });
    const p = await w.player(brand);
    await grant(brand, p.id, 400);
    const [record] = await waitFor(async () => (await rollings(brand, p.id)).items.filter((r) => r.status === "open").at(0) && (await rollings(brand, p.id)).items, {
      what: "the bonus record",
    });
    const by = { staffId: "staff-9", username: "lee", ip: "10.0.0.9" };
    const refused = await w.node.edge.clients.rolling(brand).cancel({ rollingId: "no-such", reason: "typo", by });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    expectOk(await w.node.edge.clients.rolling(brand).cancel({ rollingId: record!.id, reason: "bonus abuse", by }));
    const rows = await w.audited(brand, "rolling.cancel", `rolling:${record!.id}`);
    expect(rows.filter((r) => r.action === "rolling.cancel")).toHaveLength(1);
    expect(rows.find((r) => r.action === "rolling.cancel")).toMatchObject({
      username: "lee",
      staff_id: "staff-9",
      before: { status: "open" },
      after: { status: "cancelled", reason: "bonus abuse" },
    });
    await waitFor(async () => (await balance(brand, p.id)).bonus === "0", { what: "the bonus to be forfeited" });
    expect(await kinds(brand, p.id, "bonus")).toEqual(["bonus_forfeit -400", "bonus_grant 400"]);
  });
});

describe("the wallet's projection of rolling's events", () => {
  test("it keeps the newest version, a close is final, and a record announced completed never opens", async () => {
    const brand = await brandWith({ timezone: "UTC" });
    const p = await w.player(brand);
    await deposit(brand, p.token, 5_000);
    const client = wallet(brand);
    const source = Bun.randomUUIDv7();
    const event = (status: "open" | "completed", version: number, remaining: string) => ({
      rollingId: "r-1",
      player: p.id,
      sourceKind: "deposit" as const,
      source,
      bonusAmount: "0",
      remaining,
      status,
      version,
    });
    const send = async (type: "rolling.created" | "rolling.progressed" | "rolling.completed", body: ReturnType<typeof event>) =>
      expectOk(await client[type](body, { id: crypto.randomUUID() }));
    const attempt = async () => {
      const res = await client.withdrawalRequest({ requestId: crypto.randomUUID(), player: p.id, amount: 1 });
      return res.ok ? "accepted" : `${res.error.code} ${(res.error.details as { remaining?: string } | undefined)?.remaining ?? ""}`.trim();
    };

    await send("rolling.created", event("completed", 2, "0"));
    expect(await attempt()).toBe("accepted");

    const other = { ...event("open", 1, "900"), source: Bun.randomUUIDv7(), rollingId: "r-2" };
    await send("rolling.created", other);
    expect(await attempt()).toBe("rolling_open 900");
    await send("rolling.progressed", { ...other, version: 3, remaining: "400" });
    await send("rolling.created", other);
    expect(await attempt()).toBe("rolling_open 400");
    await send("rolling.completed", { ...other, status: "completed", version: 4, remaining: "0" });
    await send("rolling.progressed", { ...other, version: 3, remaining: "400" });
    await send("rolling.created", other);
    expect(await attempt()).toBe("accepted");
  });
});
