import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { type AgentRow, AgentStore, agentViewOf } from "./agent-store.ts";
import type { AgentBody } from "./messages.ts";
import { agentNotFound } from "./tree.ts";
import type { AgentTurn, Handler } from "./turn.ts";

/**
 * Reads of the tree, the players and their activity. Whoever asks `within` an agent (an
 * agent's own view) sees that agent's subtree only: an agent elsewhere in the tree reads as
 * unknown, exactly like one that does not exist.
 */

/** The agent `id` if it is `within`'s subtree (or no bound is given). */
function visible(turn: AgentTurn, id: string, within?: string): AgentRow | null {
  const row = turn.agents.find(id);
  return row && (within === undefined || AgentStore.within(row, within)) ? row : null;
}

export const agent: Handler<AgentBody<"agent">> = ({ agentId, within }, turn) => {
  const row = visible(turn, agentId, within);
  return row ? ok(agentViewOf(row)) : agentNotFound(agentId);
};

/** Direct sub-agents of `parentId`; without it, the top agents (staff) or the whole subtree below `within`; a search spans all of either. */
export const listAgents: Handler<AgentBody<"listAgents">> = ({ parentId, within, search, cursor, limit }, turn) => {
  const bound = within === undefined ? undefined : turn.agents.find(within);
  if (within !== undefined && !bound) return agentNotFound(within);
  if (parentId !== undefined && !visible(turn, parentId, within)) return agentNotFound(parentId);
  const top = parentId === undefined && bound === undefined && search === undefined;
  return ok(turn.agents.list({ parentId, top, within: bound ?? undefined, search, cursor, limit }));
};

type PlayerRow = { seq: bigint; player_id: string; username: string; nickname: string; agent_id: string; cash: bigint; linked_at: bigint };

export const downlinePlayers: Handler<AgentBody<"downlinePlayers">> = ({ within, agentId, search, cursor, limit }, turn) => {
  const bound = turn.agents.find(within);
  if (!bound) return agentNotFound(within);
  if (agentId !== undefined && !visible(turn, agentId, within)) return agentNotFound(agentId);
  const rows = turn.sqlite
    .query<PlayerRow, Record<string, string | bigint | number | null>>(
      `select p.rowid as seq, p.* from agent_players p join agents g on g.id = p.agent_id
       where p.rowid > $cursor and substr(g.path, 1, length($path)) = $path and ($agent is null or p.agent_id = $agent)
         and ($search is null or instr(p.username, lower($search)) > 0 or instr(lower(p.nickname), lower($search)) > 0)
       order by p.rowid limit $limit`,
    )
    .safeIntegers(true)
    .all({ cursor: BigInt(cursor ?? "0"), path: bound.path, agent: agentId ?? null, search: search ?? null, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return ok({ items: page.map(playerViewOf), nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null });
};

/** One of the agent's own players (signed up with its code), by id or username; any other player is unknown. */
export const ownPlayer: Handler<AgentBody<"ownPlayer">> = ({ agentId, playerId, username }, turn) => {
  if (playerId === undefined && username === undefined) return fail("validation_failed", "name the player: playerId or username");
  const row = turn.sqlite
    .query<PlayerRow, [string, string | null, string | null]>(
      "select rowid as seq, * from agent_players where agent_id = ?1 and (?2 is null or player_id = ?2) and (?3 is null or username = ?3)",
    )
    .safeIntegers(true)
    .get(agentId, playerId ?? null, username ?? null);
  return row ? ok(playerViewOf(row)) : fail("player_not_found", `no player ${playerId ?? username} of this agent`);
};

function playerViewOf(r: PlayerRow) {
  return { playerId: r.player_id, username: r.username, nickname: r.nickname, agentId: r.agent_id, cash: r.cash.toString(), linkedAt: Number(r.linked_at) };
}

type Sums = { deposits: bigint | null; withdrawals: bigint | null; bets: bigint | null; wins: bigint | null };
const SUMS = "sum(a.deposits) as deposits, sum(a.withdrawals) as withdrawals, sum(a.bets) as bets, sum(a.wins) as wins";

function totalsOf(s: Sums | null) {
  const [deposits, withdrawals, bets, wins] = [s?.deposits ?? 0n, s?.withdrawals ?? 0n, s?.bets ?? 0n, s?.wins ?? 0n];
  return { deposits: deposits.toString(), withdrawals: withdrawals.toString(), bets: bets.toString(), wins: wins.toString(), netLoss: (bets - wins).toString() };
}

/** The subtree's totals for the days `from`..`to`, its own players', and each direct sub-agent's subtree's. */
export const activity: Handler<AgentBody<"activity">> = ({ within, from, to }, turn) => {
  const bound = turn.agents.find(within);
  if (!bound) return agentNotFound(within);
  const sums = (where: string, value: string) =>
    turn.sqlite
      .query<Sums, [string, string, string]>(
        `select ${SUMS} from agent_activity a join agent_players p on p.player_id = a.player_id join agents g on g.id = p.agent_id
         where a.day between ?1 and ?2 and ${where}`,
      )
      .safeIntegers(true)
      .get(from, to, value);
  const ofSubtree = (row: AgentRow) => totalsOf(sums("substr(g.path, 1, length(?3)) = ?3", row.path));
  const children = turn.agents.children(within).map((child) => ({ agentId: child.id, loginName: child.login_name, ...ofSubtree(child) }));
  return ok({ from, to, total: ofSubtree(bound), ownPlayers: totalsOf(sums("p.agent_id = ?3", within)), children });
};

type DayRow = Sums & { player_id: string; username: string; agent_id: string; day: string };

/** Per player and day, newest day first: the legacy portal's bet list. The cursor counts the rows of the pages before. */
export const activityByPlayer: Handler<AgentBody<"activityByPlayer">> = ({ within, from, to, username, cursor, limit }, turn): Outcome => {
  const bound = turn.agents.find(within);
  if (!bound) return agentNotFound(within);
  const offset = BigInt(cursor ?? "0");
  const rows = turn.sqlite
    .query<DayRow, Record<string, string | bigint | number | null>>(
      `select p.player_id, p.username, p.agent_id, a.day, ${SUMS} from agent_activity a
       join agent_players p on p.player_id = a.player_id join agents g on g.id = p.agent_id
       where a.day between $from and $to and substr(g.path, 1, length($path)) = $path and ($username is null or p.username = $username)
       group by p.player_id, a.day order by a.day desc, p.username limit $limit offset $offset`,
    )
    .safeIntegers(true)
    .all({ from, to, path: bound.path, username: username ?? null, limit: limit + 1, offset });
  const page = rows.slice(0, limit);
  return ok({
    items: page.map((r) => ({ playerId: r.player_id, username: r.username, agentId: r.agent_id, day: r.day, ...totalsOf(r) })),
    nextCursor: rows.length > limit ? String(offset + BigInt(limit)) : null,
  });
};
