import { ok } from "../runtime/errors.ts";
import { creditedSchema, isResultFor, localDay, refusedSchema, SETTLEMENT_EVENTS } from "../settlement/index.ts";
import { type FedEvent, PROMOTION_EVENTS } from "./events.ts";
import { type Handler, minorUnits, type PromotionTurn, text } from "./turn.ts";

/**
 * What the promotion domain learns from other domains' events: the wallet's settled bets and
 * wins make each player's activity per local day (the brand's time zone when the bet was
 * settled) and game category; a win counts on its bet's day and a rollback takes its bet
 * back from the bet's own day and category. A rollback whose bet's day a rebate or lossback settlement already paid is kept
 * as a late rollback and reported (`promotion.late_rollback`), with what each such line paid
 * over the corrected activity at most: a settled period is never paid again nor taken back.
 */

/** where a bet or win without a game category counts */
export const OTHER_CATEGORY = "other";
const BP = 10_000n;

const categoryOf = (payload: Record<string, unknown>) => text(payload.gameCategory)?.slice(0, 50) ?? OTHER_CATEGORY;

function count(turn: PromotionTurn, player: string, day: string, category: string, column: "bets" | "wins", delta: bigint) {
  turn.sqlite
    .query(`insert into promotion_activity (player_id, day, category, ${column}) values (?, ?, ?, ?) on conflict do update set ${column} = ${column} + excluded.${column}`)
    .run(player, day, category, delta);
}

export const betSettled: Handler<FedEvent> = ({ at, payload }, turn) => {
  const player = text(payload.player);
  const key = text(payload.idempotencyKey);
  const amount = minorUnits(payload.amount);
  if (!player || !key || amount === null) return ok({ counted: false });
  const day = localDay(at, turn.settings.timezone);
  const category = categoryOf(payload);
  const kept = turn.sqlite
    .query("insert into promotion_bets (bet_key, player_id, day, category, amount, round) values (?, ?, ?, ?, ?, ?) on conflict do nothing")
    .run(key, player, day, category, amount, text(payload.round));
  if (kept.changes === 0) return ok({ counted: false });
  count(turn, player, day, category, "bets", amount);
  return ok({ counted: true });
};

/**
 * A win counts where its bet counted (the bet it names, else the latest bet of its round), so
 * a round settled across local midnight nets within one day: lossback is never paid on the
 * stake of a bet the player won. Once that day's lossback is settled, or the bet is unknown,
 * the win counts on its own day.
 */
export const win: Handler<FedEvent> = ({ at, payload }, turn) => {
  const player = text(payload.player);
  const amount = minorUnits(payload.amount);
  if (!player || amount === null || amount === 0n) return ok({ counted: false });
  const bet = betOfWin(turn, player, text(payload.reference), text(payload.round));
  const where = bet && !lossbackSettled(turn, bet.day) ? bet : { day: localDay(at, turn.settings.timezone), category: categoryOf(payload) };
  count(turn, player, where.day, where.category, "wins", amount);
  return ok({ counted: true });
};

function betOfWin(turn: PromotionTurn, player: string, reference: string | null, round: string | null): { day: string; category: string } | null {
  if (reference) {
    return turn.sqlite
      .query<{ day: string; category: string }, [string, string]>("select day, category from promotion_bets where bet_key = ? and player_id = ?")
      .get(reference, player);
  }
  if (!round) return null;
  return turn.sqlite
    .query<{ day: string; category: string }, [string, string]>("select day, category from promotion_bets where player_id = ? and round = ? order by day desc limit 1")
    .get(player, round);
}

function lossbackSettled(turn: PromotionTurn, day: string): boolean {
  return turn.sqlite.query("select 1 from promotion_settlements where program = 'lossback' and from_day <= ?1 and to_day >= ?1 limit 1").get(day) !== null;
}

type BetRow = { player_id: string; day: string; category: string; amount: bigint; rolled_back: bigint };

/**
 * A rollback names its bet by the wallet's key (`reference`); the wallet refunds only a standing
 * bet, once. One that arrives before its bet's event (events of pipelined commits may be relayed
 * out of commit order) leaves a tombstone under the bet's key, so the bet then counts for nothing.
 */
export const rollback: Handler<FedEvent> = ({ at, payload }, turn) => {
  const reference = text(payload.reference);
  if (!reference) return ok({ counted: false });
  const bet = turn.sqlite.query<BetRow, [string]>("select player_id, day, category, amount, rolled_back from promotion_bets where bet_key = ?").safeIntegers(true).get(reference);
  if (!bet) {
    const player = text(payload.player);
    if (!player) return ok({ counted: false });
    turn.sqlite
      .query("insert into promotion_bets (bet_key, player_id, day, category, amount, rolled_back, round) values (?, ?, ?, ?, 0, 1, ?) on conflict do nothing")
      .run(reference, player, localDay(at, turn.settings.timezone), categoryOf(payload), text(payload.round));
    return ok({ counted: false, tombstone: true });
  }
  if (bet.rolled_back !== 0n) return ok({ counted: false });
  turn.sqlite.query("update promotion_bets set rolled_back = 1 where bet_key = ?").run(reference);
  count(turn, bet.player_id, bet.day, bet.category, "bets", -bet.amount);
  reportIfLate(turn, reference, bet);
  return ok({ counted: true });
};

