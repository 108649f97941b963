import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type CreditLine, SettlementBook, type SettlementTurn, SettlementViews } from "../../actors/settlement/index.ts";
import { openShard, type Shard } from "../../shards/index.ts";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import { tempDir } from "../support/services.ts";

/**
 * The settlement steps on a real shard (the agent domain's tables): each step changes what it
 * must once, a step taken again changes nothing, unanswered lines are asked again with a
 * doubling wait and reported past the bound, and staff can ask for stalled lines again.
 */

const policy = { firstRetryMs: 1_000, maxAttempts: 3 };
const opened: Shard[] = [];
afterAll(() => {
  for (const shard of opened) shard.sqlite.close();
});
let shard: Shard;
let book: SettlementBook;
let views: SettlementViews;
/** each test its own shard: the timer's step looks at every line */
beforeEach(() => {
  shard = openShard(tempDir("book"), "book");
  opened.push(shard);
  book = new SettlementBook(shard.sqlite, "agent", policy);
  views = new SettlementViews(shard.sqlite, "agent");
});

function turnAt(now: number): SettlementTurn & { events: ShardEvent[] } {
  const events: ShardEvent[] = [];
  return { now, events, emit: (e) => void events.push(e) };
}
/** steps run in a transaction, as the owner's turn runs them */
const step = <T>(run: () => T) => shard.sqlite.transaction(run)();

let n = 0;
const period = () => {
  n += 1;
  const day = `2030-01-${String(n).padStart(2, "0")}`;
  return { key: day, from: day, to: day };
};
const line = (id: string, amount: bigint): CreditLine => ({
  lineId: `t:${id}`,
  kind: "rolling",
  owner: { kind: "agent", id: `agent-${id}` },
  account: "cash",
  amount,
  detail: { why: id },
});

