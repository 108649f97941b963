import type { ActorKind, Behavior, Incoming } from "../runtime/actor.ts";
import type { BrandCatalog } from "../catalog/index.ts";
import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import { ok, type Outcome } from "../runtime/errors.ts";
import type { Logger } from "../runtime/log.ts";
import type { AdminOptions } from "./options.ts";
import { ADMIN_JOBS } from "./scheduler.ts";
import { effectOf } from "./top-info-events.ts";
import type { TopInfoHub } from "./top-info-hub.ts";
import { isTimeZone, sameCounters, TopInfoItems, type ItemKind, type TopInfoCounters } from "./top-info.ts";
import { topInfoSchemas } from "./messages.ts";
import { addPlayerNote, playerNotes } from "./player-notes.ts";

type Deps = { store: CentralStore; catalog: BrandCatalog; hub: TopInfoHub; options: AdminOptions };

/**
 * `admin@<brand>`: the brand's top-info counters, a projection of domain events, and the
 * writer of staff notes on its players. It keeps the
 * open items in memory and in `top_info_items` (every change is a set insert or delete, so a
 * redelivered event changes nothing), and after each turn announces changed counters on the hub.
 */
export function topInfoKind(deps: Deps): ActorKind {
  return {
    domain: "admin",
    scope: "brand",
    messages: topInfoSchemas,
    maxBatch: 50,
    timers: [ADMIN_JOBS.dailyReset, ADMIN_JOBS.onlineExpiry],
    create: (ctx) => topInfoBehavior(ctx.brand!, deps, ctx.log),
  };
}

async function topInfoBehavior(brand: string, { store, catalog, hub, options }: Deps, log: Logger): Promise<Behavior> {
  const timeZone = () => {
    const configured = catalog.get(brand)?.config.timezone;
    return isTimeZone(configured) ? configured : options.defaultTimeZone;
  };
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

  const decide = async (tx: SqlExecutor, m: Incoming<any>, now: number): Promise<Outcome> => {
    if (m.type === "topInfo") return ok({ counters: items.counters(now), version });
    if (m.type === "addPlayerNote") return ok(await addPlayerNote(tx, brand, m.id, m.body, now));
    if (m.type === "playerNotes") return ok({ items: await playerNotes(tx, brand, m.body.playerId) });
    if (m.type === "acknowledgeAlarms") {
      const ids = items.entries("alarm").map(([id]) => id);
      await close(tx, "alarm", ids);
      return ok({ cleared: ids.length });
    }
    if (m.type === "timer") {
      const stale = items.stale(now);
      for (const kind of new Set(stale.map((s) => s.kind))) await close(tx, kind, stale.filter((s) => s.kind === kind).map((s) => s.id));
      return ok({ dropped: stale.length });
    }
    const effect = effectOf(m.type, { eventId: m.id, at: m.body.at, payload: m.body.payload });
    if (!effect) return ok({ ignored: true });
    if (effect.op === "open") await open(tx, effect.kind, effect.id, effect.playerId, m.body.at);
    else await close(tx, effect.kind, [effect.id]);
    return ok({ applied: true });
  };

  return {
    // every change is idempotent by construction: nothing to recall
    recall: async () => new Map(),
    async receive(batch) {
      const timer = batch.find((m) => m.type === "timer");
      const now = timer ? Math.max(options.now(), (timer.body as { firedAt: number }).firedAt) : options.now();
      items.setTimeZone(timeZone());
      const outcomes = await store.transaction(async (tx) => {
        const out: Outcome[] = [];
        for (const m of batch) out.push(await decide(tx, m, now));
        return out;
      });
      const counters = items.counters(now);
      if (!sameCounters(announced, counters)) {
        announced = counters;
        // a clock, so versions keep growing across restarts of the actor
        version = Math.max(Date.now(), version + 1);
        // a lost announcement only delays the screens until the next change; the counters are stored
        await hub.publish({ brand, counters, version, at: now }).catch((error) => log.warn("top-info announcement failed", { error }));
      }
      return outcomes;
    },
  };
}
