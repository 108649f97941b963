import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS, type PlayerBankAccountChanged, type PlayerReinstated, type PlayerSuspended } from "./events.ts";
import type { BankAccount } from "./fields.ts";
import type { PlayerBody, ProfileView } from "./messages.ts";
import { below, pageOf } from "./pages.ts";
import { players } from "./schema.ts";
import { revokeAllSessions } from "./sessions.ts";
import { actorName, audited } from "./staff-audit.ts";
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
  turn.emit({ type: PLAYER_EVENTS.bankAccountChanged, payload: { playerId: p.id, bank: body.bank } satisfies PlayerBankAccountChanged });
  return ok(toProfileView({ ...p, ...changes }));
};

export const suspend: Handler<PlayerBody<"suspend">> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.status === "suspended") return ok(toProfileView(p));
  turn.db.update(players).set({ status: "suspended", suspendedReason: body.reason }).where(eq(players.id, p.id)).run();
  revokeAllSessions(turn, p.id, "suspended");
  // the wallet (bets refused) and the game domain (sessions revoked) follow this event
  turn.emit({ type: PLAYER_EVENTS.suspended, payload: { playerId: p.id, reason: body.reason, by: actorName(body.by) } satisfies PlayerSuspended });
  audited(turn, body.by, { action: "player.suspend", target: `player:${p.id}`, before: { status: p.status }, after: { status: "suspended", reason: body.reason } });
  return ok(toProfileView({ ...p, status: "suspended", suspendedReason: body.reason }));
};

export const reinstate: Handler<PlayerBody<"reinstate">> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  if (p.status === "active") return ok(toProfileView(p));
  turn.db.update(players).set({ status: "active", suspendedReason: null, failedLogins: 0, lockedUntil: null }).where(eq(players.id, p.id)).run();
  turn.emit({ type: PLAYER_EVENTS.reinstated, payload: { playerId: p.id, by: actorName(body.by) } satisfies PlayerReinstated });
  audited(turn, body.by, { action: "player.reinstate", target: `player:${p.id}`, before: { status: p.status }, after: { status: "active" } });
  return ok(toProfileView({ ...p, status: "active" }));
};

export const listPlayers: Handler<PlayerBody<"listPlayers">> = (body, turn) => {
  const filters: (SQL | undefined)[] = [below(sql`rowid`, body.cursor)];
  if (body.status) filters.push(eq(players.status, body.status));
  if (body.search) {
    const pattern = `%${body.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const matches = (column: SQLiteColumn) => sql`${column} like ${pattern} escape '\\'`;
    filters.push(or(matches(players.username), matches(players.nickname)));
  }
  const rows = turn.db
    .select({ row: sql<number>`rowid`, player: players })
    .from(players)
    .where(and(...filters))
    .orderBy(sql`rowid desc`)
    .limit(body.limit + 1)
    .all();
  const page = pageOf(rows, body.limit, (r) => r.row);
  return ok({ items: page.items.map((r) => toProfileView(r.player)), nextCursor: page.nextCursor });
};
