import type { BrandSettings } from "../catalog/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { addDays, type Cadence, type CreditLine, duePeriods, endOf, localDay, type Period, periodOf } from "../settlement/index.ts";
import { forgetOldBets } from "./activity.ts";
import { askAgainForBonuses } from "./coupons.ts";
import { PROMOTION_KINDS, type PromotionBody, type PromotionKind } from "./messages.ts";
import { audited, type Handler, type PromotionTurn } from "./turn.ts";

/**
 * Rebate and lossback settlement, by the settlement library's steps (actors/settlement): at
 * the first timer after a period of the kind's cadence (`promotion.rebatePeriod`,
 * `promotion.lossbackPeriod`: whole local days of the brand's time zone) ended, and a grace
 * for late events, the period is snapshotted in one turn into one line per player, each
 * asking the wallet for its cash credit under `promotion:<brand>:<period>:<kind>:<player>`
 * (so the wallet pays it once whatever is asked again). The same timer asks again for lines
 * the wallet has not answered, and reports those past their retries; and coupon bonuses the
 * wallet has not announced for ten minutes (coupons.ts).
 *
 * Rebate: per game category, the period's settled turnover (bets net of their rollbacks, never
 * below zero) × the category's rate in basis points, rounded down, summed. Lossback: the
 * period's net loss (bets - wins) × the rate, rounded down, at most the cap; nothing below
 * the minimum loss.
 */

/** how often the settlement timer fires (it settles due periods and asks again for unpaid lines) */
export const SETTLE_TIMER = { name: "settle", cron: "*/15 * * * *" } as const;
/** events of a period's last moments get this long to arrive before it is snapshotted */
export const SETTLEMENT_GRACE_MS = 10 * 60_000;
/** periods a timer looks back over: a node down when one closed settles it when it returns */
const LOOKBACK = 2;
const BP = 10_000n;

export const lineIdOf = (brand: string, period: Period, kind: PromotionKind, player: string) => `promotion:${brand}:${period.key}:${kind}:${player}`;

const cadenceOf = (settings: BrandSettings, kind: PromotionKind): Cadence => (kind === "rebate" ? settings.promotion.rebatePeriod : settings.promotion.lossbackPeriod);
const enabled = (settings: BrandSettings, kind: PromotionKind) =>
  kind === "rebate" ? Object.values(settings.promotion.rebateRates).some((r) => r > 0) : settings.promotion.lossbackRate > 0;

/** The days of `period` another settlement of `kind` covered: a brand that changed its cadence settles each day once. */
function daysSettledBefore(turn: PromotionTurn, kind: PromotionKind, period: Period): string[] {
  const overlapping = turn.sqlite
    .query<{ from_day: string; to_day: string }, [string, string, string]>(
      "select from_day, to_day from promotion_settlements where program = ?1 and from_day <= ?3 and to_day >= ?2",
    )
    .all(kind, period.from, period.to);
  const days = new Set<string>();
  for (const other of overlapping) {
    const first = [other.from_day, period.from].sort()[1]!;
    for (let day = first; day <= other.to_day && day <= period.to; day = addDays(day, 1)) days.add(day);
  }
  return [...days].sort();
}

type ActivityRow = { player_id: string; category: string; bets: bigint; wins: bigint };
type Computed = { lines: CreditLine[]; detail: Record<string, unknown> };

