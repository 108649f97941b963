import { and, count, desc, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import { fail, ok } from "../runtime/errors.ts";
import { type MessageSent, PLAYER_EVENTS } from "./events.ts";
import type { PlayerBody } from "./messages.ts";
import { below, pageOf } from "./pages.ts";
import { findPlayer, playerNotFound } from "./profile.ts";
import { messageReads, playerMessages } from "./schema.ts";
import { actorName, audited } from "./staff-audit.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/**
 * The inbox: messages from staff, to one player or broadcast to the brand. A broadcast is
 * one row; each player's reading of it is a row of `message_reads`. A player sees only
 * messages addressed to them or to everyone, and only those sent after they signed up.
 */

const visibleTo = (playerId: string, since: number, also?: SQL) =>
  and(or(eq(playerMessages.playerId, playerId), isNull(playerMessages.playerId)), sql`${playerMessages.createdAt} >= ${since}`, also);

function inboxRows(turn: PlayerTurn, playerId: string, since: number, also?: SQL) {
  return turn.db
    .select({
      id: playerMessages.id,
      title: playerMessages.title,
      body: playerMessages.body,
      playerId: playerMessages.playerId,
      createdAt: playerMessages.createdAt,
      readAt: messageReads.readAt,
    })
    .from(playerMessages)
    .leftJoin(messageReads, and(eq(messageReads.messageId, playerMessages.id), eq(messageReads.playerId, playerId)))
    .where(visibleTo(playerId, since, also));
}

type InboxRow = { id: number; title: string; body: string; playerId: string | null; createdAt: number; readAt: number | null };
const toView = (r: InboxRow) => ({ id: r.id, title: r.title, body: r.body, broadcast: r.playerId === null, createdAt: r.createdAt, readAt: r.readAt });

/** One player's message (`player.message`) or a broadcast to the brand (`player.broadcast`), audited as such. */
export const sendMessage: Handler<PlayerBody<"sendMessage">> = (body, turn) => {
  if (body.playerId !== null && !findPlayer(turn, body.playerId)) return playerNotFound(body.playerId);
  const senderId = actorName(body.by);
  const row = turn.db
    .insert(playerMessages)
    .values({ playerId: body.playerId, title: body.title, body: body.body, senderId, createdAt: turn.now })
    .returning({ id: playerMessages.id })
    .get();
  turn.emit({ type: PLAYER_EVENTS.messageSent, payload: { messageId: row.id, playerId: body.playerId, senderId } satisfies MessageSent });
  const after = { messageId: row.id, title: body.title };
  if (body.playerId === null) audited(turn, body.by, { action: "player.broadcast", target: `message:${row.id}`, after });
  else audited(turn, body.by, { action: "player.message", target: `player:${body.playerId}`, after });
  return ok({ messageId: row.id });
};

export function unreadMessages(turn: PlayerTurn, playerId: string, since: number): number {
  return turn.db
    .select({ n: count() })
    .from(playerMessages)
    .leftJoin(messageReads, and(eq(messageReads.messageId, playerMessages.id), eq(messageReads.playerId, playerId)))
    .where(visibleTo(playerId, since, isNull(messageReads.readAt)))
    .get()!.n;
}

export const listMessages: Handler<PlayerBody<"listMessages">> = (body, turn) => {
  const p = findPlayer(turn, body.playerId);
  if (!p) return playerNotFound(body.playerId);
  const rows = inboxRows(turn, p.id, p.createdAt, below(playerMessages.id, body.cursor))
    .orderBy(desc(playerMessages.id))
    .limit(body.limit + 1)
    .all();
  const page = pageOf(rows.map(toView), body.limit, (m) => m.id);
  const total = turn.db.select({ n: count() }).from(playerMessages).where(visibleTo(p.id, p.createdAt)).get()!.n;
  return ok({ ...page, total, unread: unreadMessages(turn, p.id, p.createdAt) });
};

function ownMessage(turn: PlayerTurn, playerId: string, messageId: number) {
  const p = findPlayer(turn, playerId);
  if (!p) return undefined;
  return inboxRows(turn, playerId, p.createdAt, eq(playerMessages.id, messageId)).get();
}

// another player's message is answered exactly like one that does not exist
const noSuchMessage = (id: number) => fail("message_not_found", `no message ${id} in your inbox`);

export const getMessage: Handler<{ playerId: string; messageId: number }> = (body, turn) => {
  const row = ownMessage(turn, body.playerId, body.messageId);
  return row ? ok(toView(row)) : noSuchMessage(body.messageId);
};

export const readMessage: Handler<{ playerId: string; messageId: number }> = (body, turn) => {
  const row = ownMessage(turn, body.playerId, body.messageId);
  if (!row) return noSuchMessage(body.messageId);
  if (row.readAt !== null) return ok(toView(row));
  turn.db.insert(messageReads).values({ messageId: row.id, playerId: body.playerId, readAt: turn.now }).run();
  turn.emit({ type: PLAYER_EVENTS.messageRead, payload: { messageId: row.id, playerId: body.playerId } });
  return ok(toView({ ...row, readAt: turn.now }));
};
