import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** Parametrized SQL ($1, $2, ...) against the central store or inside one of its transactions. */
export type SqlExecutor = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
};

/**
 * `prepare`: a named statement, planned once per connection (PostgreSQL keeps a generic plan
 * when it is no worse), for the hot path's fixed statements; never for text built per call.
 */
export type QueryOptions = { prepare?: boolean };

/**
 * The central store: PostgreSQL through postgres.js, or PGlite (real Postgres in process)
 * under DATA_DIR when no DATABASE_URL is given. Same SQL, same migrations, same tests.
 */
export interface CentralStore extends SqlExecutor {
  readonly kind: "postgres" | "pglite";
  // drizzle's two drivers share the PgDatabase surface
  readonly db: PgDatabase<PgQueryResultHKT>;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Bounds on every session of the PostgreSQL server, so no wait outlasts an outage or a paused
 * peer: a lock wait fails after `lockMs` (the turn retries, as after any dependency failure),
 * the server ends a session idle inside a transaction after `idleInTransactionMs` (a paused or
 * cut-off wallet writer loses its epoch row within it, and commits nothing), and no statement
 * runs past `statementMs`. PGlite has no other session to wait for.
 */
export type StoreTimeouts = { lockMs: number; idleInTransactionMs: number; statementMs: number; connectSeconds: number };

export const DEFAULT_STORE_TIMEOUTS: StoreTimeouts = { lockMs: 3000, idleInTransactionMs: 3000, statementMs: 30_000, connectSeconds: 5 };
