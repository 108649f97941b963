import { type ActingStaff, auditEvent } from "../identity/index.ts";
import { type ActorKind, type Behavior, type Incoming, schemasOf } from "../runtime/actor.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { fail, type Outcome } from "../runtime/errors.ts";
import { pruneOutcomes, pruneSchedule } from "../runtime/journal-retention.ts";
import { insertOutboxEvents, POSTGRES_OUTBOX } from "../runtime/outbox-postgres.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { gameRegistryProtocol as protocol } from "./messages.ts";
import type { GameRegistry } from "./registry.ts";
import { REGISTRY_CHANGES, type RegistryChange } from "./registry-changes.ts";

export const REGISTRY_ADDRESS = "game_registry";

export type RegistryDeps = { store: CentralStore; registry: GameRegistry; relay?: Pick<OutboxRelay, "notify"> };

/**
 * The one writer of the global game registry. Each message is one central-store
 * transaction: the change, the audit of it (an `audit.recorded` event in the central outbox,
 * carried to identity), its journal entry (so a redelivery replays the outcome, a provider's
 * secret left out) and a bump of the registry version that every node's in-memory copy polls.
 */
export function gameRegistryKind(deps: RegistryDeps): ActorKind {
  return {
    domain: REGISTRY_ADDRESS,
    scope: "global",
    messages: schemasOf(protocol),
    create: () => registryBehavior(deps),
  };
}

function registryBehavior({ store, registry, relay }: RegistryDeps): Behavior {
  const pruneDue = pruneSchedule();
  return {
    recall: async (ids) => {
      const rows = await store.query<{ message_id: string; outcome: Outcome }>("select message_id, outcome from game_registry_journal where message_id = any($1::text[])", [ids]);
      return new Map(rows.map((r) => [r.message_id, typeof r.outcome === "string" ? JSON.parse(r.outcome) : r.outcome]));
    },
    receive: async (batch) => {
      const outcomes: Outcome[] = [];
      for (const message of batch) outcomes.push(await commit(store, message));
      if (outcomes.some((o) => o.ok)) {
        relay?.notify(POSTGRES_OUTBOX);
        await registry.reload();
      }
      // a pruning that fails waits for its next turn; the batch is done
      if (pruneDue(Date.now())) await pruneOutcomes(store, "game_registry_journal").catch(() => pruneDue.again());
      return outcomes;
    },
  };
}

async function commit(store: CentralStore, message: Incoming): Promise<Outcome> {
  const change = REGISTRY_CHANGES[message.type as keyof typeof REGISTRY_CHANGES] as ((tx: unknown, body: unknown) => Promise<RegistryChange>) | undefined;
  if (!change) return fail("unknown_message", `the game registry does not take ${message.type}`);
  return store.transaction(async (tx) => {
    const { outcome, audit } = await change(tx, message.body);
    if (outcome.ok) {
      await tx.query("insert into game_registry_version (id, version) values (1, 1) on conflict (id) do update set version = game_registry_version.version + 1");
      if (audit) {
        const event = auditEvent((message.body as { by: ActingStaff }).by, audit);
        await insertOutboxEvents(tx, [{ type: event.type, brand: audit.brand, payload: event.payload }]);
      }
    }
    await tx.query("insert into game_registry_journal (message_id, outcome) values ($1, $2::jsonb)", [message.id, JSON.stringify(journaled(outcome, message.type))]);
    return outcome;
  });
}

/**
 * What the journal keeps of an outcome: never a provider's secret. A registration or rotation
 * answers its secret once, to the asker; the same message delivered again answers that the
 * change was made and its secret is not kept (rotate it for a new one).
 */
export function journaled(outcome: Outcome, type: string): Outcome {
  if (!outcome.ok || typeof outcome.value !== "object" || outcome.value === null || !("secret" in outcome.value)) return outcome;
  const { provider } = outcome.value as { provider?: { code?: string } };
  return fail("conflict", `${type} of provider ${provider?.code ?? "?"} was made by this message; its secret was answered once and is not kept: rotate the secret for a new one`, {
    provider: provider ?? null,
  });
}
