import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { rollingSystem, walletEvents as w } from "./rolling-system.ts";

/** The wagering rules of `rolling@brand`, event by event, against a real shard. */

let rs: Awaited<ReturnType<typeof rollingSystem>>;
beforeAll(async () => {
  rs = await rollingSystem();
});
afterAll(() => rs[Symbol.asyncDispose]());

const STAFF = { staffId: "staff-1", username: "kim", ip: "10.0.0.7" };

async function records(brand: string, player: string) {
  return expectOk(await rs.client(brand).playerRollings({ player, limit: 50 }));
}

describe("records", () => {
  test("a deposit opens a record of amount × the brand's multiple; a bonus takes its own multiple, else the brand's", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 10_000), w.bonus("p1", 1_000, 3), w.bonus("p1", 1_000), w.deposit("p1", 333, { rollingMultiple: 1.5 })]);
    const mine = await records(brand, "p1");
    expect(mine.items.map((r) => [r.sourceKind, r.amount, r.target, r.status])).toEqual([
      ["deposit", "333", "500", "open"],
      ["bonus", "1000", "5000", "open"],
      ["bonus", "1000", "3000", "open"],
      ["deposit", "10000", "10000", "open"],
    ]);
    expect(mine.summary).toEqual({ open: 4, target: "18500", progress: "0", remaining: "18500" });
    expect(rs.published(brand).map((e) => e.type)).toEqual(["rolling.created", "rolling.created", "rolling.created", "rolling.created"]);
  });

  test("a zero target completes at once: rolling still answers with created (never open), then completed", async () => {
    const brand = await rs.addBrand({});
    await rs.deliver(brand, [w.deposit("p1", 5_000)]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ target: "0", progress: "0", status: "completed" });
    expect(rs.published(brand).map((e) => [e.type, e.payload.status, e.payload.version])).toEqual([
      ["rolling.created", "completed", 2],
      ["rolling.completed", "completed", 2],
    ]);
  });

  test("the same source twice opens one record", async () => {
    const brand = await rs.addBrand();
    const deposit = w.deposit("p1", 1_000);
    await rs.deliver(brand, [deposit, { ...deposit, id: crypto.randomUUID() }]);
    expect((await records(brand, "p1")).items).toHaveLength(1);
  });
});

describe("progress", () => {
  test("stake × the category's rate, rounded down; unrated and unknown categories count in full", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 100_000)]);
    await rs.deliver(brand, [w.bet("p1", 1_000, "slots"), w.bet("p1", 1_005, "live_casino"), w.bet("p1", 7, "table"), w.bet("p1", 10, "sports"), w.bet("p1", 20, null)]);
    // 1000 + 100 (1005 × 0.1 rounded down) + 3 (7 × 0.5) + 10 + 20
    expect((await records(brand, "p1")).items[0]).toMatchObject({ progress: "1133", remaining: "98867", status: "open" });
  });

  test("oldest record first, the overflow carried to the next; a record completes once", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 1_000), w.deposit("p1", 2_000)]);
    await rs.deliver(brand, [w.bet("p1", 1_500)]);
    let mine = (await records(brand, "p1")).items;
    expect(mine.map((r) => [r.amount, r.progress, r.status])).toEqual([
      ["2000", "500", "open"],
      ["1000", "1000", "completed"],
    ]);
    await rs.deliver(brand, [w.bet("p1", 10_000)]);
    mine = (await records(brand, "p1")).items;
    expect(mine.map((r) => [r.progress, r.status])).toEqual([
      ["2000", "completed"],
      ["1000", "completed"],
    ]);
    const completions = rs.published(brand).filter((e) => e.type === "rolling.completed");
    expect(completions.map((e) => e.payload.amount).sort()).toEqual(["1000", "2000"]);
  });

  test("only records created before the bet count it, whatever order the events arrive in", async () => {
    const brand = await rs.addBrand();
    const early = w.bet("p1", 300);
    const deposit = w.deposit("p1", 1_000);
    const late = w.bet("p1", 200);
    await rs.deliver(brand, [deposit, late, early]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ progress: "200" });
  });

  test("progress is reported at most once a minute per record: at the end of a batch after a quiet minute, else by the minute's sweep", async () => {
    let now = Date.now();
    await using clocked = await rollingSystem({ clock: () => now });
    const brand = await clocked.addBrand();
    const progressed = () =>
      clocked
        .published(brand)
        .filter((e) => e.type === "rolling.progressed")
        .map((e) => [e.payload.progress, e.payload.version]);
    await clocked.deliver(brand, [w.deposit("p1", 100_000)]);
    await clocked.deliver(brand, [w.bet("p1", 100)]);
    expect(progressed()).toEqual([]);
    now += 60_000;
    await clocked.deliver(brand, [w.bet("p1", 200), w.bet("p1", 300)]);
    expect(progressed()).toEqual([["600", 4]]);
    await clocked.deliver(brand, [w.bet("p1", 400)]);
    await clocked.system.fireTimer("rolling", "sweep", now + 1_000);
    await clocked.system.fireTimer("rolling", "sweep", now + 61_000);
    expect(progressed()).toEqual([
      ["600", 4],
      ["1000", 5],
    ]);
  });
});

