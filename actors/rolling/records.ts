import type { Database } from "bun:sqlite";
import type { RollingEventPayload } from "./events.ts";
import type { RollingStatus, RollingView } from "./messages.ts";
import { fromPpm } from "./terms.ts";

/** A rolling record as the shard holds it (money as bigint). */
export type RecordRow = {
  rowid: bigint;
  id: string;
  player_id: string;
  source_kind: "deposit" | "bonus";
  source_transaction_id: string;
  amount: bigint;
  multiple_ppm: bigint;
  target: bigint;
  progress: bigint;
  status: RollingStatus;
  version: bigint;
  reported_version: bigint;
  reported_at: bigint;
  created_at: bigint;
  deadline_at: bigint | null;
  closed_at: bigint | null;
  closed_by: string | null;
  close_reason: string | null;
};

export type BetRow = { bet_key: string; player_id: string; transaction_id: string | null; shares: string; rolled_back: bigint };
/** what one bet counted toward each record: [rolling id, amount] */
export type Share = [rollingId: string, amount: bigint];

export type NewRecord = {
  id: string;
  player: string;
  sourceKind: "deposit" | "bonus";
  source: string;
  amount: bigint;
  multiplePpm: bigint;
  target: bigint;
  createdAt: number;
  deadlineAt: number | null;
};

const COLUMNS = `rowid, id, player_id, source_kind, source_transaction_id, amount, multiple_ppm, target, progress, status, version,
  reported_version, reported_at, created_at, deadline_at, closed_at, closed_by, close_reason`;

/**
 * The rolling tables of one shard: records, and the bets that counted toward them with how
 * much went where. Statements are prepared once per shard; every read answers bigints.
 */
export class RollingBook {
  private readonly statements;

