import { ok } from "../runtime/errors.ts";
import { creditedSchema, isResultFor, localDay, refusedSchema, SETTLEMENT_EVENTS } from "../settlement/index.ts";
import { AGENT_EVENTS, CASH_EVENTS, CONSUMED_EVENTS, type FedEvent } from "./events.ts";
import type { AgentTurn, Handler } from "./turn.ts";

/**
 * What the agent domain learns from other domains' events: a sign-up with an agent's code
 * links the player to it; the wallet's money events of linked players keep their last cash
 * balance and their activity per local day (the brand's time zone when the event happened)
 * and game category; the wallet's answers mark this domain's settlement lines.
 */

/** where a bet or win without a game category counts */
export const OTHER_CATEGORY = "other";

type Column = "bets" | "wins" | "deposits" | "withdrawals";
/** how each money event moves activity: a column, and +1 or -1 times its amount */
const ACTIVITY: Record<string, { column: Column; sign: 1n | -1n; byCategory: boolean }> = {
  [CONSUMED_EVENTS.betSettled]: { column: "bets", sign: 1n, byCategory: true },
  [CONSUMED_EVENTS.rollback]: { column: "bets", sign: -1n, byCategory: true },
  [CONSUMED_EVENTS.win]: { column: "wins", sign: 1n, byCategory: true },
  [CONSUMED_EVENTS.depositApproved]: { column: "deposits", sign: 1n, byCategory: false },
  [CONSUMED_EVENTS.withdrawalApproved]: { column: "withdrawals", sign: 1n, byCategory: false },
};

const text = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const minorUnits = (value: unknown): bigint | null => (typeof value === "string" && /^-?\d{1,19}$/.test(value) ? BigInt(value) : null);

export const playerRegistered: Handler<FedEvent> = ({ payload }, turn) => {
  const code = text(payload.signupCode);
  const playerId = text(payload.playerId);
  const agent = code && turn.agents.byCode(code);
  if (!agent || !playerId) return ok({ linked: false });
  const linked = turn.sqlite
    .query("insert into agent_players (player_id, agent_id, username, nickname, linked_at) values (?, ?, ?, ?, ?) on conflict do nothing")
    .run(playerId, agent.id, String(payload.username), String(payload.nickname), turn.now);
  if (linked.changes > 0) turn.emit({ type: AGENT_EVENTS.playerLinked, payload: { playerId, agentId: agent.id, code: agent.code } });
  return ok({ linked: linked.changes > 0, agentId: agent.id });
};

/** A wallet money event: only a linked player's changes anything here. */
export function walletEvent(type: string): Handler<FedEvent> {
  const effect = ACTIVITY[type];
  const carriesCash = CASH_EVENTS.includes(type);
  return ({ at, payload }, turn) => {
    const player = text(payload.player);
    const linked = player && turn.sqlite.query("select 1 from agent_players where player_id = ?").get(player);
    if (!player || !linked) return ok({ counted: false });
    const balance = minorUnits(payload.balance);
    // an adjustment's balance is of the account it adjusted
    const isCash = carriesCash && (type !== "wallet.adjusted" || payload.account === "cash");
    if (isCash && balance !== null) turn.sqlite.query("update agent_players set cash = ? where player_id = ?").run(balance, player);
    const amount = minorUnits(payload.amount);
    if (effect && amount !== null) {
      const category = effect.byCategory ? (text(payload.gameCategory) ?? OTHER_CATEGORY) : "";
      count(turn, player, localDay(at, turn.settings.timezone), category, effect.column, effect.sign * amount);
    }
    return ok({ counted: true });
  };
}

function count(turn: AgentTurn, player: string, day: string, category: string, column: Column, delta: bigint) {
  // the column is one of ACTIVITY's, never input
  turn.sqlite
    .query(`insert into agent_activity (player_id, day, category, ${column}) values (?, ?, ?, ?) on conflict do update set ${column} = ${column} + excluded.${column}`)
    .run(player, day, category, delta);
}

const creditedCash = walletEvent(SETTLEMENT_EVENTS.credited);

/** A settlement credit the wallet made: a linked player's cash follows it whichever domain's line it paid (a promotion's too); a line of this domain's is marked paid. */
export const settlementCredited: Handler<FedEvent> = (event, turn) => {
  creditedCash(event, turn);
  if (!isResultFor("agent", event.payload)) return ok({ marked: false });
  return ok({ marked: turn.book.credited(turn, creditedSchema.parse(event.payload)) });
};

export const settlementRefused: Handler<FedEvent> = ({ payload }, turn) => {
  if (!isResultFor("agent", payload)) return ok({ marked: false });
  return ok({ marked: turn.book.refused(refusedSchema.parse(payload)) });
};

export const SETTLEMENT_RESULT_HANDLERS = { [SETTLEMENT_EVENTS.credited]: settlementCredited, [SETTLEMENT_EVENTS.refused]: settlementRefused };
