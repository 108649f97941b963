import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";

/** The identity actor's journal: each message id with its outcome, written in the turn's transaction. */
export function identityOutcomes(store: CentralStore, address: string) {
  return {
    async recall(ids: string[]): Promise<Map<string, Outcome>> {
      if (ids.length === 0) return new Map();
      const rows = await store.query<{ message_id: string; outcome: Outcome }>(
        "select message_id, outcome from identity_outcomes where address = $1 and message_id = any($2::text[])",
        [address, ids],
      );
      return new Map(rows.map((r) => [r.message_id, r.outcome]));
    },
    async record(tx: SqlExecutor, id: string, outcome: Outcome): Promise<void> {
      await tx.query("insert into identity_outcomes (address, message_id, outcome) values ($1, $2, $3::jsonb)", [address, id, JSON.stringify(outcome)]);
    },
  };
}
