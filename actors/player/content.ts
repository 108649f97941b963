import { and, asc, desc, eq } from "drizzle-orm";
import { fail, ok } from "../runtime/errors.ts";
import { PLAYER_EVENTS } from "./events.ts";
import type { PlayerBody } from "./messages.ts";
import { offsetOf, offsetPage } from "./pages.ts";
import { siteContent, siteSettings } from "./schema.ts";
import { audited } from "./staff-audit.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

/** The brand site's public content (notices, banners, FAQ) and visitor-facing settings. */

type ContentRow = typeof siteContent.$inferSelect;

/** In the order the site shows them (by `sort`, newest first within one), so the cursor is an offset. */
export const listContent: Handler<PlayerBody<"listContent">> = (body, turn) => {
  const where = body.includeHidden ? eq(siteContent.kind, body.kind) : and(eq(siteContent.kind, body.kind), eq(siteContent.published, true));
  const rows = turn.db
    .select()
    .from(siteContent)
    .where(where)
    .orderBy(asc(siteContent.sort), desc(siteContent.id))
    .limit(body.limit + 1)
    .offset(offsetOf(body))
    .all();
  return ok(offsetPage(rows, body));
};

/** Creates (no `id`) or replaces a notice, banner or FAQ entry. */
export const putContent: Handler<PlayerBody<"putContent">> = (body, turn) => {
  const { id, by, ...fields } = body;
  const values = { ...fields, imageUrl: fields.imageUrl ?? null, linkUrl: fields.linkUrl ?? null, category: fields.category ?? null, updatedAt: turn.now };
  if (id === undefined) {
    const created = turn.db
      .insert(siteContent)
      .values({ ...values, createdAt: turn.now })
      .returning()
      .get();
    contentChanged(turn, created.kind, created.id);
    audited(turn, by, { action: "content.create", target: `${created.kind}:${created.id}`, after: created });
    return ok(created);
  }
  // an entry keeps its kind: a banner is not replaced through the notices
  const before = turn.db
    .select()
    .from(siteContent)
    .where(and(eq(siteContent.id, id), eq(siteContent.kind, body.kind)))
    .get();
  if (!before) return fail("content_not_found", `no ${body.kind} ${id}`);
  const after: ContentRow = turn.db.update(siteContent).set(values).where(eq(siteContent.id, id)).returning().get()!;
  contentChanged(turn, after.kind, after.id);
  audited(turn, by, { action: "content.update", target: `${after.kind}:${after.id}`, before, after });
  return ok(after);
};

export const deleteContent: Handler<PlayerBody<"deleteContent">> = (body, turn) => {
  const row = turn.db
    .delete(siteContent)
    .where(and(eq(siteContent.id, body.id), body.kind ? eq(siteContent.kind, body.kind) : undefined))
    .returning()
    .get();
  if (!row) return ok({ deleted: false });
  contentChanged(turn, row.kind, row.id);
  audited(turn, body.by, { action: "content.delete", target: `${row.kind}:${row.id}`, before: row });
  return ok({ deleted: true });
};

function contentChanged(turn: PlayerTurn, kind: string, id: number | null) {
  turn.emit({ type: PLAYER_EVENTS.contentChanged, payload: { kind, id } });
}

function readSettings(turn: PlayerTurn): Record<string, unknown> {
  const rows = turn.db.select().from(siteSettings).orderBy(asc(siteSettings.key)).all();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
}

export const getSiteSettings: Handler<PlayerBody<"siteSettings">> = (_body, turn) => ok({ settings: readSettings(turn) });

/** Merges: a key set to null is removed. */
export const putSiteSettings: Handler<PlayerBody<"putSiteSettings">> = (body, turn) => {
  const before = readSettings(turn);
  for (const [key, value] of Object.entries(body.settings)) {
    if (value === null) turn.db.delete(siteSettings).where(eq(siteSettings.key, key)).run();
    else {
      const json = JSON.stringify(value);
      turn.db
        .insert(siteSettings)
        .values({ key, value: json, updatedAt: turn.now })
        .onConflictDoUpdate({ target: siteSettings.key, set: { value: json, updatedAt: turn.now } })
        .run();
    }
  }
  const after = readSettings(turn);
  contentChanged(turn, "settings", null);
  audited(turn, body.by, { action: "content.site_settings", target: `brand:${turn.brand}`, before, after });
  return ok({ settings: after });
};
