import { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";

export const playerNoteBody = z.object({
  playerId: z.string().min(1).max(200),
  body: z.string().trim().min(1).max(2000),
  staffId: z.string().min(1).max(100),
  username: z.string().min(1).max(100),
});
export const playerNoteView = z.object({ id: z.string(), playerId: z.string(), staffId: z.string(), username: z.string(), body: z.string(), at: z.number() });
export type PlayerNote = z.infer<typeof playerNoteView>;

type Row = { id: string; player_id: string; staff_id: string; username: string; body: string; at: Date };
const view = (r: Row): PlayerNote => ({ id: r.id, playerId: r.player_id, staffId: r.staff_id, username: r.username, body: r.body, at: new Date(r.at).getTime() });

/** Write a note under the message id that carries it, so a redelivery writes it once. */
export async function addPlayerNote(tx: SqlExecutor, brand: string, id: string, note: z.infer<typeof playerNoteBody>, at: number): Promise<PlayerNote> {
  await tx.query(
    `insert into player_notes (id, brand_id, player_id, staff_id, username, body, at) values ($1, $2, $3, $4, $5, $6, $7::timestamptz)
     on conflict (id) do nothing`,
    [id, brand, note.playerId, note.staffId, note.username, note.body, new Date(at).toISOString()],
  );
  const rows = await tx.query<Row>("select * from player_notes where id = $1", [id]);
  return view(rows[0]!);
}

/** A player's notes, newest first. */
export async function playerNotes(store: SqlExecutor, brand: string, playerId: string, limit = 100): Promise<PlayerNote[]> {
  const rows = await store.query<Row>("select * from player_notes where brand_id = $1 and player_id = $2 order by at desc, id limit $3", [brand, playerId, limit]);
  return rows.map(view);
}