describe("rollbacks", () => {
  test("a rolled-back bet's contribution is reversed from every record it counted toward", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 1_000), w.deposit("p1", 5_000)]);
    const bet = w.bet("p1", 1_500);
    await rs.deliver(brand, [bet, w.bet("p1", 100)]);
    await rs.deliver(brand, [w.rollback(bet)]);
    expect((await records(brand, "p1")).items.map((r) => [r.progress, r.status])).toEqual([
      ["100", "open"],
      ["0", "completed"],
    ]);
  });

  test("after completion a rollback lowers progress and does not reopen the record", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 1_000)]);
    const bet = w.bet("p1", 1_000);
    await rs.deliver(brand, [bet]);
    const rollback = w.rollback(bet);
    await rs.deliver(brand, [rollback, { ...rollback, id: crypto.randomUUID() }]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ progress: "0", status: "completed" });
    await rs.system.fireTimer("rolling", "sweep");
    expect(rs.published(brand).map((e) => [e.type, e.payload.progress, e.payload.status])).toEqual([
      ["rolling.created", "0", "open"],
      ["rolling.completed", "1000", "completed"],
      ["rolling.progressed", "0", "completed"],
    ]);
  });

  test("a rollback that arrives before its bet leaves a tombstone: the bet counts for nothing", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 1_000)]);
    const bet = w.bet("p1", 400);
    await rs.deliver(brand, [w.rollback(bet)]);
    await rs.deliver(brand, [bet, w.bet("p1", 50)]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ progress: "50" });
  });
});

describe("cancel and expiry", () => {
  test("staff cancel an open record with a reason; a closed one is refused", async () => {
    const brand = await rs.addBrand();
    await rs.deliver(brand, [w.deposit("p1", 1_000)]);
    const [record] = (await records(brand, "p1")).items;
    const cancelled = expectOk(await rs.client(brand).cancel({ rollingId: record!.id, reason: "requested by the player", by: STAFF }));
    expect(cancelled).toMatchObject({ status: "cancelled", closedBy: "staff-1", closeReason: "requested by the player" });
    const again = await rs.client(brand).cancel({ rollingId: record!.id, reason: "again", by: STAFF });
    expect(again).toMatchObject({ ok: false, error: { code: "invalid_state" } });
    expect(await rs.client(brand).cancel({ rollingId: "no-such-record", reason: "x", by: STAFF })).toMatchObject({ ok: false, error: { code: "not_found" } });
    const types = rs.published(brand).map((e) => e.type);
    expect(types).toEqual(["rolling.created", "rolling.cancelled", "audit.recorded"]);
    const audit: unknown = rs.published(brand).at(-1)!.payload;
    expect(audit).toMatchObject({
      action: "rolling.cancel",
      target: `rolling:${record!.id}`,
      before: { status: "open" },
      after: { status: "cancelled", reason: "requested by the player" },
    });
  });

  test("the minute's sweep expires records past their deadline at the time it fires, once", async () => {
    const brand = await rs.addBrand({ rolling: { depositMultiple: 1, expiryDays: 2 } });
    const start = Date.now();
    await rs.deliver(brand, [w.deposit("p1", 1_000)]);
    await rs.system.fireTimer("rolling", "sweep", start + 86_400_000);
    await rs.deliver(brand, [w.bet("p1", 10)]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ status: "open", progress: "10" });
    const at = start + 3 * 86_400_000;
    await rs.system.fireTimer("rolling", "sweep", at);
    await rs.system.fireTimer("rolling", "sweep", at + 60_000);
    await rs.deliver(brand, [w.bet("p1", 10)]);
    expect((await records(brand, "p1")).items[0]).toMatchObject({ status: "expired", progress: "10", closedAt: at });
    expect(rs.published(brand).filter((e) => e.type === "rolling.expired")).toHaveLength(1);
  });
});
