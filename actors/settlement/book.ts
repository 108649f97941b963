import type { Database } from "bun:sqlite";
import type { ShardEvent } from "../../shards/journaled-behavior.ts";
import { type Credited, type CreditOwner, type CreditRequest, type Refused, SETTLEMENT_EVENTS, settlementReportTypes } from "./events.ts";
import type { Period } from "./periods.ts";

/** What a settlement step needs of the owner's turn: its outbox (same transaction) and its clock. */
export type SettlementTurn = { emit(event: ShardEvent): void; now: number };

/** One credit a settlement asks for: its id is the wallet's idempotency key. */
export type CreditLine = { lineId: string; kind: string; owner: CreditOwner; account: "cash" | "bonus"; amount: bigint; detail: unknown };

/** How unpaid lines are asked for again: after `firstRetryMs`, doubling, until `maxAttempts` asks; then reported. */
export type RetryPolicy = { firstRetryMs: number; maxAttempts: number };
export const DEFAULT_RETRY: RetryPolicy = { firstRetryMs: 10 * 60_000, maxAttempts: 6 };

type LineRow = {
  line_id: string;
  settlement_id: string;
  kind: string;
  owner_kind: "player" | "agent";
  owner_id: string;
  account: "cash" | "bonus";
  amount: bigint;
  status: string;
  attempts: bigint;
};

/**
 * The steps of a settlement, each one turn of the owning actor, each persisted with the
 * owner's journal and outbox in one shard transaction:
 *
 * 1. `open`: the period's lines are stored and one `settlement.credit_requested` per line goes
 *    to the outbox; a period already opened opens nothing (a settlement runs once per period).
 * 2. the wallet credits each line under its id (once, whatever is asked again) and publishes
 *    `wallet.settlement_credited` or `wallet.settlement_refused`;
 * 3. `credited` / `refused` mark the line; the last paid line settles the settlement;
 * 4. `retryDue` (a timer) asks again for lines unanswered past their retry time, doubling the
 *    wait, and reports a line past `maxAttempts` as stalled.
 *
 * A crash between any two steps leaves a state the next step resumes from; no step can pay
 * twice, because only the wallet pays and it pays a line id once.
 */
export class SettlementBook {
  private readonly settlements: string;
  private readonly lines: string;
  private readonly reports: ReturnType<typeof settlementReportTypes>;

  constructor(
    private readonly sqlite: Database,
    private readonly domain: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.settlements = `${domain}_settlements`;
    this.lines = `${domain}_settlement_lines`;
    this.reports = settlementReportTypes(domain);
  }

