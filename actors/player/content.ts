import { and, asc, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import type { contentInput } from "./messages.ts";
import { siteContent, siteSettings } from "./schema.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/** The brand site's public content (notices, banners, FAQ) and visitor-facing settings. */

type ContentRow = typeof siteContent.$inferSelect;
type ContentInput = z.output<typeof contentInput> & { id?: number };

export const listContent: Handler<{ kind: "notice" | "banner" | "faq"; includeHidden: boolean }> = (body, turn) => {
  const where = body.includeHidden ? eq(siteContent.kind, body.kind) : and(eq(siteContent.kind, body.kind), eq(siteContent.published, true));
  const rows = turn.db.select().from(siteContent).where(where).orderBy(asc(siteContent.sort), desc(siteContent.id)).all();
  return ok({ items: rows });
};

export const putContent: Handler<ContentInput> = (body, turn) => {
  const { id, ...fields } = body;
  const values = { ...fields, imageUrl: fields.imageUrl ?? null, linkUrl: fields.linkUrl ?? null, category: fields.category ?? null, updatedAt: turn.now };
  let row: ContentRow | undefined;
  if (id === undefined) {
    row = turn.db.insert(siteContent).values({ ...values, createdAt: turn.now }).returning().get();
  } else {
    row = turn.db.update(siteContent).set(values).where(eq(siteContent.id, id)).returning().get();
    if (!row) return fail("content_not_found", `no content ${id}`);
  }
  contentChanged(turn, row.kind, row.id);
  return ok(row);
};

export const deleteContent: Handler<{ id: number }> = (body, turn) => {
  const row = turn.db.delete(siteContent).where(eq(siteContent.id, body.id)).returning().get();
  if (row) contentChanged(turn, row.kind, row.id);
  return ok({ deleted: row !== undefined });
};

function contentChanged(turn: PlayerTurn, kind: string, id: number | null) {
  turn.emit({ type: PLAYER_EVENTS.contentChanged, payload: { kind, id } });
}

function readSettings(turn: PlayerTurn): Record<string, unknown> {
  const rows = turn.db.select().from(siteSettings).orderBy(asc(siteSettings.key)).all();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
}

export const getSiteSettings: Handler<Record<string, never>> = (_body, turn) => ok({ settings: readSettings(turn) });

/** Merges: a key set to null is removed. */
export const putSiteSettings: Handler<{ settings: Record<string, unknown> }> = (body, turn) => {
  for (const [key, value] of Object.entries(body.settings)) {
    if (value === null) turn.db.delete(siteSettings).where(eq(siteSettings.key, key)).run();
    else {
      const json = JSON.stringify(value);
      turn.db.insert(siteSettings).values({ key, value: json, updatedAt: turn.now }).onConflictDoUpdate({ target: siteSettings.key, set: { value: json, updatedAt: turn.now } }).run();
    }
  }
  contentChanged(turn, "settings", null);
  return ok({ settings: readSettings(turn) });
};
