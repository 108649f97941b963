import { type ActingStaff, auditEvent } from "../identity/index.ts";
import type { ActorKind, Behavior, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";
import { pruneOutcomes, pruneSchedule } from "../runtime/journal-retention.ts";
import { insertOutboxEvents, POSTGRES_OUTBOX } from "../runtime/outbox-postgres.ts";
import type { BrandCatalog } from "./catalog.ts";
import { type Decision, decideCatalogCommand } from "./catalog-commands.ts";
import { catalogProtocol } from "./messages.ts";

export const CATALOG_ADDRESS = "catalog";

// one catalog writer at a time across nodes: every node hosts the global actor
const WRITER_LOCK = 7_400_201;

export type CatalogDeps = {
  store: CentralStore;
  catalog: BrandCatalog;
  /** woken after a commit that wrote audit events to the central outbox */
  relay?: { notify(source?: string): void };
};

/**
 * `catalog`: the global actor that is the one writer of the brand catalog. Each command, its
 * audit event (to the central outbox) and its outcome (in `catalog_outcomes`) commit in one
 * transaction, so a message delivered again after a crash gets its first reply. After the
 * commit it announces the change, which reloads every node's copy (and so every edge's
 * brand resolution) without a restart.
 */
export function catalogKind(deps: CatalogDeps): ActorKind {
  return {
    domain: "catalog",
    scope: "global",
    messages: schemasOf(catalogProtocol),
    create: async (ctx) => {
      // a predecessor may have committed a change and crashed before announcing it
      await deps.catalog.announce();
      return catalogBehavior(deps);
    },
  };
}

/** A refusal thrown out of the transaction, so whatever the command wrote rolls back. */
class Refused extends Error {
  constructor(readonly outcome: Outcome) {
    super("refused");
  }
}

function catalogBehavior({ store, catalog, relay }: CatalogDeps): Behavior {
  const record = (db: SqlExecutor, id: string, outcome: Outcome) =>
    db.query("insert into catalog_outcomes (message_id, outcome) values ($1, $2::jsonb) on conflict do nothing", [id, JSON.stringify(outcome)]);
  const pruneDue = pruneSchedule();

  const commit = async (m: Incoming): Promise<{ outcome: Outcome; changed: boolean }> => {
    try {
      return await store.transaction(async (tx) => {
        await tx.query("select pg_advisory_xact_lock($1)", [WRITER_LOCK]);
        const decision: Decision = await decideCatalogCommand(tx, m.type, m.body);
        if (!decision.outcome.ok) throw new Refused(decision.outcome);
        if (decision.audit) {
          const by = (m.body as { by: ActingStaff }).by;
          const { type, payload } = auditEvent(by, decision.audit);
          await insertOutboxEvents(tx, [{ type, brand: decision.audit.brand, payload }]);
        }
        await record(tx, m.id, decision.outcome);
        return { outcome: decision.outcome, changed: true };
      });
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      // a refusal changed nothing: its outcome is all there is to keep
      await record(store, m.id, error.outcome);
      return { outcome: error.outcome, changed: false };
    }
  };

  return {
    async recall(ids) {
      const found = await store.query<{ message_id: string; outcome: Outcome }>("select message_id, outcome from catalog_outcomes where message_id = any($1::text[])", [ids]);
      return new Map(found.map((r) => [r.message_id, r.outcome]));
    },
    async receive(batch) {
      const outcomes: Outcome[] = [];
      let changed = false;
      for (const m of batch) {
        const done = await commit(m);
        outcomes.push(done.outcome);
        changed ||= done.changed;
      }
      if (changed) {
        relay?.notify(POSTGRES_OUTBOX);
        await catalog.announce();
      }
      // a pruning that fails waits for its next turn; the batch is done
      if (pruneDue(Date.now())) await pruneOutcomes(store, "catalog_outcomes").catch(() => pruneDue.again());
      return outcomes;
    },
  };
}