  /** The settlement of `program` for `period` with its lines; nothing new when it exists. */
  open(turn: SettlementTurn, input: { program: string; period: Period; lines: CreditLine[]; detail: unknown }): { id: string; created: boolean } {
    const id = `${input.program}:${input.period.key}`;
    if (this.sqlite.query(`select 1 from ${this.settlements} where id = ?`).get(id)) return { id, created: false };
    const paying = input.lines.filter((l) => l.amount > 0n);
    const total = paying.reduce((sum, l) => sum + l.amount, 0n);
    const status = paying.length === 0 ? "settled" : "crediting";
    this.sqlite
      .query(
        `insert into ${this.settlements} (id, program, period, from_day, to_day, status, line_count, total, paid_total, detail, created_at, settled_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(
        id,
        input.program,
        input.period.key,
        input.period.from,
        input.period.to,
        status,
        paying.length,
        total,
        json(input.detail),
        turn.now,
        status === "settled" ? turn.now : null,
      );
    const insert = this.sqlite.query(
      `insert into ${this.lines} (line_id, settlement_id, kind, owner_kind, owner_id, account, amount, detail, status, attempts, requested_at, retry_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'requested', 1, ?, ?)`,
    );
    for (const line of paying) {
      insert.run(line.lineId, id, line.kind, line.owner.kind, line.owner.id, line.account, line.amount, json(line.detail), turn.now, turn.now + this.policy.firstRetryMs);
      this.ask(turn, {
        line_id: line.lineId,
        settlement_id: id,
        kind: line.kind,
        owner_kind: line.owner.kind,
        owner_id: line.owner.id,
        account: line.account,
        amount: line.amount,
        status: "requested",
        attempts: 1n,
      });
    }
    if (status === "settled") this.completed(turn, id);
    return { id, created: true };
  }

  /** The wallet paid a line: it is paid (again news of it changes nothing); the last one settles its settlement. */
  credited(turn: SettlementTurn, news: Credited): boolean {
    const line = this.line(news.lineId);
    if (!line || line.status === "paid") return false;
    this.sqlite.query(`update ${this.lines} set status = 'paid', paid_at = ?, transaction_id = ?, error = null where line_id = ?`).run(turn.now, news.transactionId, news.lineId);
    // every line pays more than zero and is marked paid once, so the paid total reaches the
    // total exactly when the last line is paid (no count over the lines per answer)
    const after = this.sqlite
      .query<{ open: bigint }, [bigint, string]>(`update ${this.settlements} set paid_total = paid_total + ? where id = ? returning total - paid_total as open`)
      .safeIntegers(true)
      .get(line.amount, line.settlement_id)!;
    if (after.open === 0n) {
      this.sqlite.query(`update ${this.settlements} set status = 'settled', settled_at = ? where id = ?`).run(turn.now, line.settlement_id);
      this.completed(turn, line.settlement_id);
    }
    return true;
  }

  /** The wallet refused a line: it needs staff (the refusal stays under the line's id). */
  refused(news: Refused): boolean {
    const line = this.line(news.lineId);
    if (!line || line.status === "paid" || line.status === "refused") return false;
    this.sqlite.query(`update ${this.lines} set status = 'refused', error = ? where line_id = ?`).run(`${news.code}: ${news.message}`, news.lineId);
    this.sqlite.query(`update ${this.settlements} set status = 'attention' where id = ?`).run(line.settlement_id);
    return true;
  }

  /** Ask again for every line unanswered past its retry time; past `maxAttempts`, report it stalled. */
  retryDue(turn: SettlementTurn): { asked: number; stalled: number } {
    const due = this.sqlite
      .query<LineRow, [number]>(`select * from ${this.lines} where status = 'requested' and retry_at <= ? order by retry_at limit 500`)
      .safeIntegers(true)
      .all(turn.now);
    let asked = 0;
    for (const line of due) {
      const attempts = Number(line.attempts);
      if (attempts >= this.policy.maxAttempts) {
        this.stall(turn, line);
        continue;
      }
      const retryAt = turn.now + this.policy.firstRetryMs * 2 ** attempts;
      this.sqlite.query(`update ${this.lines} set attempts = ?, retry_at = ? where line_id = ?`).run(attempts + 1, retryAt, line.line_id);
      this.ask(turn, { ...line, attempts: BigInt(attempts + 1) });
      asked += 1;
    }
    return { asked, stalled: due.length - asked };
  }

  /** Staff ask again for a settlement's stalled lines, with a fresh allowance of attempts. */
  requeue(turn: SettlementTurn, settlementId: string): number {
    const stalled = this.sqlite.query<LineRow, [string]>(`select * from ${this.lines} where settlement_id = ? and status = 'stalled'`).safeIntegers(true).all(settlementId);
    for (const line of stalled) {
      const attempts = Number(line.attempts) + 1;
      this.sqlite
        .query(`update ${this.lines} set status = 'requested', attempts = ?, retry_at = ?, error = null where line_id = ?`)
        .run(attempts, turn.now + this.policy.firstRetryMs, line.line_id);
      this.ask(turn, { ...line, attempts: BigInt(attempts) });
    }
    if (stalled.length > 0) this.sqlite.query(`update ${this.settlements} set status = 'crediting' where id = ? and status = 'attention'`).run(settlementId);
    return stalled.length;
  }

  private ask(turn: SettlementTurn, line: LineRow) {
    const payload: CreditRequest = {
      lineId: line.line_id,
      source: this.domain,
      settlementId: line.settlement_id,
      kind: line.kind,
      owner: { kind: line.owner_kind, id: line.owner_id },
      account: line.account,
      amount: line.amount.toString(),
    };
    // a new id per ask: the wallet takes each ask as a message, and answers a paid line again
    turn.emit({ type: SETTLEMENT_EVENTS.creditRequested, payload, eventId: `${line.line_id}#${line.attempts}` });
  }

  private stall(turn: SettlementTurn, line: LineRow) {
    this.sqlite.query(`update ${this.lines} set status = 'stalled', error = ? where line_id = ?`).run(`no answer from the wallet after ${line.attempts} asks`, line.line_id);
    this.sqlite.query(`update ${this.settlements} set status = 'attention' where id = ?`).run(line.settlement_id);
    turn.emit({
      type: this.reports.lineStalled,
      payload: {
        settlementId: line.settlement_id,
        lineId: line.line_id,
        owner: { kind: line.owner_kind, id: line.owner_id },
        amount: line.amount.toString(),
        attempts: Number(line.attempts),
      },
    });
  }

  private completed(turn: SettlementTurn, id: string) {
    const s = this.sqlite
      .query<{ program: string; period: string; total: bigint; line_count: bigint }, [string]>(`select program, period, total, line_count from ${this.settlements} where id = ?`)
      .safeIntegers(true)
      .get(id)!;
    turn.emit({ type: this.reports.completed, payload: { settlementId: id, program: s.program, period: s.period, total: s.total.toString(), lines: Number(s.line_count) } });
  }

  private line(lineId: string): LineRow | null {
    return this.sqlite.query<LineRow, [string]>(`select * from ${this.lines} where line_id = ?`).safeIntegers(true).get(lineId);
  }
}

const json = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
