import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { addDays, type CreditLine, duePeriods, endOf, type Period, periodOf } from "../settlement/index.ts";
import { ratesOf } from "./agent-store.ts";
import { commissionLines, type OwnBase } from "./commission.ts";
import type { AgentBody } from "./messages.ts";
import { audited } from "./tree.ts";
import type { AgentTurn, Handler } from "./turn.ts";

/**
 * Commission settlement, by the settlement library's steps (actors/settlement): at the first
 * timer after a period of the brand's `agent.settlementPeriod` ended (and a grace for late
 * events), the period is snapshotted in one turn (the tree and rates as they are, the
 * activity projected so far) into lines, one per agent and kind, each asking the wallet for
 * its credit under `agent:<period>:<agent id>:<kind>`. The same timer asks again for lines the
 * wallet has not answered. Activity projected after the snapshot is not settled again, nor is
 * a day another settlement covered.
 */

export const COMMISSION_PROGRAM = "commission";
/** how often the settlement timer fires (it settles due periods and asks again for unpaid lines) */
export const SETTLE_TIMER = { name: "settle", cron: "*/15 * * * *" } as const;
/** events of a period's last moments get this long to arrive before it is snapshotted */
export const SETTLEMENT_GRACE_MS = 10 * 60_000;
/** periods a timer looks back over: a node down when one closed settles it when it returns */
const LOOKBACK = 2;

type BaseRow = { agent_id: string; category: string; bets: bigint; wins: bigint };

/**
 * What each agent's own players did in the period: turnover per category and net loss, each
 * player's floored at zero per category and overall (a rollback in the period of a bet of the
 * one before never makes a base negative).
 */
function ownBases(turn: AgentTurn, period: Period, settledDays: string[]): Map<string, OwnBase> {
  const rows = turn.sqlite
    .query<BaseRow & { player_id: string }, [string, string, string]>(
      `select p.agent_id, a.player_id, a.category, sum(a.bets) as bets, sum(a.wins) as wins
       from agent_activity a join agent_players p on p.player_id = a.player_id
       where a.day between ?1 and ?2 and a.category <> '' and a.day not in (select value from json_each(?3))
       group by a.player_id, a.category`,
    )
    .safeIntegers(true)
    .all(period.from, period.to, JSON.stringify(settledDays));
  const bases = new Map<string, OwnBase>();
  const netOfPlayer = new Map<string, { agent: string; net: bigint }>();
  for (const r of rows) {
    const base = bases.get(r.agent_id) ?? { turnover: {}, netLoss: 0n };
    bases.set(r.agent_id, base);
    if (r.bets > 0n) base.turnover[r.category] = (base.turnover[r.category] ?? 0n) + r.bets;
    const player = netOfPlayer.get(r.player_id) ?? { agent: r.agent_id, net: 0n };
    player.net += r.bets - r.wins;
    netOfPlayer.set(r.player_id, player);
  }
  for (const { agent, net } of netOfPlayer.values()) if (net > 0n) bases.get(agent)!.netLoss += net;
  return bases;
}

/**
 * The days of `period` another settlement already covered: a brand that changed its period
 * (daily to weekly, say) settles each day once, whatever the periods that hold it.
 */
function daysSettledBefore(turn: AgentTurn, period: Period): string[] {
  const overlapping = turn.sqlite
    .query<{ from_day: string; to_day: string }, [string, string, string]>("select from_day, to_day from agent_settlements where program = ?1 and from_day <= ?3 and to_day >= ?2")
    .all(COMMISSION_PROGRAM, period.from, period.to);
  const days = new Set<string>();
  for (const other of overlapping) {
    // ISO days compare as text: the later of the two firsts
    const first = [other.from_day, period.from].sort()[1]!;
    for (let day = first; day <= other.to_day && day <= period.to; day = addDays(day, 1)) days.add(day);
  }
  return [...days].sort();
}

/** Snapshot a period and ask for its credits; a period settled before is left as it is. */
export function settlePeriod(turn: AgentTurn, period: Period): { id: string; created: boolean } {
  const id = `${COMMISSION_PROGRAM}:${period.key}`;
  if (turn.settlementViews.get(id)) return { id, created: false };
  const tree = turn.agents.all().map((row) => ({ id: row.id, parentId: row.parent_id, rates: ratesOf(row) }));
  const settledDays = daysSettledBefore(turn, period);
  const bases = ownBases(turn, period, settledDays);
  const lines: CreditLine[] = commissionLines(tree, bases).map((line) => ({
    lineId: `agent:${period.key}:${line.agentId}:${line.kind}`,
    kind: line.kind,
    owner: { kind: "agent", id: line.agentId },
    account: "cash",
    amount: line.amount,
    detail: line.detail,
  }));
  const detail = {
    timezone: turn.settings.timezone,
    cadence: turn.settings.agent.settlementPeriod,
    agents: tree.length,
    agentsWithPlayers: bases.size,
    settledBefore: settledDays,
  };
  return turn.book.open(turn, { program: COMMISSION_PROGRAM, period, lines, detail });
}

/** The settlement timer: settle the periods due at `firedAt` (its clock), then ask again for unanswered lines. */
export const settleTimer: Handler<{ name: string; firedAt: number }> = ({ name, firedAt }, turn) => {
  if (name !== SETTLE_TIMER.name) return ok({});
  const clocked = { ...turn, now: firedAt };
  const { timezone, agent } = turn.settings;
  const due = duePeriods(firedAt, { cadence: agent.settlementPeriod, timeZone: timezone, graceMs: SETTLEMENT_GRACE_MS, lookback: LOOKBACK });
  const opened = due
    .reverse()
    .map((period) => settlePeriod(clocked, period))
    .filter((s) => s.created)
    .map((s) => s.id);
  return ok({ opened, ...turn.book.retryDue(clocked) });
};

/** Staff settle the period of `day` now (it must have ended); a period settled before answers as it is. */
export const runSettlement: Handler<AgentBody<"runSettlement">> = ({ day, by }, turn): Outcome => {
  const period = periodOf(day, turn.settings.agent.settlementPeriod);
  if (endOf(period, turn.settings.timezone) > turn.now) return fail("period_open", `the period ${period.key} has not ended yet (${turn.settings.timezone})`);
  const { id, created } = settlePeriod(turn, period);
  const settlement = turn.settlementViews.get(id)!;
  if (created)
    audited(turn, by, { action: "agent.settlement_run", target: `settlement:${id}`, after: { total: settlement.total, lines: settlement.lines, status: settlement.status } });
  return ok(settlement);
};

/** Staff ask again for a settlement's stalled lines. */
export const requeueSettlement: Handler<AgentBody<"requeueSettlement">> = ({ settlementId, by }, turn): Outcome => {
  const before = turn.settlementViews.get(settlementId);
  if (!before) return fail("not_found", `no settlement ${settlementId}`);
  const asked = turn.book.requeue(turn, settlementId);
  const after = turn.settlementViews.get(settlementId)!;
  if (asked > 0)
    audited(turn, by, { action: "agent.settlement_requeue", target: `settlement:${settlementId}`, before: { status: before.status }, after: { status: after.status, asked } });
  return ok(after);
};

export const settlements: Handler<AgentBody<"settlements">> = (body, turn) => ok(turn.settlementViews.list(body));

export const settlementLines: Handler<AgentBody<"settlementLines">> = ({ agentId, ...query }, turn) =>
  ok(turn.settlementViews.lineList({ ...query, owner: agentId === undefined ? undefined : { kind: "agent", id: agentId } }));
