import { expect, test } from "bun:test";
import { ShardPool } from "../../shards/index.ts";
import { tempDir, uniqueBrand } from "../support/services.ts";

test("an idle shard closes, unless its outbox holds an event the relay has not published", () => {
  const pool = new ShardPool(tempDir("pool"), 1000);
  try {
    const [quiet, pending] = [uniqueBrand(), uniqueBrand()];
    pool.acquire(quiet);
    const shard = pool.acquire(pending);
    shard.sqlite.query("insert into outbox (event_id, type, payload, at) values ('e1', 'player.registered', '{}', 0)").run();
    pool.release(quiet);
    pool.release(pending);
    const later = Date.now() + 5000;
    expect(pool.closeIdle(later)).toBe(1);
    expect(pool.peek(quiet)).toBeUndefined();
    expect(pool.peek(pending)).toBe(shard);
    shard.sqlite.query("update outbox set relayed_at = 1").run();
    expect(pool.closeIdle(later)).toBe(1);
    expect(pool.peek(pending)).toBeUndefined();
  } finally {
    pool.close();
  }
});