/** Each player's line of `kind` for `period`, from the activity projected so far (days settled before left out). */
export function computeLines(turn: PromotionTurn, kind: PromotionKind, period: Period): Computed {
  const settledBefore = daysSettledBefore(turn, kind, period);
  const rows = turn.sqlite
    .query<ActivityRow, [string, string, string]>(
      `select player_id, category, sum(bets) as bets, sum(wins) as wins from promotion_activity
       where day between ?1 and ?2 and day not in (select value from json_each(?3))
       group by player_id, category order by player_id`,
    )
    .safeIntegers(true)
    .all(period.from, period.to, JSON.stringify(settledBefore));
  const { promotion } = turn.settings;
  const lines: CreditLine[] = [];
  const add = (player: string, amount: bigint, detail: unknown) => {
    if (amount > 0n) lines.push({ lineId: lineIdOf(turn.brand, period, kind, player), kind, owner: { kind: "player", id: player }, account: "cash", amount, detail });
  };
  let current: string | null = null;
  let turnover: Record<string, string> = {};
  let rebate = 0n;
  let bets = 0n;
  let wins = 0n;
  const flush = () => {
    if (current === null) return;
    if (kind === "rebate") add(current, rebate, { turnover, rates: promotion.rebateRates });
    else {
      const netLoss = bets - wins;
      const share = netLoss > 0n && netLoss >= promotion.lossbackMinLoss ? (netLoss * BigInt(promotion.lossbackRate)) / BP : 0n;
      const capped = promotion.lossbackCap !== null && share > promotion.lossbackCap ? promotion.lossbackCap : share;
      add(current, capped, {
        bets: bets.toString(),
        wins: wins.toString(),
        netLoss: netLoss.toString(),
        rate: promotion.lossbackRate,
        cap: promotion.lossbackCap?.toString() ?? null,
      });
    }
  };
  for (const r of rows) {
    if (r.player_id !== current) {
      flush();
      current = r.player_id;
      turnover = {};
      rebate = bets = wins = 0n;
    }
    const settledTurnover = r.bets > 0n ? r.bets : 0n;
    if (settledTurnover > 0n) turnover[r.category] = settledTurnover.toString();
    rebate += (settledTurnover * BigInt(promotion.rebateRates[r.category] ?? 0)) / BP;
    bets += r.bets;
    wins += r.wins;
  }
  flush();
  return { lines, detail: { timezone: turn.settings.timezone, cadence: cadenceOf(turn.settings, kind), settledBefore } };
}

/** Snapshot a period of `kind` and ask for its credits; a period settled before is left as it is. */
export function settlePeriod(turn: PromotionTurn, kind: PromotionKind, period: Period): { id: string; created: boolean } {
  const id = `${kind}:${period.key}`;
  if (turn.settlementViews.get(id)) return { id, created: false };
  const { lines, detail } = computeLines(turn, kind, period);
  return turn.book.open(turn, { program: kind, period, lines, detail: { ...detail, players: lines.length } });
}

/** The settlement timer: settle the periods due at `firedAt` (its clock) of each kind the brand pays, then ask again for unanswered lines. */
export const settleTimer: Handler<{ name: string; firedAt: number }> = ({ name, firedAt }, turn) => {
  if (name !== SETTLE_TIMER.name) return ok({});
  const clocked = { ...turn, now: firedAt };
  const opened: string[] = [];
  for (const kind of PROMOTION_KINDS) {
    if (!enabled(turn.settings, kind)) continue;
    const due = duePeriods(firedAt, { cadence: cadenceOf(turn.settings, kind), timeZone: turn.settings.timezone, graceMs: SETTLEMENT_GRACE_MS, lookback: LOOKBACK });
    for (const period of due.reverse()) {
      const settled = settlePeriod(clocked, kind, period);
      if (settled.created) opened.push(settled.id);
    }
  }
  const forgotten = forgetOldBets(turn, localDay(firedAt, turn.settings.timezone), addDays);
  const lapsed = turn.sqlite
    .query("update promotion_redemptions set status = 'lapsed', updated_at = ?1 where status = 'armed' and coupon_id in (select id from promotion_coupons where valid_to <= ?1)")
    .run(firedAt).changes;
  const bonusesAskedAgain = askAgainForBonuses(clocked);
  return ok({ opened, forgotten, lapsed, bonusesAskedAgain, ...turn.book.retryDue(clocked) });
};

function endedPeriod(turn: PromotionTurn, kind: PromotionKind, day: string): Outcome<Period> {
  const period = periodOf(day, cadenceOf(turn.settings, kind));
  if (endOf(period, turn.settings.timezone) > turn.now) return fail("period_open", `the period ${period.key} has not ended yet (${turn.settings.timezone})`);
  return ok(period);
}

/**
 * A period staff may settle: ended, and its grace for late events and rollbacks passed (what
 * the timer waits for), so a run settles no earlier than the timer would have.
 */