type PaidLine = { settlement_id: string; program: string; amount: bigint };

function reportIfLate(turn: PromotionTurn, betKey: string, bet: BetRow) {
  const lines = turn.sqlite
    .query<PaidLine, [string, string]>(
      `select s.id as settlement_id, s.program, coalesce(l.amount, 0) as amount from promotion_settlements s
       left join promotion_settlement_lines l on l.settlement_id = s.id and l.owner_kind = 'player' and l.owner_id = ?1
       where s.from_day <= ?2 and s.to_day >= ?2`,
    )
    .safeIntegers(true)
    .all(bet.player_id, bet.day);
  if (lines.length === 0) return;
  const { rebateRates, lossbackRate } = turn.settings.promotion;
  const overpaid: Record<string, string> = {};
  for (const line of lines) {
    const rate = BigInt(line.program === "rebate" ? (rebateRates[bet.category] ?? 0) : lossbackRate);
    const over = (bet.amount * rate) / BP;
    overpaid[line.settlement_id] = (over < line.amount ? over : line.amount).toString();
  }
  turn.sqlite
    .query("insert into promotion_late_rollbacks (bet_key, player_id, day, category, amount, overpaid, at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
    .run(betKey, bet.player_id, bet.day, bet.category, bet.amount, JSON.stringify(overpaid), turn.now);
  turn.emit({ type: PROMOTION_EVENTS.lateRollback, payload: { betKey, player: bet.player_id, day: bet.day, category: bet.category, amount: bet.amount.toString(), overpaid } });
}

/** Bets older than this many days are forgotten (a rollback comes within minutes of its bet). */
export const BET_MEMORY_DAYS = 35;

export function forgetOldBets(turn: PromotionTurn, today: string, addDays: (day: string, n: number) => string): number {
  return turn.sqlite.query("delete from promotion_bets where day < ?").run(addDays(today, -BET_MEMORY_DAYS)).changes;
}

/** The rolling domain's news of a bonus's record: the newest version is kept. */
export const rollingNews: Handler<FedEvent> = ({ payload }, turn) => {
  const source = text(payload.source);
  const rollingId = text(payload.rollingId);
  const player = text(payload.player);
  const version = typeof payload.version === "number" ? payload.version : null;
  const status = text(payload.status);
  if (payload.sourceKind !== "bonus" || !source || !rollingId || !player || version === null || !status) return ok({ kept: false });
  const kept = turn.sqlite
    .query(
      `insert into promotion_bonus_rollings (source_transaction_id, rolling_id, player_id, status, target, progress, version) values (?, ?, ?, ?, ?, ?, ?)
       on conflict do update set status = excluded.status, target = excluded.target, progress = excluded.progress, version = excluded.version
       where excluded.version > promotion_bonus_rollings.version`,
    )
    .run(source, rollingId, player, status, String(minorUnits(payload.target) ?? 0n), String(minorUnits(payload.progress) ?? 0n), version);
  return ok({ kept: kept.changes > 0 });
};

type MarkedLine = { kind: string; amount: bigint; status: string; created_at: bigint; settled_at: bigint | null };

const markedLine = (turn: PromotionTurn, lineId: string) =>
  turn.sqlite
    .query<MarkedLine, [string]>(
      "select l.kind, l.amount, s.status, s.created_at, s.settled_at from promotion_settlement_lines l join promotion_settlements s on s.id = l.settlement_id where l.line_id = ?",
    )
    .safeIntegers(true)
    .get(lineId);

/** The wallet paid one of this domain's lines: marked (the metrics follow the commit). */
export const settlementCredited: Handler<FedEvent> = ({ payload }, turn) => {
  if (!isResultFor("promotion", payload)) return ok({ marked: false });
  const news = creditedSchema.parse(payload);
  const marked = turn.book.credited(turn, news);
  const line = marked ? markedLine(turn, news.lineId) : null;
  if (line) {
    turn.observe.credited(line.kind, line.amount);
    if (line.status === "settled" && line.settled_at !== null) turn.observe.settled(line.kind, Number(line.settled_at - line.created_at) / 1000);
  }
  return ok({ marked });
};

export const settlementRefused: Handler<FedEvent> = ({ payload }, turn) => {
  if (!isResultFor("promotion", payload)) return ok({ marked: false });
  const news = refusedSchema.parse(payload);
  const marked = turn.book.refused(news);
  const line = marked ? markedLine(turn, news.lineId) : null;
  if (line) turn.observe.refused(line.kind);
  return ok({ marked });
};

export const SETTLEMENT_RESULT_HANDLERS = { [SETTLEMENT_EVENTS.credited]: settlementCredited, [SETTLEMENT_EVENTS.refused]: settlementRefused };
