import { and, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import type { BankAccount, Page } from "./fields.ts";
import type { ProfileView } from "./messages.ts";
import { players } from "./schema.ts";
import { revokeAllSessions } from "./sessions.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

export type PlayerRow = typeof players.$inferSelect;

export function findPlayer(turn: PlayerTurn, playerId: string): PlayerRow | undefined {
  return turn.db.select().from(players).where(eq(players.id, playerId)).get();
}

export const playerNotFound = (playerId: string) => fail("player_not_found", `no player ${playerId} in this brand`);

export function toProfileView(p: PlayerRow): ProfileView {
  return {
    id: p.id,
    username: p.username,
    nickname: p.nickname,
    phone: p.phone,
    bank: { name: p.bankName, account: p.bankAccount, holder: p.bankHolder },
    referralCode: p.referralCode,
    signupCode: p.signupCode,
    status: p.status,
    createdAt: p.createdAt,
    lastLoginAt: p.lastLoginAt,
  };
}

export function nicknameTaken(turn: PlayerTurn, nickname: string, exceptPlayerId?: string): boolean {
  const row = turn.db.select({ id: players.id }).from(players).where(eq(players.nickname, nickname)).get();
  return row !== undefined && row.id !== exceptPlayerId;
}

export const profile: Handler<{ playerId: string }> = ({ playerId }, turn) => {
  const p = findPlayer(turn, playerId);
  return p ? ok(toProfileView(p)) : playerNotFound(playerId);
};

export const updateProfile: Handler<{ playerId: string; nickname?: string; phone?: string }> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (body.nickname !== undefined && nicknameTaken(turn, body.nickname, p.id)) return fail("nickname_taken", `the nickname ${body.nickname} is taken; choose another`);
  const changes = { nickname: body.nickname ?? p.nickname, phone: body.phone ?? p.phone };
  turn.db.update(players).set(changes).where(eq(players.id, p.id)).run();
  turn.emit({ type: PLAYER_EVENTS.profileUpdated, payload: { playerId: p.id, fields: Object.keys(body).filter((k) => k !== "playerId") } });
  return ok(toProfileView({ ...p, ...changes }));
};

/** The caller verified the password against `passwordVersion` first (auth-flow.ts). */
export const changeBank: Handler<{ playerId: string; passwordVersion: number; bank: BankAccount }> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.passwordVersion !== body.passwordVersion) return fail("invalid_credentials", "the password changed meanwhile; try again with the current one");
  const changes = { bankName: body.bank.name, bankAccount: body.bank.account, bankHolder: body.bank.holder };
  turn.db.update(players).set(changes).where(eq(players.id, p.id)).run();
  turn.emit({ type: PLAYER_EVENTS.bankAccountChanged, payload: { playerId: p.id } });
  return ok(toProfileView({ ...p, ...changes }));
};

export const suspend: Handler<{ playerId: string; reason: string; by: string }> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.status === "suspended") return ok(toProfileView(p));
  turn.db.update(players).set({ status: "suspended", suspendedReason: body.reason }).where(eq(players.id, p.id)).run();
  revokeAllSessions(turn, p.id, "suspended");
  turn.emit({ type: PLAYER_EVENTS.suspended, payload: { playerId: p.id, reason: body.reason, by: body.by } });
  return ok(toProfileView({ ...p, status: "suspended", suspendedReason: body.reason }));
};

export const reinstate: Handler<{ playerId: string; by: string }> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.status === "active") return ok(toProfileView(p));
  turn.db.update(players).set({ status: "active", suspendedReason: null, failedLogins: 0, lockedUntil: null }).where(eq(players.id, p.id)).run();
  turn.emit({ type: PLAYER_EVENTS.reinstated, payload: { playerId: p.id, by: body.by } });
  return ok(toProfileView({ ...p, status: "active" }));
};

export const listPlayers: Handler<Page & { status?: "active" | "suspended"; search?: string }> = (body, turn) => {
  const filters: SQL[] = [];
  if (body.status) filters.push(eq(players.status, body.status));
  if (body.search) {
    const pattern = `%${body.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const matches = (column: SQLiteColumn) => sql`${column} like ${pattern} escape '\\'`;
    filters.push(or(matches(players.username), matches(players.nickname))!);
  }
  const where = filters.length > 0 ? and(...filters) : undefined;
  const rows = turn.db.select().from(players).where(where).orderBy(desc(players.createdAt)).limit(body.limit).offset((body.page - 1) * body.limit).all();
  const total = turn.db.select({ n: count() }).from(players).where(where).get()!.n;
  return ok({ items: rows.map(toProfileView), total, page: body.page, limit: body.limit });
};