describe("a settlement's steps", () => {
  test("open stores the lines with one credit request each, once per period; a period with nothing to pay settles at once", () => {
    const p = period();
    const turn = turnAt(1_000);
    const opened = step(() => book.open(turn, { program: "commission", period: p, lines: [line(`${p.key}-a`, 10n), line(`${p.key}-b`, 0n), line(`${p.key}-c`, 5n)], detail: {} }));
    expect(opened).toEqual({ id: `commission:${p.key}`, created: true });
    expect(turn.events.map((e) => [e.type, (e.payload as { lineId: string }).lineId, e.eventId])).toEqual([
      ["settlement.credit_requested", `t:${p.key}-a`, `t:${p.key}-a#1`],
      ["settlement.credit_requested", `t:${p.key}-c`, `t:${p.key}-c#1`],
    ]);
    const again = turnAt(2_000);
    expect(step(() => book.open(again, { program: "commission", period: p, lines: [line(`${p.key}-x`, 99n)], detail: {} }))).toEqual({ id: opened.id, created: false });
    expect(again.events).toEqual([]);
    expect(views.get(opened.id)).toMatchObject({ status: "crediting", lines: 2, total: "15", paidTotal: "0" });

    const empty = period();
    const quiet = turnAt(1_000);
    step(() => book.open(quiet, { program: "commission", period: empty, lines: [line("zero", 0n)], detail: {} }));
    expect(views.get(`commission:${empty.key}`)).toMatchObject({ status: "settled", lines: 0 });
    expect(quiet.events.map((e) => e.type)).toEqual(["agent.settlement_completed"]);
  });

  test("credits mark their lines once; the last one settles the settlement and says so", () => {
    const p = period();
    const id = step(() => book.open(turnAt(0), { program: "commission", period: p, lines: [line(`${p.key}-a`, 7n), line(`${p.key}-b`, 3n)], detail: {} })).id;
    const news = (which: string, amount: string) => ({ lineId: `t:${p.key}-${which}`, source: "agent", settlementId: id, transactionId: `tx-${which}`, amount });
    const t = turnAt(5);
    expect(step(() => book.credited(t, news("a", "7")))).toBe(true);
    expect(step(() => book.credited(t, news("a", "7")))).toBe(false);
    expect(views.get(id)).toMatchObject({ status: "crediting", paidTotal: "7" });
    expect(step(() => book.credited(t, news("b", "3")))).toBe(true);
    expect(views.get(id)).toMatchObject({ status: "settled", paidTotal: "10", settledAt: 5 });
    expect(t.events.map((e) => e.type)).toEqual(["agent.settlement_completed"]);
    expect(views.lineList({ settlementId: id, limit: 10 }).items.map((l) => [l.status, l.transactionId])).toEqual([
      ["paid", "tx-b"],
      ["paid", "tx-a"],
    ]);
  });

  test("unanswered lines are asked again after a doubling wait, then reported stalled; staff ask again and a late credit still settles", () => {
    const p = period();
    const id = step(() => book.open(turnAt(0), { program: "commission", period: p, lines: [line(`${p.key}-a`, 4n)], detail: {} })).id;
    const asks = (now: number) => {
      const t = turnAt(now);
      const done = step(() => book.retryDue(t));
      return { ...done, types: t.events.map((e) => `${e.type}${e.eventId ? ` ${e.eventId}` : ""}`) };
    };
    expect(asks(999)).toMatchObject({ asked: 0, stalled: 0 });
    expect(asks(1_000)).toEqual({ asked: 1, stalled: 0, types: [`settlement.credit_requested t:${p.key}-a#2`] });
    expect(asks(1_000 + 1_999)).toMatchObject({ asked: 0 });
    expect(asks(1_000 + 2_000)).toEqual({ asked: 1, stalled: 0, types: [`settlement.credit_requested t:${p.key}-a#3`] });
    expect(asks(3_000 + 3_999)).toMatchObject({ asked: 0, stalled: 0 });
    const reported = asks(3_000 + 4_000);
    expect(reported).toMatchObject({ asked: 0, stalled: 1 });
    expect(reported.types).toEqual(["agent.settlement_line_stalled"]);
    expect(views.get(id)).toMatchObject({ status: "attention" });
    expect(asks(200_000)).toMatchObject({ asked: 0, stalled: 0 });

    const staff = turnAt(300_000);
    expect(step(() => book.requeue(staff, id))).toBe(1);
    expect(staff.events.map((e) => e.eventId)).toEqual([`t:${p.key}-a#4`]);
    expect(views.get(id)).toMatchObject({ status: "crediting" });
    step(() => book.credited(turnAt(300_001), { lineId: `t:${p.key}-a`, source: "agent", settlementId: id, transactionId: "tx", amount: "4" }));
    expect(views.get(id)).toMatchObject({ status: "settled", paidTotal: "4" });
  });

  test("a refusal marks the line for staff and is never asked again by the timer", () => {
    const p = period();
    const id = step(() => book.open(turnAt(0), { program: "commission", period: p, lines: [line(`${p.key}-a`, 4n)], detail: {} })).id;
    expect(step(() => book.refused({ lineId: `t:${p.key}-a`, source: "agent", settlementId: id, code: "amount_out_of_range", message: "too much" }))).toBe(true);
    expect(views.get(id)).toMatchObject({ status: "attention" });
    expect(views.lineList({ settlementId: id, limit: 5 }).items[0]).toMatchObject({ status: "refused", error: "amount_out_of_range: too much" });
    const t = turnAt(10_000_000);
    expect(step(() => book.retryDue(t))).toEqual({ asked: 0, stalled: 0 });
  });

  test("an owner's lines read by period", () => {
    const owner = { kind: "agent" as const, id: `agent-${crypto.randomUUID()}` };
    for (const day of ["2031-03-01", "2031-03-02", "2031-03-03"]) {
      step(() => book.open(turnAt(0), { program: "commission", period: { key: day, from: day, to: day }, lines: [{ ...line(`${day}-o`, 1n), owner }], detail: {} }));
    }
    expect(views.lineList({ owner, limit: 10 }).items.map((l) => l.period)).toEqual(["2031-03-03", "2031-03-02", "2031-03-01"]);
    expect(views.lineList({ owner, from: "2031-03-02", to: "2031-03-02", limit: 10 }).items.map((l) => l.period)).toEqual(["2031-03-02"]);
    const first = views.lineList({ owner, limit: 2 });
    expect(views.lineList({ owner, limit: 2, cursor: first.nextCursor! }).items.map((l) => l.period)).toEqual(["2031-03-01"]);
  });
});