  constructor(readonly sqlite: Database) {
    const q = <R>(sql: string) => sqlite.query<R, (string | bigint | number | null)[]>(sql).safeIntegers(true);
    this.statements = {
      byId: q<RecordRow>(`select ${COLUMNS} from rolling_records where id = ?`),
      bySource: q<RecordRow>(`select ${COLUMNS} from rolling_records where source_transaction_id = ?`),
      insert: q(
        `insert into rolling_records (id, player_id, source_kind, source_transaction_id, amount, multiple_ppm, target, progress, status, version, created_at, deadline_at)
         values (?, ?, ?, ?, ?, ?, ?, 0, 'open', 1, ?, ?)`,
      ),
      // in the index's order; sorted again in memory, which costs less here than ORDER BY
      openBefore: q<Pick<RecordRow, "id" | "source_transaction_id" | "target" | "progress">>(
        `select id, source_transaction_id, target, progress from rolling_records where player_id = ? and status = 'open' and source_transaction_id < ?`,
      ),
      progress: q<Pick<RecordRow, "target" | "progress">>(
        `update rolling_records set progress = max(0, progress + ?), version = version + 1 where id = ? returning target, progress`,
      ),
      close: q(`update rolling_records set status = ?, closed_at = ?, closed_by = ?, close_reason = ?, version = version + 1 where id = ? and status = 'open'`),
      reported: q(`update rolling_records set reported_version = ?, reported_at = ? where id = ?`),
      due: q<{ id: string }>(`select id from rolling_records where status = 'open' and deadline_at <= ? order by deadline_at limit ?`),
      unreported: q<{ id: string }>(`select id from rolling_records where version > reported_version limit ?`),
      bet: q<BetRow>(`select bet_key, player_id, transaction_id, shares, rolled_back from rolling_bets where bet_key = ?`),
      insertBet: q(`insert into rolling_bets (bet_key, player_id, transaction_id, stake, contribution, category, shares, rolled_back, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      rollBack: q(`update rolling_bets set rolled_back = 1 where bet_key = ?`),
      summary: q<{ open: bigint; target: bigint | null; progress: bigint | null }>(
        `select count(*) as open, sum(target) as target, sum(progress) as progress from rolling_records where player_id = ? and status = 'open'`,
      ),
    };
  }

  byId(id: string): RecordRow | null {
    return this.statements.byId.get(id);
  }

  bySource(source: string): RecordRow | null {
    return this.statements.bySource.get(source);
  }

  create(r: NewRecord): RecordRow {
    this.statements.insert.run(r.id, r.player, r.sourceKind, r.source, r.amount, r.multiplePpm, r.target, r.createdAt, r.deadlineAt);
    return this.byId(r.id)!;
  }

  /** The player's open records created before the bet `transactionId`, oldest first. */
  openBefore(player: string, transactionId: string) {
    const rows = this.statements.openBefore.all(player, transactionId);
    return rows.length < 2 ? rows : rows.sort((a, b) => (a.source_transaction_id < b.source_transaction_id ? -1 : 1));
  }

  /** Add to a record's progress (a negative delta takes back; never below 0): its target and progress after. */
  addProgress(id: string, delta: bigint) {
    return this.statements.progress.get(delta, id)!;
  }

  /** Close an open record; answers the closed row, or null when it was not open. */
  close(id: string, status: Exclude<RollingStatus, "open">, at: number, by: string | null = null, reason: string | null = null): RecordRow | null {
    const changed = this.statements.close.run(status, at, by, reason, id).changes;
    return changed === 0 ? null : this.byId(id);
  }

  /** An event now carries the record as it stands. */
  reported(record: RecordRow, at: number) {
    this.statements.reported.run(record.version, at, record.id);
  }

  /** Records changed since the last event about them. */
  unreported(limit: number): string[] {
    return this.statements.unreported.all(limit).map((r) => r.id);
  }

  /** Open records whose deadline is at or before `at`, soonest first. */
  due(at: number, limit: number): string[] {
    return this.statements.due.all(at, limit).map((r) => r.id);
  }

  bet(key: string): BetRow | null {
    return this.statements.bet.get(key);
  }

  keepBet(bet: {
    key: string;
    player: string;
    transactionId: string | null;
    stake: bigint;
    contribution: bigint;
    category: string | null;
    shares: Share[];
    rolledBack: boolean;
    at: number;
  }) {
    const shares = JSON.stringify(bet.shares.map(([id, amount]) => [id, amount.toString()]));
    this.statements.insertBet.run(bet.key, bet.player, bet.transactionId, bet.stake, bet.contribution, bet.category, shares, bet.rolledBack ? 1 : 0, bet.at);
  }

  markRolledBack(key: string) {
    this.statements.rollBack.run(key);
  }

  /** What the player's open records still need. */
  summary(player: string) {
    const row = this.statements.summary.get(player)!;
    const target = row.target ?? 0n;
    const progress = row.progress ?? 0n;
    return { open: Number(row.open), target: target.toString(), progress: progress.toString(), remaining: (target - progress).toString() };
  }

  /** Newest first; `cursor` is the rowid the previous page ended at (the protocol bounds it). */
  page(filter: { player?: string; status?: RollingStatus; cursor?: string; limit: number }): { items: RollingView[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: (string | bigint)[] = [];
    const add = (condition: string, value: string | bigint) => {
      where.push(condition);
      params.push(value);
    };
    if (filter.player !== undefined) add("player_id = ?", filter.player);
    if (filter.status !== undefined) add("status = ?", filter.status);
    if (filter.cursor !== undefined) add("rowid < ?", BigInt(filter.cursor));
    const sql = `select ${COLUMNS} from rolling_records ${where.length > 0 ? `where ${where.join(" and ")}` : ""} order by rowid desc limit ${filter.limit + 1}`;
    const rows = this.sqlite
      .query<RecordRow, typeof params>(sql)
      .safeIntegers(true)
      .all(...params);
    const items = rows.slice(0, filter.limit);
    return { items: items.map(viewOf), nextCursor: rows.length > filter.limit ? String(items.at(-1)!.rowid) : null };
  }
}

const remainingOf = (r: RecordRow) => (r.target > r.progress ? r.target - r.progress : 0n);
const nullableNumber = (v: bigint | null) => (v === null ? null : Number(v));

export function viewOf(r: RecordRow): RollingView {
  return {
    id: r.id,
    player: r.player_id,
    sourceKind: r.source_kind,
    source: r.source_transaction_id,
    amount: r.amount.toString(),
    multiple: fromPpm(r.multiple_ppm),
    target: r.target.toString(),
    progress: r.progress.toString(),
    remaining: remainingOf(r).toString(),
    status: r.status,
    createdAt: Number(r.created_at),
    deadlineAt: nullableNumber(r.deadline_at),
    closedAt: nullableNumber(r.closed_at),
    closedBy: r.closed_by,
    closeReason: r.close_reason,
  };
}

export function payloadOf(r: RecordRow): RollingEventPayload {
  return {
    rollingId: r.id,
    player: r.player_id,
    sourceKind: r.source_kind,
    source: r.source_transaction_id,
    amount: r.amount.toString(),
    bonusAmount: r.source_kind === "bonus" ? r.amount.toString() : "0",
    target: r.target.toString(),
    progress: r.progress.toString(),
    remaining: remainingOf(r).toString(),
    status: r.status,
    version: Number(r.version),
    deadlineAt: nullableNumber(r.deadline_at),
  };
}
