import type { Database } from "bun:sqlite";
import type { SessionView } from "./messages.ts";

type SessionRow = {
  rowid: number;
  id: string;
  player_id: string;
  provider_code: string;
  game_code: string;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
};

export type NewSession = { id: string; player: string; provider: string; game: string; issuedAt: number; expiresAt: number };

/**
 * Launch sessions of a brand and the players who may not start new ones. A suspension
 * revokes the player's live sessions here (for staff views and new launches); the money
 * side refuses their bets from the wallet's own suspended set.
 */
export class SessionBook {
  private insert;
  private blockedStatement;
  private blockStatement;
  private unblockStatement;
  private revokeStatement;

  constructor(private sqlite: Database) {
    this.insert = sqlite.query("insert into game_sessions (id, player_id, provider_code, game_code, issued_at, expires_at) values (?, ?, ?, ?, ?, ?)");
    this.blockedStatement = sqlite.query<{ reason: string }, [string]>("select reason from game_blocked_players where player_id = ?");
    this.blockStatement = sqlite.query(
      "insert into game_blocked_players (player_id, reason, since) values (?, ?, ?) on conflict (player_id) do update set reason = excluded.reason",
    );
    this.unblockStatement = sqlite.query("delete from game_blocked_players where player_id = ?");
    this.revokeStatement = sqlite.query("update game_sessions set revoked_at = ?2, revoked_reason = ?3 where player_id = ?1 and revoked_at is null and expires_at > ?2");
  }

  record(s: NewSession): void {
    this.insert.run(s.id, s.player, s.provider, s.game, s.issuedAt, s.expiresAt);
  }

  blockedReason(player: string): string | undefined {
    return this.blockedStatement.get(player)?.reason;
  }

  /** Suspend: no new launches, and every live session of the player revoked. Returns how many. */
  block(player: string, reason: string, now: number): number {
    this.blockStatement.run(player, reason, now);
    return this.revokeStatement.run(player, now, `player suspended: ${reason}`).changes;
  }

  unblock(player: string): void {
    this.unblockStatement.run(player);
  }

  /** Newest first; `cursor` is the rowid the previous page ended at. */
  list(q: { player?: string; cursor?: string; limit: number }): { items: SessionView[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: (string | bigint)[] = [];
    if (q.player) where.push("player_id = ?"), params.push(q.player);
    if (q.cursor) where.push("rowid < ?"), params.push(BigInt(q.cursor));
    const sql = `select rowid, * from game_sessions ${where.length ? `where ${where.join(" and ")}` : ""} order by rowid desc limit ${q.limit + 1}`;
    const rows = this.sqlite.query<SessionRow, typeof params>(sql).all(...params);
    const page = rows.slice(0, q.limit);
    return { items: page.map(sessionView), nextCursor: rows.length > q.limit ? String(page.at(-1)!.rowid) : null };
  }
}

function sessionView(r: SessionRow): SessionView {
  return {
    session: r.id,
    player: r.player_id,
    provider: r.provider_code,
    game: r.game_code,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}
