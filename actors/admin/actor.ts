import { type BrandDirectory, brandSettings } from "../catalog/index.ts";
import { type ActingStaff, type AuditEntry, auditEvent } from "../identity/index.ts";
import type { ActorKind, Behavior, Incoming } from "../runtime/actor.ts";
import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import { type Outcome, ok } from "../runtime/errors.ts";
import { pruneOutcomes, pruneSchedule } from "../runtime/journal-retention.ts";
import type { Logger } from "../runtime/log.ts";
import { insertOutboxEvents, type OutboxEventInput, POSTGRES_OUTBOX } from "../runtime/outbox-postgres.ts";
import { ADMIN_COMMANDS, topInfoSchemas } from "./messages.ts";
import type { AdminOptions } from "./options.ts";
import { addPlayerNote, playerNotes } from "./player-notes.ts";
import { ADMIN_JOBS } from "./scheduler.ts";
import { type ItemKind, sameCounters, type TopInfoCounters, TopInfoItems } from "./top-info.ts";
import { effectOf } from "./top-info-events.ts";
import type { TopInfoHub } from "./top-info-hub.ts";

type Deps = {
  store: CentralStore;
  catalog: Pick<BrandDirectory, "get">;
  hub: TopInfoHub;
  options: AdminOptions;
  /** woken after a commit that wrote audit events to the central outbox */
  relay?: { notify(source?: string): void };
};

/** What one message decided: its outcome and, for a change staff made, the audit of it. */
type Decision = { outcome: Outcome; audit?: AuditEntry };

/**
 * `admin@<brand>`: the brand's top-info counters, a projection of domain events, and the
 * writer of staff notes on its players. It keeps the open items in memory and in
 * `top_info_items` (every change is a set insert or delete, so a redelivered event changes
 * nothing); staff commands journal their outcome and write their audit event in the turn's
 * transaction. After each turn it announces changed counters on the hub.
 */
export function topInfoKind(deps: Deps): ActorKind {
  return {
    domain: "admin",
    scope: "brand",
    messages: topInfoSchemas,
    maxBatch: 50,
    timers: [ADMIN_JOBS.dailyReset, ADMIN_JOBS.onlineExpiry],
    create: (ctx) => topInfoBehavior(ctx.brand!, ctx.address, deps, ctx.log),
  };
}

