import type { Database } from "bun:sqlite";
import type { AgentStatus, Rates } from "./fields.ts";
import type { AgentView } from "./messages.ts";

/** A row of `agents` as stored. */
export type AgentRow = {
  seq: number;
  id: string;
  parent_id: string | null;
  level: number;
  path: string;
  login_name: string;
  name: string;
  password_hash: string;
  password_version: number;
  status: AgentStatus;
  status_reason: string | null;
  code: string;
  rolling_rates: string;
  losing_rate: number;
  created_at: number;
  updated_at: number;
  created_by: string;
};

export type NewAgentRow = Omit<AgentRow, "seq" | "password_version" | "status" | "status_reason" | "updated_at">;
type Changes = Partial<Pick<AgentRow, "name" | "code" | "rolling_rates" | "losing_rate" | "status" | "status_reason" | "password_hash" | "password_version">>;
type Page<T> = { items: T[]; nextCursor: string | null };

const COLUMNS = "rowid as seq, *";

/**
 * The agent tree in the shard. Each agent keeps its path from the top (`/<top>/.../<own id>/`),
 * so a subtree is one prefix and "is X below Y" one string test.
 */
export class AgentStore {
  constructor(private readonly sqlite: Database) {}

  find(id: string): AgentRow | null {
    return this.sqlite.query<AgentRow, [string]>(`select ${COLUMNS} from agents where id = ?`).get(id);
  }

  byLoginName(loginName: string): AgentRow | null {
    return this.sqlite.query<AgentRow, [string]>(`select ${COLUMNS} from agents where login_name = ?`).get(loginName);
  }

  byCode(code: string): AgentRow | null {
    return this.sqlite.query<AgentRow, [string]>(`select ${COLUMNS} from agents where code = ?`).get(code.toUpperCase());
  }

  insert(row: NewAgentRow): AgentRow {
    this.sqlite
      .query(
        `insert into agents (id, parent_id, level, path, login_name, name, password_hash, status, code, rolling_rates, losing_rate, created_at, updated_at, created_by)
         values (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.parent_id,
        row.level,
        row.path,
        row.login_name,
        row.name,
        row.password_hash,
        row.code,
        row.rolling_rates,
        row.losing_rate,
        row.created_at,
        row.created_at,
        row.created_by,
      );
    return this.find(row.id)!;
  }

  update(id: string, changes: Changes, now: number): AgentRow {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    // column names come from the Changes type, never from input
    const set = [...entries.map(([column]) => `${column} = ?`), "updated_at = ?"].join(", ");
    this.sqlite.query(`update agents set ${set} where id = ?`).run(...(entries.map(([, v]) => v) as (string | number | null)[]), now, id);
    return this.find(id)!;
  }

  children(id: string): AgentRow[] {
    return this.sqlite.query<AgentRow, [string]>(`select ${COLUMNS} from agents where parent_id = ? order by rowid`).all(id);
  }

  /** Levels of the subtree below and including `row` (1 for an agent without sub-agents). */
  height(row: AgentRow): number {
    const deepest = this.sqlite.query<{ level: number }, [string]>("select max(level) as level from agents where substr(path, 1, length(?1)) = ?1").get(row.path);
    return (deepest?.level ?? row.level) - row.level + 1;
  }

  /** Put `row`'s subtree under `parent` (the top when null): paths and levels follow. */
  move(row: AgentRow, parent: AgentRow | null, now: number): AgentRow {
    const path = `${parent?.path ?? "/"}${row.id}/`;
    const shift = (parent?.level ?? 0) + 1 - row.level;
    this.sqlite
      .query("update agents set path = ?1 || substr(path, length(?2) + 1), level = level + ?3, updated_at = ?4 where substr(path, 1, length(?2)) = ?2")
      .run(path, row.path, shift, now);
    this.sqlite.query("update agents set parent_id = ? where id = ?").run(parent?.id ?? null, row.id);
    return this.find(row.id)!;
  }

  /** Whether `row` is `ancestorId` or below it. */
  static within(row: Pick<AgentRow, "path">, ancestorId: string): boolean {
    return row.path.includes(`/${ancestorId}/`);
  }

  list(query: { parentId?: string; top?: boolean; within?: AgentRow; search?: string; cursor?: string; limit: number }): Page<AgentView> {
    const rows = this.sqlite
      .query<AgentRow, Record<string, string | number | bigint | null>>(
        `select ${COLUMNS} from agents
         where rowid > $cursor and ($parent is null or parent_id = $parent) and ($top = 0 or parent_id is null)
           and ($path is null or (substr(path, 1, length($path)) = $path and id <> $self))
           and ($search is null or instr(lower(login_name), lower($search)) > 0 or instr(lower(name), lower($search)) > 0)
         order by rowid limit $limit`,
      )
      .all({
        cursor: BigInt(query.cursor ?? "0"),
        parent: query.parentId ?? null,
        top: query.top ? 1 : 0,
        path: query.within?.path ?? null,
        self: query.within?.id ?? null,
        search: query.search ?? null,
        limit: query.limit + 1,
      });
    const page = rows.slice(0, query.limit);
    return { items: page.map(agentViewOf), nextCursor: rows.length > query.limit ? String(page.at(-1)!.seq) : null };
  }

  /** The whole tree, for a settlement's snapshot. */
  all(): AgentRow[] {
    return this.sqlite.query<AgentRow, []>(`select ${COLUMNS} from agents order by level, rowid`).all();
  }
}

export function ratesOf(row: Pick<AgentRow, "rolling_rates" | "losing_rate">): Rates {
  return { rolling: JSON.parse(row.rolling_rates) as Record<string, number>, losing: row.losing_rate };
}

export function agentViewOf(row: AgentRow): AgentView {
  return {
    id: row.id,
    parentId: row.parent_id,
    level: row.level,
    loginName: row.login_name,
    name: row.name,
    code: row.code,
    status: row.status,
    statusReason: row.status_reason,
    rates: ratesOf(row),
    createdAt: row.created_at,
  };
}
