import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { bigintCursorSchema, externalIdSchema, freeText, pageLimitSchema, pageOf } from "../runtime/fields.ts";

export const playerNoteBody = z.object({
  playerId: externalIdSchema,
  body: freeText(2000, { multiline: true }),
  /** the staff member who writes it (a note always has an author among the staff) */
  by: actingStaffSchema.refine((by) => by.staffId !== null, "a note is written by a staff member"),
});
export const playerNotesQuery = z.object({ playerId: externalIdSchema, cursor: bigintCursorSchema.optional(), limit: pageLimitSchema });
export const playerNoteView = z
  .object({ id: z.string(), playerId: z.string(), staffId: z.string(), username: z.string(), body: z.string(), at: z.number() })
  .meta({ id: "PlayerNote" });
export const playerNotePage = pageOf(playerNoteView);
export type PlayerNote = z.infer<typeof playerNoteView>;

type Row = { id: string; player_id: string; staff_id: string; username: string; body: string; at: Date };
const view = (r: Row): PlayerNote => ({ id: r.id, playerId: r.player_id, staffId: r.staff_id, username: r.username, body: r.body, at: new Date(r.at).getTime() });

/** Write a note under the message id that carries it. */
export async function addPlayerNote(tx: SqlExecutor, brand: string, id: string, note: z.output<typeof playerNoteBody>, at: number): Promise<PlayerNote> {
  await tx.query(
    `insert into player_notes (id, brand_id, player_id, staff_id, username, body, at) values ($1, $2, $3, $4, $5, $6, $7::timestamptz)
     on conflict (id) do nothing`,
    [id, brand, note.playerId, note.by.staffId, note.by.username, note.body, new Date(at).toISOString()],
  );
  const rows = await tx.query<Row>("select * from player_notes where id = $1", [id]);
  return view(rows[0]!);
}

/** A page of a player's notes, newest first; the cursor is how many notes earlier pages held. */
export async function playerNotes(db: SqlExecutor, brand: string, query: z.output<typeof playerNotesQuery>): Promise<z.output<typeof playerNotePage>> {
  const offset = query.cursor ?? "0";
  const rows = await db.query<Row>("select * from player_notes where brand_id = $1 and player_id = $2 order by at desc, id limit $3 offset $4::bigint", [
    brand,
    query.playerId,
    query.limit + 1,
    offset,
  ]);
  const more = rows.length > query.limit;
  return { items: rows.slice(0, query.limit).map(view), nextCursor: more ? String(BigInt(offset) + BigInt(query.limit)) : null };
}
