import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";

import { PG_DOMAINS, migrationsDir, migrationsTable } from "../../migrations/index.ts";

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

export async function openCentralStore(options: { databaseUrl?: string; dataDir: string; max?: number; timeouts?: Partial<StoreTimeouts> }): Promise<CentralStore> {
  const timeouts = { ...DEFAULT_STORE_TIMEOUTS, ...options.timeouts };
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.max ?? 10, timeouts) : openPglite(join(options.dataDir, "pglite"));
}

// 64-bit integers (int8, count(*), sums of bigint) come back as bigint from both drivers.
const INT8 = 20;
const MIGRATION_LOCK = 7_400_113;

function openPostgres(url: string, max: number, timeouts: StoreTimeouts): CentralStore {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    prepare: true,
    types: { bigint: postgres.BigInt },
    connect_timeout: timeouts.connectSeconds,
    connection: {
      lock_timeout: timeouts.lockMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      statement_timeout: timeouts.statementMs,
    },
  });
  const db = drizzlePostgres(client);
  const executor = (sql: postgres.Sql | postgres.TransactionSql): SqlExecutor => ({
    query: async <T>(text: string, params: unknown[] = [], options: QueryOptions = {}) =>
      (await sql.unsafe(text, params as never[], { prepare: options.prepare === true })) as unknown as T[],
  });
  return {
    kind: "postgres",
    db,
    ...executor(client),
    transaction: (fn) => client.begin((tx) => fn(executor(tx))) as never,
    migrate: async () => {
      // one session holds the advisory lock so nodes starting together migrate once
      const session = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await session`select pg_advisory_lock(${MIGRATION_LOCK})`;
        const db = drizzlePostgres(session);
        for (const domain of PG_DOMAINS) {
          await migratePostgres(db, { migrationsFolder: migrationsDir("pg", domain), migrationsTable: migrationsTable(domain) });
        }
      } finally {
        await session.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dir: string): Promise<CentralStore> {
  mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir, { parsers: { [INT8]: (v: string) => BigInt(v) } });
  const db = drizzlePglite(pg);
  const executor = (q: Pick<PGlite, "query">): SqlExecutor => ({
    query: async <T>(text: string, params: unknown[] = []) => (await q.query<T>(text, params)).rows,
  });
  return {
    kind: "pglite",
    db,
    ...executor(pg),
    transaction: (fn) => pg.transaction((tx) => fn(executor(tx))),
    migrate: async () => {
      for (const domain of PG_DOMAINS) {
        await migratePglite(db, { migrationsFolder: migrationsDir("pg", domain), migrationsTable: migrationsTable(domain) });
      }
    },
    close: () => pg.close(),
  };
}