function closedPeriod(turn: PromotionTurn, kind: PromotionKind, day: string): Outcome<Period> {
  const period = endedPeriod(turn, kind, day);
  if (!period.ok) return period;
  const closesAt = endOf(period.value, turn.settings.timezone) + SETTLEMENT_GRACE_MS;
  if (turn.now >= closesAt) return period;
  const retryAfterSeconds = Math.ceil((closesAt - turn.now) / 1000);
  return fail(
    "period_not_closed",
    `the period ${period.value.key} ended less than ${SETTLEMENT_GRACE_MS / 60_000} minutes ago; late events may still arrive, settle it from ${new Date(closesAt).toISOString()}`,
    {
      notBefore: closesAt,
      retryAfterSeconds,
    },
  );
}

/** Staff settle the period of `day` now (ended and past its grace); a period settled before answers as it is. */
export const runSettlement: Handler<PromotionBody<"runSettlement">> = ({ kind, day, by }, turn) => {
  const period = closedPeriod(turn, kind, day);
  if (!period.ok) return period;
  const { id, created } = settlePeriod(turn, kind, period.value);
  const settlement = turn.settlementViews.get(id)!;
  if (created)
    audited(turn, by, { action: "promotion.settlement_run", target: `settlement:${id}`, after: { total: settlement.total, lines: settlement.lines, status: settlement.status } });
  return ok(settlement);
};

/** Staff ask again for a settlement's stalled lines. */
export const requeueSettlement: Handler<PromotionBody<"requeueSettlement">> = ({ settlementId, by }, turn) => {
  const before = turn.settlementViews.get(settlementId);
  if (!before) return fail("not_found", `no settlement ${settlementId}`);
  const asked = turn.book.requeue(turn, settlementId);
  const after = turn.settlementViews.get(settlementId)!;
  if (asked > 0)
    audited(turn, by, { action: "promotion.settlement_requeue", target: `settlement:${settlementId}`, before: { status: before.status }, after: { status: after.status, asked } });
  return ok(after);
};

/** Who would get what for the period of `day`, and the totals; a settled period answers with what it paid. */
export const preview: Handler<PromotionBody<"preview">> = ({ kind, day, limit }, turn) => {
  const period = endedPeriod(turn, kind, day);
  if (!period.ok) return period;
  const { key, from, to } = period.value;
  const settled = turn.settlementViews.get(`${kind}:${key}`);
  if (settled) {
    const top = turn.sqlite
      .query<{ owner_id: string; amount: bigint; detail: string }, [string, number]>(
        "select owner_id, amount, detail from promotion_settlement_lines where settlement_id = ? order by amount desc limit ?",
      )
      .safeIntegers(true)
      .all(settled.id, limit);
    const lines = top.map((l) => ({ player: l.owner_id, amount: l.amount.toString(), detail: JSON.parse(l.detail) }));
    return ok({ kind, period: key, from, to, players: settled.lines, total: settled.total, settled: true, lines });
  }
  const { lines } = computeLines(turn, kind, period.value);
  const total = lines.reduce((sum, l) => sum + l.amount, 0n);
  const top = [...lines].sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1)).slice(0, limit);
  return ok({
    kind,
    period: key,
    from,
    to,
    players: lines.length,
    total: total.toString(),
    settled: false,
    lines: top.map((l) => ({ player: l.owner.id, amount: l.amount.toString(), detail: l.detail })),
  });
};

export const settlements: Handler<PromotionBody<"settlements">> = ({ kind, ...query }, turn) => ok(turn.settlementViews.list({ ...query, program: kind }));

export const settlementLines: Handler<PromotionBody<"settlementLines">> = ({ player, ...query }, turn) =>
  ok(turn.settlementViews.lineList({ ...query, owner: player === undefined ? undefined : { kind: "player", id: player } }));

export const lateRollbacks: Handler<PromotionBody<"lateRollbacks">> = ({ cursor, limit }, turn) => {
  const rows = turn.sqlite
    .query<{ rowid: bigint; bet_key: string; player_id: string; day: string; category: string; amount: bigint; overpaid: string; at: bigint }, [bigint, number]>(
      "select rowid, * from promotion_late_rollbacks where rowid < ? order by rowid desc limit ?",
    )
    .safeIntegers(true)
    .all(BigInt(cursor ?? "9223372036854775807"), limit + 1);
  const page = rows.slice(0, limit);
  return ok({
    items: page.map((r) => ({
      betKey: r.bet_key,
      player: r.player_id,
      day: r.day,
      category: r.category,
      amount: r.amount.toString(),
      overpaid: JSON.parse(r.overpaid),
      at: Number(r.at),
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.rowid) : null,
  });
};
