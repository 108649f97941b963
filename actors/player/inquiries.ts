import { and, asc, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import { unreadMessages } from "./inbox.ts";
import type { PlayerBody } from "./messages.ts";
import { below, pageOf } from "./pages.ts";
import { findPlayer, playerNotFound } from "./profile.ts";
import { inquiries, inquiryReplies } from "./schema.ts";
import { actorName, audited } from "./staff-audit.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/** Inquiries: a player asks staff, staff reply. A player sees only their own. */

type InquiryRow = typeof inquiries.$inferSelect;

function repliesOf(turn: PlayerTurn, ids: number[]) {
  if (ids.length === 0) return new Map<number, { id: number; staffId: string; body: string; createdAt: number }[]>();
  const rows = turn.db.select().from(inquiryReplies).where(inArray(inquiryReplies.inquiryId, ids)).orderBy(asc(inquiryReplies.id)).all();
  const byInquiry = new Map<number, { id: number; staffId: string; body: string; createdAt: number }[]>();
  for (const r of rows) {
    const list = byInquiry.get(r.inquiryId) ?? [];
    list.push({ id: r.id, staffId: r.staffId, body: r.body, createdAt: r.createdAt });
    byInquiry.set(r.inquiryId, list);
  }
  return byInquiry;
}

const toView = (r: InquiryRow, replies: ReturnType<typeof repliesOf>) => ({ ...r, replies: replies.get(r.id) ?? [] });

export const createInquiry: Handler<{ playerId: string; title: string; body: string }> = (body, turn) => {
  if (!findPlayer(turn, body.playerId)) return playerNotFound(body.playerId);
  const row = turn.db.insert(inquiries).values({ playerId: body.playerId, title: body.title, body: body.body, createdAt: turn.now }).returning().get();
  turn.emit({ type: PLAYER_EVENTS.inquiryCreated, payload: { inquiryId: row.id, playerId: body.playerId, title: body.title } });
  return ok(toView(row, new Map()));
};

export const listInquiries: Handler<PlayerBody<"listInquiries">> = (body, turn) => {
  const filters: (SQL | undefined)[] = [below(inquiries.id, body.cursor)];
  if (body.playerId) filters.push(eq(inquiries.playerId, body.playerId));
  if (body.status) filters.push(eq(inquiries.status, body.status));
  const rows = turn.db
    .select()
    .from(inquiries)
    .where(and(...filters))
    .orderBy(desc(inquiries.id))
    .limit(body.limit + 1)
    .all();
  const page = pageOf(rows, body.limit, (r) => r.id);
  const replies = repliesOf(
    turn,
    page.items.map((r) => r.id),
  );
  return ok({ items: page.items.map((r) => toView(r, replies)), nextCursor: page.nextCursor });
};

/** `playerId` set: the player's own view; another player's inquiry is "not found". */
export const getInquiry: Handler<{ playerId?: string; inquiryId: number }> = (body, turn) => {
  const row = turn.db.select().from(inquiries).where(eq(inquiries.id, body.inquiryId)).get();
  if (!row || (body.playerId !== undefined && row.playerId !== body.playerId)) return fail("inquiry_not_found", `no inquiry ${body.inquiryId}`);
  return ok(toView(row, repliesOf(turn, [row.id])));
};

export const replyInquiry: Handler<PlayerBody<"replyInquiry">> = (body, turn) => {
  const row = turn.db.select().from(inquiries).where(eq(inquiries.id, body.inquiryId)).get();
  if (!row) return fail("inquiry_not_found", `no inquiry ${body.inquiryId}`);
  const staffId = actorName(body.by);
  turn.db.insert(inquiryReplies).values({ inquiryId: row.id, staffId, body: body.body, createdAt: turn.now }).run();
  turn.db.update(inquiries).set({ status: "answered", answeredAt: turn.now }).where(eq(inquiries.id, row.id)).run();
  turn.emit({ type: PLAYER_EVENTS.inquiryAnswered, payload: { inquiryId: row.id, playerId: row.playerId, staffId } });
  audited(turn, body.by, { action: "inquiry.reply", target: `inquiry:${row.id}`, before: { status: row.status }, after: { status: "answered", body: body.body } });
  return ok(toView({ ...row, status: "answered", answeredAt: turn.now }, repliesOf(turn, [row.id])));
};

export const unreadCounts: Handler<{ playerId: string }> = ({ playerId }, turn) => {
  const p = findPlayer(turn, playerId);
  if (!p) return playerNotFound(playerId);
  const open = turn.db
    .select({ n: count() })
    .from(inquiries)
    .where(and(eq(inquiries.playerId, playerId), eq(inquiries.status, "open")))
    .get()!.n;
  return ok({ messages: unreadMessages(turn, playerId, p.createdAt), openInquiries: open });
};
