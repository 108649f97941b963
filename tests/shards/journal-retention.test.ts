import { expect, test } from "bun:test";
import type { Incoming } from "../../actors/runtime/actor.ts";
import { ok } from "../../actors/runtime/errors.ts";
import { JOURNAL_RETENTION_MS, pruneOutcomes, pruneSchedule } from "../../actors/runtime/journal-retention.ts";
import { openShard } from "../../shards/index.ts";
import { journaledBehavior } from "../../shards/journaled-behavior.ts";
import { tempDir, testStore, uniqueBrand } from "../support/services.ts";

const DAY = 24 * 60 * 60_000;
const message = (id: string): Incoming => ({ id, type: "noop", body: {}, envelope: {} as Incoming["envelope"], deliveryCount: 1 });

test("a shard actor drops its own journal rows past the retention, once per schedule, and keeps the rest", async () => {
  const shard = openShard(tempDir("journal"), uniqueBrand());
  const now = Date.now();
  const insert = shard.sqlite.query("insert into actor_journal (address, message_id, outcome, at) values (?, ?, ?, ?)");
  const kept = JSON.stringify(ok("kept"));
  insert.run("rolling@b", "old-1", kept, now - JOURNAL_RETENTION_MS - DAY);
  insert.run("rolling@b", "old-2", kept, now - JOURNAL_RETENTION_MS - 1);
  insert.run("rolling@b", "recent", kept, now - DAY);
  insert.run("agent@b", "old-other", kept, now - JOURNAL_RETENTION_MS - DAY);
  const ids = () =>
    shard.sqlite
      .query<{ id: string }, []>("select address || ':' || message_id as id from actor_journal order by id")
      .all()
      .map((r) => r.id);

  const behavior = journaledBehavior(shard, "rolling@b", () => ok(true));
  await behavior.receive([message("m1")]);
  expect(ids()).toEqual(["agent@b:old-other", "rolling@b:m1", "rolling@b:recent"]);
  // a redelivery of a kept message is still answered from the journal
  expect(await behavior.recall?.(["recent"])).toEqual(new Map([["recent", ok("kept")]]));

  // within the hour nothing more is pruned
  insert.run("rolling@b", "old-3", kept, now - JOURNAL_RETENTION_MS - DAY);
  await behavior.receive([message("m2")]);
  expect(ids()).toContain("rolling@b:old-3");
  shard.sqlite.close();
});

test("the schedule is due at first, then once per period, and at once after again()", () => {
  const due = pruneSchedule(1000);
  expect([due(0), due(500), due(999), due(1000)]).toEqual([true, false, false, true]);
  due.again();
  expect(due(1001)).toBe(true);
});

test("a PostgreSQL journal is pruned past the retention, one actor's rows at a time", async () => {
  const store = await testStore();
  const [a, b] = [`top_info@${uniqueBrand()}`, `top_info@${uniqueBrand()}`];
  const old = new Date(Date.now() - JOURNAL_RETENTION_MS - DAY).toISOString();
  for (const [address, id, at] of [
    [a, "old", old],
    [a, "new", new Date().toISOString()],
    [b, "old", old],
  ] as const) {
    await store.query("insert into admin_outcomes (address, message_id, outcome, at) values ($1, $2, '{}'::jsonb, $3::timestamptz)", [address, id, at]);
  }
  expect(await pruneOutcomes(store, "admin_outcomes", a)).toBe(1);
  const left = await store.query<{ address: string; message_id: string }>(
    "select address, message_id from admin_outcomes where address = any($1::text[]) order by address, message_id",
    [[a, b]],
  );
  expect(left.map((r) => `${r.address === a ? "a" : "b"}:${r.message_id}`).sort()).toEqual(["a:new", "b:old"]);
});
