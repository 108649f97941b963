import type { Behavior, Incoming } from "../actors/runtime/actor.ts";
import type { Outcome } from "../actors/runtime/errors.ts";
import { JOURNAL_PRUNE_ROWS, JOURNAL_RETENTION_MS, pruneSchedule } from "../actors/runtime/journal-retention.ts";
import type { Shard } from "./index.ts";

export type ShardEvent = { type: string; payload: unknown; eventId?: string };

/** What a shard actor's handler may do inside its transaction. */
export type ShardTurn = {
  shard: Shard;
  /** Write an event to the shard outbox in the same transaction. */
  emit(event: ShardEvent): void;
  now: number;
};

/**
 * A Behavior for actors whose state is the brand's shard. Each message is handled
 * synchronously inside one SQLite transaction per batch; a refused message's writes are
 * rolled back to its savepoint, its outcome is journaled all the same. Once an hour a batch
 * also drops this actor's journal rows past the retention (JOURNAL_RETENTION_MS).
 */
export function journaledBehavior(
  shard: Shard,
  address: string,
  handle: (message: Incoming, turn: ShardTurn) => Outcome,
  options: {
    passivate?: () => Promise<void>;
    /** called after a batch that emitted events committed (e.g. wake the outbox relay) */
    emitted?: () => void;
    /** called inside the batch's transaction after its last message (e.g. to write one event for many changes) */
    afterBatch?: (turn: ShardTurn) => void;
  } = {},
): Behavior {
  const sqlite = shard.sqlite;
  const findOutcome = sqlite.query<{ outcome: string }, [string, string]>("select outcome from actor_journal where address = ? and message_id = ?");
  const journal = sqlite.query("insert into actor_journal (address, message_id, outcome, at) values (?, ?, ?, ?)");
  const outbox = sqlite.query("insert into outbox (event_id, type, payload, at) values (?, ?, ?, ?)");
  const prune = sqlite.query(`delete from actor_journal where rowid in (select rowid from actor_journal where address = ? and at < ? limit ${JOURNAL_PRUNE_ROWS})`);
  const pruneDue = pruneSchedule();

  let emittedInBatch = false;
  const turnAt = (now: number): ShardTurn => ({
    shard,
    now,
    emit: (e) => {
      outbox.run(e.eventId ?? crypto.randomUUID(), e.type, JSON.stringify(e.payload, bigintJson), now);
      emittedInBatch = true;
    },
  });
  const runOne = (message: Incoming, now: number): Outcome => {
    sqlite.exec("SAVEPOINT message");
    try {
      const outcome = handle(message, turnAt(now));
      if (!outcome.ok) sqlite.exec("ROLLBACK TO message");
      sqlite.exec("RELEASE message");
      journal.run(address, message.id, JSON.stringify(outcome, bigintJson), now);
      return outcome;
    } catch (error) {
      sqlite.exec("ROLLBACK TO message");
      sqlite.exec("RELEASE message");
      throw error;
    }
  };
  const runBatch = sqlite.transaction((batch: Incoming[], now: number) => {
    const outcomes = batch.map((m) => runOne(m, now));
    options.afterBatch?.(turnAt(now));
    // a full round of deletes leaves more: the next batch goes on
    if (pruneDue(now) && prune.run(address, now - JOURNAL_RETENTION_MS).changes >= JOURNAL_PRUNE_ROWS) pruneDue.again();
    return outcomes;
  });

  return {
    recall: async (ids) => {
      const found = new Map<string, Outcome>();
      for (const id of ids) {
        const row = findOutcome.get(address, id);
        if (row) found.set(id, JSON.parse(row.outcome));
      }
      return found;
    },
    receive: async (batch) => {
      emittedInBatch = false;
      const outcomes = runBatch(batch, Date.now());
      if (emittedInBatch) options.emitted?.();
      return outcomes;
    },
    passivate: options.passivate,
  };
}

function bigintJson(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * A shard actor's behavior that answers its queries directly (not journaled: nothing to
 * dedupe, and a journal of reads would only grow) and hands its commands, in order, to the
 * journaled behavior: all of a batch's commands in one transaction, then its queries, which
 * see them. With `inOrder`, a query sees only the commands before it (the commands ahead of it
 * commit first, so the batch may take several transactions). `before` runs before each batch
 * (clearing what a failed batch left); `committed` after each run of commands commits.
 */
export function answeringQueries(
  commands: Behavior,
  options: {
    isQuery: (type: string) => boolean;
    query: (message: Incoming) => Outcome;
    inOrder?: boolean;
    before?: () => void;
    committed?: (writes: Incoming[]) => void;
  },
): Behavior {
  const run = async (writes: Incoming[]) => {
    if (writes.length === 0) return [];
    const outcomes = await commands.receive(writes);
    options.committed?.(writes);
    return outcomes;
  };
  return {
    recall: (ids) => commands.recall(ids),
    passivate: commands.passivate,
    receive: async (batch) => {
      options.before?.();
      if (!options.inOrder) {
        const written = await run(batch.filter((m) => !options.isQuery(m.type)));
        let next = 0;
        return batch.map((m) => (options.isQuery(m.type) ? options.query(m) : written[next++]!));
      }
      const outcomes: Outcome[] = [];
      let writes: Incoming[] = [];
      for (const m of batch) {
        if (!options.isQuery(m.type)) writes.push(m);
        else {
          outcomes.push(...(await run(writes)), options.query(m));
          writes = [];
        }
      }
      outcomes.push(...(await run(writes)));
      return outcomes;
    },
  };
}
