import { eq } from "drizzle-orm";
import type { ActingStaff } from "../identity/index.ts";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS, type PlayerRegistered } from "./events.ts";
import type { BankAccount } from "./fields.ts";
import { findPlayer, nicknameTaken, playerNotFound } from "./profile.ts";
import { players } from "./schema.ts";
import { openSession, revokeAllSessions, sessionIdOfAccess } from "./sessions.ts";
import { actorName, audited } from "./staff-audit.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/**
 * Sign-up and log-in decisions. Hashing happens before the message is sent (auth-flow.ts):
 * an argon2id verify costs tens of milliseconds, and inside a turn it would stall every
 * other player of the brand. Wrong passwords are counted at the caller too (the credentials
 * module's throttle), so the actor only compares versions and writes.
 */

type Registration = { username: string; passwordHash: string; nickname: string; phone: string; bank: BankAccount; code?: string };

export const register: Handler<Registration> = (body, turn) => {
  const taken = turn.db.select({ id: players.id }).from(players).where(eq(players.username, body.username)).get();
  if (taken) return fail("username_taken", `the username ${body.username} is taken; choose another`);
  if (nicknameTaken(turn, body.nickname)) return fail("nickname_taken", `the nickname ${body.nickname} is taken; choose another`);
  const referrer = body.code ? turn.db.select({ id: players.id }).from(players).where(eq(players.referralCode, body.code.toUpperCase())).get() : undefined;
  const id = crypto.randomUUID();
  turn.db
    .insert(players)
    .values({
      id,
      username: body.username,
      nickname: body.nickname,
      phone: body.phone,
      passwordHash: body.passwordHash,
      bankName: body.bank.name,
      bankAccount: body.bank.account,
      bankHolder: body.bank.holder,
      referralCode: freeReferralCode(turn),
      signupCode: body.code ?? null,
      referredBy: referrer?.id ?? null,
      createdAt: turn.now,
    })
    .run();
  // the agent domain resolves `signupCode` to an agent from this event, the wallet keeps `bank`
  turn.emit({
    type: PLAYER_EVENTS.registered,
    payload: {
      playerId: id,
      username: body.username,
      nickname: body.nickname,
      signupCode: body.code ?? null,
      referredBy: referrer?.id ?? null,
      bank: body.bank,
    } satisfies PlayerRegistered,
  });
  return ok({ id, username: body.username, nickname: body.nickname });
};

function freeReferralCode(turn: PlayerTurn): string {
  for (;;) {
    const code = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[b % 32]).join("");
    if (!turn.db.select({ id: players.id }).from(players).where(eq(players.referralCode, code)).get()) return code;
  }
}

/** Step one of a login: the stored hash, or null for a name no player has (no lock is kept here: see the credentials module). */
export const loginChallenge: Handler<{ username: string }> = (body, turn) => {
  const p = turn.db.select().from(players).where(eq(players.username, body.username)).get();
  return ok(p ? { playerId: p.id, passwordHash: p.passwordHash, passwordVersion: p.passwordVersion } : null);
};

type LoginResult = { playerId: string; passwordVersion: number; session: { sessionId: string; refreshTokenHash: string; expiresAt: number; accessJti: string } };

/** Step two, once the password checked out: checked again here, since the state may have moved meanwhile. */
export const loginResult: Handler<LoginResult> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p || p.passwordVersion !== body.passwordVersion) return fail("invalid_credentials", "wrong username or password");
  if (p.status !== "active") return fail("account_suspended", "this account is suspended; contact support");
  turn.db.update(players).set({ lastLoginAt: turn.now }).where(eq(players.id, p.id)).run();
  openSession(turn, p.id, body.session);
  turn.emit({ type: PLAYER_EVENTS.loggedIn, payload: { playerId: p.id, sessionId: body.session.sessionId } });
  return ok({ player: { id: p.id, username: p.username, nickname: p.nickname }, sessionId: body.session.sessionId });
};

export const credentials: Handler<{ playerId: string }> = ({ playerId }, turn) => {
  const p = findPlayer(turn, playerId);
  if (!p) return playerNotFound(playerId);
  return ok({ username: p.username, passwordHash: p.passwordHash, passwordVersion: p.passwordVersion });
};

type PasswordChange = { playerId: string; passwordVersion: number; passwordHash: string; keepJti?: string };

/** The player's own change (old password verified by the caller): other sessions end. */
export const changePassword: Handler<PasswordChange> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.passwordVersion !== body.passwordVersion) return fail("invalid_credentials", "the password changed meanwhile; try again with the current one");
  const keep = body.keepJti ? sessionIdOfAccess(turn, p.id, body.keepJti) : undefined;
  return ok(setPassword(turn, p.id, p.passwordVersion, body.passwordHash, keep));
};

/** Staff reset: every session ends (a sign-in lock lives in the credentials throttle, which the edge lifts). */
export const resetPassword: Handler<{ playerId: string; passwordHash: string; by: ActingStaff }> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  const done = setPassword(turn, p.id, p.passwordVersion, body.passwordHash, undefined, actorName(body.by));
  audited(turn, body.by, { action: "player.reset_password", target: `player:${p.id}`, before: { passwordVersion: p.passwordVersion }, after: done });
  return ok(done);
};

function setPassword(turn: PlayerTurn, playerId: string, version: number, hash: string, keepSessionId?: string, by?: string) {
  const passwordVersion = version + 1;
  turn.db.update(players).set({ passwordHash: hash, passwordVersion }).where(eq(players.id, playerId)).run();
  revokeAllSessions(turn, playerId, "password_changed", keepSessionId);
  turn.emit({ type: PLAYER_EVENTS.passwordChanged, payload: { playerId, by: by ?? playerId } });
  return { passwordVersion };
}
