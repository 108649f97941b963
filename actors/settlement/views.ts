import type { Database } from "bun:sqlite";
import { z } from "zod";
import { pageOf } from "../runtime/fields.ts";
import type { CreditOwner } from "./events.ts";

/** How settlements and their lines read, for staff, for the owners of the lines and for the owner domain's protocol. */

export const settlementView = z
  .object({
    id: z.string(),
    program: z.string(),
    period: z.string(),
    from: z.string().describe("first local day of the period"),
    to: z.string().describe("last local day of the period"),
    status: z.enum(["crediting", "settled", "attention"]).describe("attention: a line was refused or got no answer after its retries"),
    lines: z.number().int(),
    total: z.string().describe("minor units"),
    paidTotal: z.string().describe("minor units"),
    detail: z.unknown(),
    createdAt: z.number(),
    settledAt: z.number().nullable(),
  })
  .meta({ id: "Settlement" });
export type SettlementView = z.infer<typeof settlementView>;

export const settlementLineView = z
  .object({
    lineId: z.string().describe("the wallet's idempotency key for this credit"),
    settlementId: z.string(),
    period: z.string(),
    kind: z.string(),
    owner: z.object({ kind: z.enum(["player", "agent"]), id: z.string() }),
    account: z.enum(["cash", "bonus"]),
    amount: z.string().describe("minor units"),
    status: z.enum(["requested", "paid", "refused", "stalled"]),
    attempts: z.number().int(),
    requestedAt: z.number(),
    paidAt: z.number().nullable(),
    transactionId: z.string().nullable(),
    error: z.string().nullable(),
    detail: z.unknown(),
  })
  .meta({ id: "SettlementLine" });
export type SettlementLineView = z.infer<typeof settlementLineView>;

export const settlementPage = pageOf(settlementView);
export const settlementLinePage = pageOf(settlementLineView);
type Page<T> = { items: T[]; nextCursor: string | null };
type PageQuery = { cursor?: string; limit: number };

type SettlementRow = {
  seq: bigint;
  id: string;
  program: string;
  period: string;
  from_day: string;
  to_day: string;
  status: SettlementView["status"];
  line_count: bigint;
  total: bigint;
  paid_total: bigint;
  detail: string;
  created_at: bigint;
  settled_at: bigint | null;
};
type LineRow = {
  seq: bigint;
  line_id: string;
  settlement_id: string;
  period: string;
  kind: string;
  owner_kind: "player" | "agent";
  owner_id: string;
  account: "cash" | "bonus";
  amount: bigint;
  status: SettlementLineView["status"];
  attempts: bigint;
  requested_at: bigint;
  paid_at: bigint | null;
  transaction_id: string | null;
  error: string | null;
  detail: string;
};

/** row numbers are bound as integers: SQLite orders any text after every integer */
const before = (cursor: string | undefined) => BigInt(cursor ?? "9223372036854775807");

/** Reads of one domain's settlement tables (`settlementTables(domain)`), newest first, by cursor. */
export class SettlementViews {
  private readonly settlements: string;
  private readonly lines: string;

  constructor(
    private readonly sqlite: Database,
    domain: string,
  ) {
    this.settlements = `${domain}_settlements`;
    this.lines = `${domain}_settlement_lines`;
  }

  get(id: string): SettlementView | null {
    const row = this.sqlite.query<SettlementRow, [string]>(`select rowid as seq, * from ${this.settlements} where id = ?`).safeIntegers(true).get(id);
    return row ? settlementOf(row) : null;
  }

  list(query: PageQuery & { program?: string; status?: SettlementView["status"] }): Page<SettlementView> {
    const rows = this.sqlite
      .query<SettlementRow, [bigint, string | null, string | null, number]>(
        `select rowid as seq, * from ${this.settlements}
         where rowid < ?1 and (?2 is null or program = ?2) and (?3 is null or status = ?3)
         order by rowid desc limit ?4`,
      )
      .safeIntegers(true)
      .all(before(query.cursor), query.program ?? null, query.status ?? null, query.limit + 1);
    return paged(rows, query.limit, settlementOf);
  }

  /** A settlement's lines, or one owner's lines of every settlement (with `from`/`to`, of the periods that overlap those days). */
  lineList(query: PageQuery & { settlementId?: string; owner?: CreditOwner; from?: string; to?: string }): Page<SettlementLineView> {
    const rows = this.sqlite
      .query<LineRow, [bigint, string | null, string | null, string | null, string | null, string | null, number]>(
        `select l.rowid as seq, l.*, s.period from ${this.lines} l join ${this.settlements} s on s.id = l.settlement_id
         where l.rowid < ?1 and (?2 is null or l.settlement_id = ?2) and (?3 is null or (l.owner_kind = ?3 and l.owner_id = ?4))
           and (?5 is null or s.to_day >= ?5) and (?6 is null or s.from_day <= ?6)
         order by l.rowid desc limit ?7`,
      )
      .safeIntegers(true)
      .all(before(query.cursor), query.settlementId ?? null, query.owner?.kind ?? null, query.owner?.id ?? null, query.from ?? null, query.to ?? null, query.limit + 1);
    return paged(rows, query.limit, lineOf);
  }
}

function paged<R extends { seq: bigint }, T>(rows: R[], limit: number, view: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  return { items: page.map(view), nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null };
}

function settlementOf(r: SettlementRow): SettlementView {
  return {
    id: r.id,
    program: r.program,
    period: r.period,
    from: r.from_day,
    to: r.to_day,
    status: r.status,
    lines: Number(r.line_count),
    total: r.total.toString(),
    paidTotal: r.paid_total.toString(),
    detail: JSON.parse(r.detail),
    createdAt: Number(r.created_at),
    settledAt: r.settled_at === null ? null : Number(r.settled_at),
  };
}

function lineOf(r: LineRow): SettlementLineView {
  return {
    lineId: r.line_id,
    settlementId: r.settlement_id,
    period: r.period,
    kind: r.kind,
    owner: { kind: r.owner_kind, id: r.owner_id },
    account: r.account,
    amount: r.amount.toString(),
    status: r.status,
    attempts: Number(r.attempts),
    requestedAt: Number(r.requested_at),
    paidAt: r.paid_at === null ? null : Number(r.paid_at),
    transactionId: r.transaction_id,
    error: r.error,
    detail: JSON.parse(r.detail),
  };
}
