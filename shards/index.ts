import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { brandIdSchema } from "../actors/runtime/address.ts";

import { migrationsDir, migrationsTable, SHARD_DOMAINS } from "../migrations/index.ts";

/** An open brand shard: the raw bun:sqlite handle and drizzle over it. */
export type Shard = { brand: string; sqlite: Database; db: BunSQLiteDatabase; path: string };

/** Open a brand's SQLite file (WAL, foreign keys, busy timeout) and migrate it. */
export function openShard(dataDir: string, brand: string): Shard {
  const id = brandIdSchema.parse(brand);
  const dir = join(dataDir, "shards");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.sqlite`);
  const sqlite = new Database(path, { create: true, strict: true });
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA foreign_keys = ON");
  // bun:sqlite waits synchronously: a lock held elsewhere (a former holder of the brand during a
  // handover) stalls the event loop only briefly, then fails as a dependency wait the runtime retries
  sqlite.exec("PRAGMA busy_timeout = 250");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  const db = drizzle(sqlite);
  for (const domain of SHARD_DOMAINS) {
    migrate(db, { migrationsFolder: migrationsDir("shard", domain), migrationsTable: migrationsTable(domain) });
  }
  return { brand: id, sqlite, db, path };
}

type Held = { shard: Shard; users: number; lastUsed: number };

/**
 * The node's open shards. Actors `acquire` a brand's shard when they wake and `release` it
 * when they passivate; a shard nobody holds is closed after `idleMs`, unless its outbox still
 * holds events the relay has not published (the relay reads only open shards: closing it
 * would leave them until one of the brand's actors wakes).
 */
export class ShardPool {
  private held = new Map<string, Held>();
  private openListeners = new Set<(shard: Shard) => void>();
  private sweeper: ReturnType<typeof setInterval>;

  constructor(
    readonly dataDir: string,
    private idleMs: number,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(1000, Math.floor(idleMs / 2)));
    this.sweeper.unref?.();
  }

  acquire(brand: string): Shard {
    let h = this.held.get(brand);
    if (!h) {
      this.held.set(brand, (h = { shard: openShard(this.dataDir, brand), users: 0, lastUsed: Date.now() }));
      for (const listener of this.openListeners) listener(h.shard);
    }
    h.users += 1;
    h.lastUsed = Date.now();
    return h.shard;
  }

  release(brand: string) {
    const h = this.held.get(brand);
    if (!h) return;
    h.users = Math.max(0, h.users - 1);
    h.lastUsed = Date.now();
  }

  /** The brand's shard if it is open now; never opens one. */
  peek(brand: string): Shard | undefined {
    return this.held.get(brand)?.shard;
  }

  /** Called with each shard this pool opens (e.g. to relay what its outbox still holds). */
  onOpen(listener: (shard: Shard) => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /** Close the brand's shard now if no actor holds it (its actors moved to another node). */
  drop(brand: string): boolean {
    const h = this.held.get(brand);
    if (!h || h.users > 0) return false;
    h.shard.sqlite.close();
    this.held.delete(brand);
    return true;
  }

  openCount(): number {
    return this.held.size;
  }

  closeIdle(now = Date.now()): number {
    let closed = 0;
    for (const [brand, h] of this.held) {
      if (h.users > 0 || now - h.lastUsed < this.idleMs || holdsUnrelayed(h.shard)) continue;
      h.shard.sqlite.close();
      this.held.delete(brand);
      closed += 1;
    }
    return closed;
  }

  close() {
    clearInterval(this.sweeper);
    for (const h of this.held.values()) h.shard.sqlite.close();
    this.held.clear();
  }
}

/** Whether the shard's outbox has an event not yet relayed. */
function holdsUnrelayed(shard: Shard): boolean {
  return shard.sqlite.query("select 1 from outbox where relayed_at is null limit 1").get() !== null;
}
