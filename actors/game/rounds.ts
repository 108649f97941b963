import type { Database } from "bun:sqlite";
import type { ProviderMoneyEvent, RoundView } from "./messages.ts";

export type RoundEntryKind = "bet" | "win" | "rollback";

type RoundRow = {
  rowid: bigint;
  provider_code: string;
  round_id: string;
  player_id: string;
  game_code: string;
  status: "open" | "closed";
  bet_total: bigint;
  win_total: bigint;
  refund_total: bigint;
  opened_at: bigint;
  updated_at: bigint;
  closed_at: bigint | null;
};
type EntryRow = { kind: RoundEntryKind; transaction_uuid: string; transaction_id: string; amount: bigint; at: bigint };

/** `cursor` is a row number that fits int64 (the protocol checks it) */
export type RoundQuery = { player?: string; provider?: string; status?: "open" | "closed"; cursor?: string; limit: number };

const ROUND_COLUMNS = "rowid, provider_code, round_id, player_id, game_code, status, bet_total, win_total, refund_total, opened_at, updated_at, closed_at";

/**
 * Rounds as support and staff see them, projected from the wallet's provider events: a bet
 * opens (or reopens) its round; a win closes it unless the batch dialect said the round goes
 * on (a batch bet may also close it); a rollback that refunds every bet of a round without
 * wins closes it.
 */
export class RoundBook {
  private insertEntry;
  private upsertRound;
  private closeRound;
  private roundOf;
  private entriesOf;

  constructor(private sqlite: Database) {
    this.insertEntry = sqlite.query(
      `insert or ignore into game_round_entries (event_id, provider_code, round_id, kind, transaction_uuid, transaction_id, amount, at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertRound = sqlite.query(
      `insert into game_rounds (provider_code, round_id, player_id, game_code, status, bet_total, win_total, refund_total, opened_at, updated_at)
       values (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?8)
       on conflict (provider_code, round_id) do update set
         bet_total = bet_total + excluded.bet_total, win_total = win_total + excluded.win_total,
         refund_total = refund_total + excluded.refund_total, updated_at = excluded.updated_at,
         status = case when excluded.bet_total > 0 then 'open' else status end,
         closed_at = case when excluded.bet_total > 0 then null else closed_at end`,
    );
    this.closeRound = sqlite.query("update game_rounds set status = 'closed', closed_at = ?3 where provider_code = ?1 and round_id = ?2 and status = 'open'");
    this.roundOf = sqlite.query<RoundRow, [string, string]>(`select ${ROUND_COLUMNS} from game_rounds where provider_code = ? and round_id = ?`).safeIntegers(true);
    this.entriesOf = sqlite
      .query<EntryRow, [string, string]>(
        "select kind, transaction_uuid, transaction_id, amount, at from game_round_entries where provider_code = ? and round_id = ? order by at, rowid",
      )
      .safeIntegers(true);
  }

  /** Apply one wallet event; an event seen before changes nothing. */
  apply(eventId: string, kind: RoundEntryKind, e: ProviderMoneyEvent, now: number): void {
    const amount = BigInt(e.amount);
    const uuid = e.idempotencyKey.slice(`p:${e.provider}:`.length);
    const inserted = this.insertEntry.run(eventId, e.provider, e.round, kind, uuid, e.transactionId, amount, now);
    if (inserted.changes === 0) return;
    const delta = { bet: kind === "bet" ? amount : 0n, win: kind === "win" ? amount : 0n, refund: kind === "rollback" ? amount : 0n };
    this.upsertRound.run(e.provider, e.round, e.player, e.gameCode ?? "", delta.bet, delta.win, delta.refund, now);
    if (this.closes(kind, e)) this.closeRound.run(e.provider, e.round, now);
  }

  /** Newest first (the order rounds opened in); `cursor` is the rowid the previous page ended at. */
  list(q: RoundQuery): { items: RoundView[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: (string | bigint)[] = [];
    if (q.player) where.push("player_id = ?"), params.push(q.player);
    if (q.provider) where.push("provider_code = ?"), params.push(q.provider);
    if (q.status) where.push("status = ?"), params.push(q.status);
    if (q.cursor) where.push("rowid < ?"), params.push(BigInt(q.cursor));
    const sql = `select ${ROUND_COLUMNS} from game_rounds ${where.length ? `where ${where.join(" and ")}` : ""}
                 order by rowid desc limit ${q.limit + 1}`;
    const rows = this.sqlite
      .query<RoundRow, typeof params>(sql)
      .safeIntegers(true)
      .all(...params);
    const page = rows.slice(0, q.limit);
    return { items: page.map(roundView), nextCursor: rows.length > q.limit ? String(page.at(-1)!.rowid) : null };
  }

  detail(provider: string, round: string) {
    const row = this.roundOf.get(provider, round);
    if (!row) return undefined;
    const entries = this.entriesOf.all(provider, round).map((r) => ({
      kind: r.kind,
      transactionUuid: r.transaction_uuid,
      transactionId: r.transaction_id,
      amount: r.amount.toString(),
      at: Number(r.at),
    }));
    return { ...roundView(row), entries };
  }

  private closes(kind: RoundEntryKind, e: ProviderMoneyEvent): boolean {
    if (kind !== "rollback") return e.roundFinished ?? kind === "win";
    const round = this.roundOf.get(e.provider, e.round);
    return round !== null && round.win_total === 0n && round.refund_total >= round.bet_total;
  }
}

function roundView(r: RoundRow): RoundView {
  return {
    provider: r.provider_code,
    round: r.round_id,
    player: r.player_id,
    game: r.game_code,
    status: r.status,
    betTotal: r.bet_total.toString(),
    winTotal: r.win_total.toString(),
    refundTotal: r.refund_total.toString(),
    openedAt: Number(r.opened_at),
    updatedAt: Number(r.updated_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
  };
}
