import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { migrationsDir, migrationsTable, PG_DOMAINS } from "../../migrations/index.ts";
import type { CentralStore, QueryOptions, SqlExecutor, StoreTimeouts } from "./central-store-types.ts";
import { DependencyError } from "./failure-class.ts";
import { createLogger, type Logger } from "./log.ts";

const MIGRATION_LOCK = 7_400_113;
/** Reconnect attempts while PostgreSQL is away (postgres.js's own backoff reaches 20 s). */
const RECONNECT_MS = [25, 50, 100, 200, 400];
/**
 * The store closes after the node drained, so nothing should be in flight. A connection that
 * closed during a statement never ends by itself in postgres.js (3.4.9): the grace bounds it.
 */
const CLOSE_GRACE_SECONDS = 1;

/**
 * The central store on a PostgreSQL server through postgres.js (see `PostgresClients` for how
 * a lost connection is handled).
 */
export function openPostgres(url: string, max: number, timeouts: StoreTimeouts, log: Logger = createLogger("silent")): CentralStore {
  const clients = new PostgresClients(
    (onclose) =>
      postgres(url, {
        max,
        onnotice: () => {},
        onclose,
        prepare: true,
        types: { bigint: postgres.BigInt },
        connect_timeout: timeouts.connectSeconds,
        // seconds before reconnecting; `attempt` counts failed connects since the last good one, from 0
        backoff: (attempt) => RECONNECT_MS[Math.min(Math.max(attempt - 1, 0), RECONNECT_MS.length - 1)]! / 1000,
        // no idle or lifetime limit: a connection closes only when lost (or at the end)
        max_lifetime: null,
        connection: {
          lock_timeout: timeouts.lockMs,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
          statement_timeout: timeouts.statementMs,
        },
      }),
    log,
  );
  return {
    kind: "postgres",
    get db() {
      return clients.current.db;
    },
    query: (text, params, options) => clients.query(text, params, options),
    transaction: (fn) => clients.transaction(fn),
    migrate: () => migrateWithLock(url),
    close: () => clients.close(),
  };
}

/** One session holds an advisory lock, so nodes starting together migrate once. */
async function migrateWithLock(url: string): Promise<void> {
  const session = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await session`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const db = drizzle(session);
    for (const domain of PG_DOMAINS) {
      await migrate(db, { migrationsFolder: migrationsDir("pg", domain), migrationsTable: migrationsTable(domain) });
    }
  } finally {
    await session.end({ timeout: 5 });
  }
}

const unsafeQuery = async <T>(sql: postgres.Sql | postgres.TransactionSql, text: string, params: unknown[] = [], options: QueryOptions = {}) =>
  (await sql.unsafe(text, params as never[], { prepare: options.prepare === true })) as unknown as T[];

const connectionLost = () => Object.assign(new DependencyError("the PostgreSQL connection was lost"), { code: "CONNECTION_CLOSED" });

/** A postgres.js client and what the store knows of it. */
type Client = {
  client: postgres.Sql;
  db: PostgresJsDatabase;
  /** a statement succeeded on it: from now on a close is a lost connection, not a failed connect */
  served: boolean;
  /** one of its connections closed after it served: it takes no statement any more */
  lost: boolean;
  /** its end, once lost: every connection of it is terminated then, so it writes nothing more */
  ended?: Promise<void>;
};

/**
 * postgres.js clients, the current one replaced as soon as a connection of it is lost.
 *
 * postgres.js (3.4.9) keeps a connection object after its socket closed, and much of its
 * state with it: a statement sent on it later (a transaction's next statement, or
 * `sql.begin`'s own ROLLBACK or COMMIT once the callback settles) is written from a
 * `setImmediate` to a socket that is now null, a TypeError nobody can catch that ends the
 * process; a write still buffered at the close stays buffered and is sent before the next
 * connection's startup, so that connection cannot open; the next statement after a reconnect
 * can fail with the old session's error; and its reconnect backoff grows to 20 s.
 *
 * So once any connection of a client has closed (postgres.js reports each close,
 * synchronously, through `onclose`), no connection of that client is used again: a fresh
 * client takes every statement from then on, and the old one is ended at once (its
 * connections are terminated, and a terminated connection refuses statements without
 * writing). Until that end has happened, its transactions send nothing: their statements are
 * refused as a dependency failure, and a callback that settles waits for the end before
 * `sql.begin` may answer it. The price: statements in flight on the old client's other
 * connections fail too, and are retried as after any dependency failure. Closes before the
 * client ever served (connects refused while PostgreSQL is away) change nothing; no other
 * close is expected, as connections have no idle or lifetime limit.
 */
class PostgresClients {
  current: Client;
  private retired: Promise<void>[] = [];
  private closing = false;

  constructor(
    private open: (onclose: (connectionId: number) => void) => postgres.Sql,
    private log: Logger,
  ) {
    this.current = this.fresh();
  }

  async query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]> {
    const current = this.current;
    const rows = await unsafeQuery<T>(current.client, text, params, options);
    current.served = true;
    return rows;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const current = this.current;
    return current.client.begin(async (sql) => {
      current.served = true;
      const tx: SqlExecutor = { query: (text, params, options) => (current.lost ? Promise.reject(connectionLost()) : unsafeQuery(sql, text, params, options)) };
      try {
        const result = await fn(tx);
        if (current.lost) throw connectionLost();
        return result;
      } catch (error) {
        // sql.begin answers a failed callback with a ROLLBACK: only once nothing can write it to a closed socket
        if (current.lost) await current.ended;
        throw error;
      }
    }) as Promise<T>;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([this.current.client.end({ timeout: CLOSE_GRACE_SECONDS }), ...this.retired]);
  }

  private fresh(): Client {
    const client: Partial<Client> = { served: false, lost: false };
    client.client = this.open(() => this.lose(client as Client));
    // drizzle sets the client's date and JSON (de)serializers to pass text through, and every statement here expects that
    client.db = drizzle(client.client);
    return client as Client;
  }

  private lose(client: Client) {
    if (!client.served || client.lost || this.closing) return;
    client.lost = true;
    this.current = this.fresh();
    client.ended = client.client.end({ timeout: 0 }).catch(() => {});
    this.retired.push(client.ended);
    void client.ended.then(() => this.retired.splice(this.retired.indexOf(client.ended!), 1));
    this.log.warn("a PostgreSQL connection was lost; statements go to fresh connections");
  }
}
