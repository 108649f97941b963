import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";

import { migrationsDir, migrationsTable, PG_DOMAINS } from "../../migrations/index.ts";
import { openPostgres } from "./central-store-postgres.ts";
import { type CentralStore, DEFAULT_STORE_TIMEOUTS, type SqlExecutor, type StoreTimeouts } from "./central-store-types.ts";
import type { Logger } from "./log.ts";

export type { CentralStore, QueryOptions, SqlExecutor, StoreTimeouts } from "./central-store-types.ts";
export { DEFAULT_STORE_TIMEOUTS } from "./central-store-types.ts";

export async function openCentralStore(options: { databaseUrl?: string; dataDir: string; max?: number; timeouts?: Partial<StoreTimeouts>; log?: Logger }): Promise<CentralStore> {
  const timeouts = { ...DEFAULT_STORE_TIMEOUTS, ...options.timeouts };
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.max ?? 10, timeouts, options.log) : openPglite(join(options.dataDir, "pglite"));
}

// 64-bit integers (int8, count(*), sums of bigint) come back as bigint from both drivers.
const INT8 = 20;

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
