import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { type MessageRow, messageRow, messageView } from "./message-rows.ts";
import type { Body } from "./messages.ts";
import type { ReconTurn } from "./turn.ts";

/** Messages newest first, filtered by state, kind or source; a page per `{ items, nextCursor }`. */
export function listMessages(turn: ReconTurn, body: Body<"messages">): Outcome {
  const filters: [string, string, string | number | undefined][] = [
    ["seq < $cursor", "cursor", body.cursor === undefined ? undefined : Number(body.cursor)],
    ["state = $state", "state", body.state],
    ["kind = $kind", "kind", body.kind],
    ["source_id = $source", "source", body.sourceId],
  ];
  const given = filters.filter(([, , value]) => value !== undefined);
  const where = given.map(([clause]) => clause);
  const params: Record<string, string | number> = { limit: body.limit + 1, ...Object.fromEntries(given.map(([, name, value]) => [name, value!])) };
  const rows = turn.sqlite
    .query<MessageRow, [Record<string, string | number>]>(`select * from recon_messages ${where.length ? `where ${where.join(" and ")}` : ""} order by seq desc limit $limit`)
    .all(params);
  return ok(page(turn, rows, body.limit));
}

/** The notices staff must look at, oldest first (the longest waiting on top), each with its candidates. */
export function reviewQueue(turn: ReconTurn, body: Body<"reviewQueue">): Outcome {
  const rows = turn.sqlite
    .query<MessageRow, [number, number]>("select * from recon_messages where state = 'review' and seq > ? order by seq limit ?")
    .all(body.cursor === undefined ? 0 : Number(body.cursor), body.limit + 1);
  return ok(page(turn, rows, body.limit));
}

export function getMessage(turn: ReconTurn, body: Body<"message">): Outcome {
  const m = messageRow(turn.sqlite, body.messageId);
  return m ? ok(messageView(turn.sqlite, m, turn.rules)) : fail("recon_message_not_found", `no recon message ${body.messageId}`);
}

function page(turn: ReconTurn, rows: MessageRow[], limit: number) {
  const items = rows.slice(0, limit).map((m) => messageView(turn.sqlite, m, turn.rules));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.cursor : null };
}
