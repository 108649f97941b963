import { auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { RECON_EVENTS } from "./events.ts";
import { isoOrNull } from "./message-rows.ts";
import { type Body, type SourceSettings, type SourceView, storedSettings } from "./messages.ts";
import type { ReconTurn } from "./turn.ts";

type SourceRow = {
  id: string;
  kind: SourceView["kind"];
  label: string;
  status: SourceView["status"];
  secret: string;
  secret_version: number;
  settings: string;
  cursor: string | null;
  connected: number;
  failures: number;
  down: number;
  last_message_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  created_at: number;
  updated_at: number;
};

/**
 * Source configurations and their loops' health. Secrets arrive sealed (the edge seals them
 * with the node's recon key) and leave only sealed, to the loops and the webhook check: no
 * view, reply, audit or log carries one.
 */
export function createSource(turn: ReconTurn, body: Body<"createSource">): Outcome {
  if (sourceRow(turn, body.sourceId)) return fail("conflict", `recon source ${body.sourceId} exists`);
  turn.sqlite
    .query("insert into recon_sources (id, kind, label, status, secret, settings, created_at, updated_at) values (?, ?, ?, 'active', ?, ?, ?, ?)")
    .run(body.sourceId, body.kind, body.label, body.secret, JSON.stringify(body.settings), turn.now, turn.now);
  const after = sourceView(sourceRow(turn, body.sourceId)!);
  turn.emit(auditEvent(body.by, { action: "recon.source.create", brand: turn.brand, target: `recon_source:${body.sourceId}`, after }));
  return ok(after);
}

export function updateSource(turn: ReconTurn, body: Body<"updateSource">): Outcome {
  const row = sourceRow(turn, body.sourceId);
  if (!row) return fail("recon_source_not_found", `no recon source ${body.sourceId}`);
  const before = sourceView(row);
  if (body.settings && body.settings.mode !== before.settings.mode) {
    return fail("invalid_state", `source ${row.id} takes ${before.settings.mode}; a source's mode is set when it is made: add another source`);
  }
  turn.sqlite
    .query("update recon_sources set label = ?, status = ?, settings = ?, updated_at = ? where id = ?")
    .run(body.label ?? row.label, body.status ?? row.status, body.settings ? JSON.stringify(body.settings) : row.settings, turn.now, row.id);
  const after = sourceView(sourceRow(turn, row.id)!);
  // a paused loop is no outage: its alarm, if any, ends
  if (after.status === "paused" && row.down === 1) loopUp(turn, row.id);
  turn.emit(auditEvent(body.by, { action: "recon.source.update", brand: turn.brand, target: `recon_source:${row.id}`, before, after }));
  return ok(after);
}

/** A new secret; a Telegram bot's offset belongs to the old bot, so it starts over. */
export function rotateSecret(turn: ReconTurn, body: Body<"rotateSecret">): Outcome {
  const row = sourceRow(turn, body.sourceId);
  if (!row) return fail("recon_source_not_found", `no recon source ${body.sourceId}`);
  turn.sqlite
    .query("update recon_sources set secret = ?, secret_version = secret_version + 1, cursor = case when kind = 'telegram' then null else cursor end, updated_at = ? where id = ?")
    .run(body.secret, turn.now, row.id);
  const after = sourceRow(turn, row.id)!;
  turn.emit(
    auditEvent(body.by, {
      action: "recon.source.rotate_secret",
      brand: turn.brand,
      target: `recon_source:${row.id}`,
      before: { secretVersion: row.secret_version },
      after: { secretVersion: after.secret_version },
    }),
  );
  return ok(sourceView(after));
}

/**
 * A loop's report. Failures in a row past the rule make the source down (one
 * `recon.loop_down`, the top-info alarm); reaching the upstream again ends it (`recon.loop_up`).
 */
export function loopStatus(turn: ReconTurn, body: Body<"loopStatus">): Outcome {
  const row = sourceRow(turn, body.sourceId);
  if (!row) return ok({ down: false });
  if (body.connected) {
    turn.sqlite.query("update recon_sources set connected = 1, failures = 0, status_at = ? where id = ?").run(body.at, row.id);
    if (row.down === 1) loopUp(turn, row.id);
    return ok({ down: false });
  }
  const failures = row.failures + 1;
  const down = row.down === 1 || failures >= turn.rules.downAfterFailures;
  turn.sqlite
    .query(
      "update recon_sources set connected = 0, failures = ?, down = ?, last_error = coalesce(?, last_error), last_error_at = case when ? is null then last_error_at else ? end, status_at = ? where id = ?",
    )
    .run(failures, down ? 1 : 0, body.error, body.error, body.at, body.at, row.id);
  if (down && row.down === 0) turn.emit({ type: RECON_EVENTS.loopDown, payload: { brand: turn.brand, sourceId: row.id, kind: row.kind, error: body.error } });
  return ok({ down });
}

function loopUp(turn: ReconTurn, id: string) {
  turn.sqlite.query("update recon_sources set down = 0 where id = ?").run(id);
  turn.emit({ type: RECON_EVENTS.loopUp, payload: { brand: turn.brand, sourceId: id } });
}

export function listSources(turn: ReconTurn): Outcome {
  return ok({ items: allRows(turn).map(sourceView) });
}

export function intakeSources(turn: ReconTurn): Outcome {
  const items = allRows(turn)
    .map((r) => ({ id: r.id, kind: r.kind, status: r.status, secret: r.secret, secretVersion: r.secret_version, settings: settingsOf(r), cursor: r.cursor }))
    // pushed sources (webhooks, Telegram in webhook mode) have no loop
    .filter((r) => r.status === "active" && r.kind !== "webhook" && r.settings.mode !== "webhook")
    .map(({ status, ...source }) => source);
  return ok({ items });
}

export function webhookSource(turn: ReconTurn, body: Body<"webhookSource">): Outcome {
  const row = sourceRow(turn, body.sourceId);
  if (!row) return fail("recon_source_not_found", `no recon source ${body.sourceId}`);
  return ok({ id: row.id, kind: row.kind, status: row.status, secret: row.secret, settings: settingsOf(row) });
}

function allRows(turn: ReconTurn): SourceRow[] {
  return turn.sqlite.query<SourceRow, []>("select * from recon_sources order by created_at, id").all();
}

function sourceRow(turn: ReconTurn, id: string): SourceRow | null {
  return turn.sqlite.query<SourceRow, [string]>("select * from recon_sources where id = ?").get(id);
}

/** A source's settings with today's defaults (a setting added since it was stored reads as its default). */
function settingsOf(r: Pick<SourceRow, "settings">): SourceSettings {
  return storedSettings(r.settings);
}

function sourceView(r: SourceRow): SourceView {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    status: r.status,
    settings: settingsOf(r),
    secretVersion: r.secret_version,
    loop: {
      connected: r.connected === 1,
      down: r.down === 1,
      failures: r.failures,
      lastMessageAt: isoOrNull(r.last_message_at),
      lastError: r.last_error,
      lastErrorAt: isoOrNull(r.last_error_at),
    },
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