async function topInfoBehavior(brand: string, address: string, { store, catalog, hub, options, relay }: Deps, log: Logger): Promise<Behavior> {
  const timeZone = () => brandSettings(catalog.get(brand)).timezone;
  const items = new TopInfoItems(timeZone(), options.onlineMs);
  const rows = await store.query<{ kind: ItemKind; item_id: string; player_id: string | null; at: Date }>(
    "select kind, item_id, player_id, at from top_info_items where brand_id = $1",
    [brand],
  );
  for (const r of rows) items.set(r.kind, r.item_id, { playerId: r.player_id, at: new Date(r.at).getTime() });
  let announced: TopInfoCounters | undefined;
  let version = 0;

  const open = async (tx: SqlExecutor, kind: ItemKind, id: string, playerId: string | null, at: number) => {
    await tx.query(
      `insert into top_info_items (brand_id, kind, item_id, player_id, at) values ($1, $2, $3, $4, $5::timestamptz)
       on conflict (brand_id, kind, item_id) do update set at = excluded.at, player_id = excluded.player_id`,
      [brand, kind, id, playerId, new Date(at).toISOString()],
    );
    items.set(kind, id, { playerId, at });
  };
  const close = async (tx: SqlExecutor, kind: ItemKind, ids: string[]) => {
    if (ids.length === 0) return;
    await tx.query("delete from top_info_items where brand_id = $1 and kind = $2 and item_id = any($3::text[])", [brand, kind, ids]);
    for (const id of ids) items.delete(kind, id);
  };

  const decide = async (tx: SqlExecutor, m: Incoming<any>, now: number): Promise<Decision> => {
    if (m.type === "topInfo") return { outcome: ok({ counters: items.counters(now), version }) };
    if (m.type === "playerNotes") return { outcome: ok(await playerNotes(tx, brand, m.body)) };
    if (m.type === "addPlayerNote") {
      const note = await addPlayerNote(tx, brand, m.id, m.body, now);
      return { outcome: ok(note), audit: { action: "player.note", brand, target: `player:${note.playerId}`, after: note } };
    }
    if (m.type === "acknowledgeAlarms") {
      const ids = items.entries("alarm").map(([id]) => id);
      await close(tx, "alarm", ids);
      const cleared = { cleared: ids.length };
      const audit = { action: "top_info.acknowledge_alarms", brand, target: `brand:${brand}`, before: { reconciliationAlarms: ids.length }, after: cleared };
      return { outcome: ok(cleared), audit: ids.length > 0 ? audit : undefined };
    }
    if (m.type === "timer") {
      const stale = items.stale(now);
      for (const kind of new Set(stale.map((s) => s.kind)))
        await close(
          tx,
          kind,
          stale.filter((s) => s.kind === kind).map((s) => s.id),
        );
      return { outcome: ok({ dropped: stale.length }) };
    }
    const effect = effectOf(m.type, { eventId: m.id, at: m.body.at, payload: m.body.payload });
    if (!effect) return { outcome: ok({ ignored: true }) };
    if (effect.op === "open") await open(tx, effect.kind, effect.id, effect.playerId, m.body.at);
    else await close(tx, effect.kind, [effect.id]);
    return { outcome: ok({ applied: true }) };
  };

  /** Decide the batch in one transaction: commands journal their outcome, changes staff made their audit event. */
  const commit = (batch: Incoming[], now: number) =>
    store.transaction(async (tx) => {
      const outcomes: Outcome[] = [];
      const audits: OutboxEventInput[] = [];
      for (const m of batch) {
        const { outcome, audit } = await decide(tx, m, now);
        outcomes.push(outcome);
        if (audit) audits.push({ ...auditEvent((m.body as { by: ActingStaff }).by, audit), brand });
        if (ADMIN_COMMANDS.has(m.type)) await journal(tx, address, m.id, outcome);
      }
      await insertOutboxEvents(tx, audits);
      return { outcomes, audited: audits.length > 0 };
    });

  const pruneDue = pruneSchedule();
  return {
    recall: (ids) => recallOutcomes(store, address, ids),
    async receive(batch) {
      const timer = batch.find((m) => m.type === "timer");
      const now = timer ? Math.max(options.now(), (timer.body as { firedAt: number }).firedAt) : options.now();
      items.setTimeZone(timeZone());
      const { outcomes, audited } = await commit(batch, now);
      if (audited) relay?.notify(POSTGRES_OUTBOX);
      const counters = items.counters(now);
      if (!sameCounters(announced, counters)) {
        announced = counters;
        // a clock, so versions keep growing across restarts of the actor
        version = Math.max(Date.now(), version + 1);
        // a lost announcement only delays the screens until the next change; the counters are stored
        await hub.publish({ brand, counters, version, at: now }).catch((error) => log.warn("top-info announcement failed", { error }));
      }
      // a pruning that fails waits for its next turn; the batch is done
      if (pruneDue(Date.now())) await pruneOutcomes(store, "admin_outcomes", address).catch(() => pruneDue.again());
      return outcomes;
    },
  };
}

function journal(tx: SqlExecutor, address: string, id: string, outcome: Outcome) {
  return tx.query("insert into admin_outcomes (address, message_id, outcome) values ($1, $2, $3::jsonb) on conflict do nothing", [address, id, JSON.stringify(outcome)]);
}

async function recallOutcomes(store: CentralStore, address: string, ids: string[]): Promise<Map<string, Outcome>> {
  const rows = await store.query<{ message_id: string; outcome: Outcome }>("select message_id, outcome from admin_outcomes where address = $1 and message_id = any($2::text[])", [
    address,
    ids,
  ]);
  return new Map(rows.map((r) => [r.message_id, r.outcome]));
}
