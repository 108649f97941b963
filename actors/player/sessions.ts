import { and, eq, isNull } from "drizzle-orm";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import { playerSessions, players, refreshTokens } from "./schema.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/**
 * Sessions are refresh-token families. Each refresh rotates the token; presenting a token
 * that was already rotated means it leaked (or a client raced itself): the whole family is
 * revoked, so the thief's copy and the player's copy both stop working. Every access token
 * is bound to its family through its `jti`, so it dies with the family too.
 */

type NewTokens = { refreshTokenHash: string; expiresAt: number; accessJti: string };

export function openSession(turn: PlayerTurn, playerId: string, s: NewTokens & { sessionId: string }) {
  turn.db.insert(playerSessions).values({ id: s.sessionId, playerId, createdAt: turn.now, lastUsedAt: turn.now }).run();
  issueTokens(turn, s.sessionId, s);
}

function issueTokens(turn: PlayerTurn, sessionId: string, t: NewTokens) {
  turn.db.insert(refreshTokens).values({ tokenHash: t.refreshTokenHash, sessionId, accessJti: t.accessJti, issuedAt: turn.now, expiresAt: t.expiresAt }).run();
}

/** The live session an access token belongs to, with its player's status. */
function sessionOfAccess(turn: PlayerTurn, playerId: string, jti: string) {
  const row = turn.db
    .select({ sessionId: playerSessions.id, playerId: playerSessions.playerId, revokedAt: playerSessions.revokedAt, status: players.status })
    .from(refreshTokens)
    .innerJoin(playerSessions, eq(playerSessions.id, refreshTokens.sessionId))
    .innerJoin(players, eq(players.id, playerSessions.playerId))
    .where(eq(refreshTokens.accessJti, jti))
    .get();
  return row && row.playerId === playerId && row.revokedAt === null ? row : undefined;
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

export function sessionIdOfAccess(turn: PlayerTurn, playerId: string, jti: string): string | undefined {
  return sessionOfAccess(turn, playerId, jti)?.sessionId;
}

function revokeSession(turn: PlayerTurn, sessionId: string, reason: string) {
  turn.db.update(playerSessions).set({ revokedAt: turn.now, revokedReason: reason }).where(eq(playerSessions.id, sessionId)).run();
}

const summary = (p: typeof players.$inferSelect) => ({ id: p.id, username: p.username, nickname: p.nickname });
const ended = () => fail("invalid_token", "this session has ended; log in again");

export const refresh: Handler<{ playerId: string; tokenHash: string; next: NewTokens }> = (body, turn) => {
  const found = turn.db
    .select()
    .from(refreshTokens)
    .innerJoin(playerSessions, eq(playerSessions.id, refreshTokens.sessionId))
    .innerJoin(players, eq(players.id, playerSessions.playerId))
    .where(eq(refreshTokens.tokenHash, body.tokenHash))
    .get();
  if (!found || found.players.id !== body.playerId) return fail("invalid_token", "unknown refresh token; log in again");
  const { refresh_tokens: token, player_sessions: session, players: player } = found;
  if (session.revokedAt !== null) return ended();
  if (token.rotatedAt !== null) {
    revokeSession(turn, session.id, "refresh_reused");
    turn.emit({ type: PLAYER_EVENTS.refreshReused, payload: { playerId: player.id, sessionId: session.id } });
    return ok({ status: "reused" as const });
  }
  if (token.expiresAt <= turn.now) return fail("token_expired", "the refresh token expired; log in again");
  if (player.status !== "active") return fail("account_suspended", "this account is suspended; contact support");
  turn.db.update(refreshTokens).set({ rotatedAt: turn.now }).where(eq(refreshTokens.tokenHash, token.tokenHash)).run();
  issueTokens(turn, session.id, body.next);
  turn.db.update(playerSessions).set({ lastUsedAt: turn.now }).where(eq(playerSessions.id, session.id)).run();
  return ok({ status: "rotated" as const, player: summary(player), sessionId: session.id });
};

export const logout: Handler<{ playerId: string; jti: string }> = (body, turn) => {
  const session = sessionOfAccess(turn, body.playerId, body.jti);
  if (!session) return ok({ loggedOut: false });
  revokeSession(turn, session.sessionId, "logout");
  turn.emit({ type: PLAYER_EVENTS.loggedOut, payload: { playerId: body.playerId, sessionId: session.sessionId } });
  return ok({ loggedOut: true });
};

/** Asked by the edge for every authenticated request: revoked sessions and suspended players stop at once. */
export const sessionCheck: Handler<{ playerId: string; jti: string }> = (body, turn) => {
  const session = sessionOfAccess(turn, body.playerId, body.jti);
  if (!session) return ended();
  if (session.status !== "active") return fail("account_suspended", "this account is suspended; contact support");
  return ok({ sessionId: session.sessionId });
};
