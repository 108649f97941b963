import { and, eq, isNull } from "drizzle-orm";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import { playerSessions, players, refreshTokens } from "./schema.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/**
 * Sessions are refresh-token families. Each refresh rotates the token; presenting a token
 * that was already rotated means it leaked (or a client raced itself): the whole family is
 * revoked, so the thief's copy and the player's copy both stop working.
 */

type NewSession = { sessionId: string; refreshTokenHash: string; expiresAt: number };

export function openSession(turn: PlayerTurn, playerId: string, s: NewSession) {
  turn.db.insert(playerSessions).values({ id: s.sessionId, playerId, createdAt: turn.now, lastUsedAt: turn.now }).run();
  turn.db.insert(refreshTokens).values({ tokenHash: s.refreshTokenHash, sessionId: s.sessionId, issuedAt: turn.now, expiresAt: s.expiresAt }).run();
}

export function revokeAllSessions(turn: PlayerTurn, playerId: string, reason: string, exceptSessionId?: string): number {
  const live = turn.db
    .select({ id: playerSessions.id })
    .from(playerSessions)
    .where(and(eq(playerSessions.playerId, playerId), isNull(playerSessions.revokedAt)))
    .all()
    .filter((s) => s.id !== exceptSessionId);
  for (const s of live) revokeSession(turn, s.id, reason);
  return live.length;
}

function revokeSession(turn: PlayerTurn, sessionId: string, reason: string) {
  turn.db.update(playerSessions).set({ revokedAt: turn.now, revokedReason: reason }).where(eq(playerSessions.id, sessionId)).run();
}

const summary = (p: typeof players.$inferSelect) => ({ id: p.id, username: p.username, nickname: p.nickname });

export const refresh: Handler<{ tokenHash: string; next: { refreshTokenHash: string; expiresAt: number } }> = (body, turn) => {
  const found = turn.db
    .select()
    .from(refreshTokens)
    .innerJoin(playerSessions, eq(playerSessions.id, refreshTokens.sessionId))
    .innerJoin(players, eq(players.id, playerSessions.playerId))
    .where(eq(refreshTokens.tokenHash, body.tokenHash))
    .get();
  if (!found) return fail("invalid_token", "unknown refresh token; log in again");
  const { refresh_tokens: token, player_sessions: session, players: player } = found;
  if (session.revokedAt !== null) return fail("invalid_token", "this session has ended; log in again");
  if (token.rotatedAt !== null) {
    revokeSession(turn, session.id, "refresh_reused");
    turn.emit({ type: PLAYER_EVENTS.refreshReused, payload: { playerId: player.id, sessionId: session.id } });
    return ok({ status: "reused" as const });
  }
  if (token.expiresAt <= turn.now) return fail("token_expired", "the refresh token expired; log in again");
  if (player.status !== "active") return fail("account_suspended", "this account is suspended; contact support");
  turn.db.update(refreshTokens).set({ rotatedAt: turn.now }).where(eq(refreshTokens.tokenHash, token.tokenHash)).run();
  turn.db.insert(refreshTokens).values({ tokenHash: body.next.refreshTokenHash, sessionId: session.id, issuedAt: turn.now, expiresAt: body.next.expiresAt }).run();
  turn.db.update(playerSessions).set({ lastUsedAt: turn.now }).where(eq(playerSessions.id, session.id)).run();
  return ok({ status: "rotated" as const, player: summary(player), sessionId: session.id });
};

export const logout: Handler<{ playerId: string; sessionId: string }> = (body, turn) => {
  const session = turn.db.select().from(playerSessions).where(eq(playerSessions.id, body.sessionId)).get();
  if (!session || session.playerId !== body.playerId || session.revokedAt !== null) return ok({ loggedOut: false });
  revokeSession(turn, session.id, "logout");
  turn.emit({ type: PLAYER_EVENTS.loggedOut, payload: { playerId: body.playerId, sessionId: session.id } });
  return ok({ loggedOut: true });
};

/** Asked by the edge for every authenticated request: revoked sessions and suspended players stop at once. */
export const sessionCheck: Handler<{ playerId: string; sessionId: string }> = (body, turn) => {
  const row = turn.db
    .select({ revokedAt: playerSessions.revokedAt, playerId: playerSessions.playerId, status: players.status })
    .from(playerSessions)
    .innerJoin(players, eq(players.id, playerSessions.playerId))
    .where(eq(playerSessions.id, body.sessionId))
    .get();
  if (!row || row.playerId !== body.playerId || row.revokedAt !== null) return fail("invalid_token", "this session has ended; log in again");
  if (row.status !== "active") return fail("account_suspended", "this account is suspended; contact support");
  return ok({ active: true as const });
};
