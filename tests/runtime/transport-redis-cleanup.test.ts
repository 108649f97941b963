import { describe, expect } from "bun:test";
import { Redis } from "ioredis";
import { MAILBOX_GROUP, MailboxKeys } from "../../actors/runtime/redis-keys.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";
import { envelopeTo, recorder, redisHarness } from "./transport-harness.ts";

/**
 * What nodes that are gone leave in Redis: a consumer in every mailbox group they read and
 * their control streams. A node removes those of nodes without a heartbeat; a consumer that
 * still holds an entry keeps it until the entry is reclaimed, and a live node keeps its own.
 */
describe("RedisTransport: what gone nodes leave behind", () => {
  redisTest("consumers and control streams of gone nodes are removed; live nodes and held entries are kept", async (url) => {
    await using h = await redisHarness(url, { goneConsumerMs: 100, cleanupEveryMs: 50 })({ maxDeliveries: 5, claimIdleMs: 100 });
    const prefix = (h.transport as unknown as { keys: MailboxKeys }).keys.prefix;
    const keys = new MailboxKeys(prefix);
    const admin = new Redis(url, { protocol: 2 });
    const [quiet, busy] = [`counter@${uniqueBrand()}`, `counter@${uniqueBrand()}`];
    const consumersOf = async (address: string) =>
      ((await admin.xinfo("CONSUMERS", keys.of(address).stream, MAILBOX_GROUP)) as unknown[][])
        .map((c) => String(c[1]))
        .sort()
        .join();
    try {
      // what two killed nodes left: a consumer holding nothing, one holding an entry it never acked, their control streams
      await admin.xgroup("CREATE", keys.of(quiet).stream, MAILBOX_GROUP, "0", "MKSTREAM");
      await admin.xgroup("CREATECONSUMER", keys.of(quiet).stream, MAILBOX_GROUP, "ghost-empty");
      await admin.xgroup("CREATE", keys.of(busy).stream, MAILBOX_GROUP, "0", "MKSTREAM");
      await h.transport.send(envelopeTo(busy, { n: 1 }));
      await admin.xreadgroup("GROUP", MAILBOX_GROUP, "ghost-holding", "COUNT", 1, "STREAMS", keys.of(busy).stream, ">");
      for (const ghost of ["ghost-empty", "ghost-holding"]) {
        await admin.hset(keys.nodes(), ghost, "2");
        for (const i of [0, 1]) await admin.xgroup("CREATE", keys.control(ghost, i), MAILBOX_GROUP, "$", "MKSTREAM");
      }

      // two live nodes
      const got = recorder();
      const keeper = h.transport.consumer("keeper", got.handler);
      await Promise.all([keeper.watch(quiet), keeper.watch(busy)]);
      await h
        .peer()
        .consumer("peer", () => {})
        .watch(quiet);

      await waitFor(async () => (await consumersOf(quiet)) === "keeper,peer" && (await consumersOf(busy)) === "keeper", { what: "only live consumers left" });
      // the held entry was claimed by a live node before its holder went
      expect(got.of(busy).map((d) => [d.envelope.body, d.deliveryCount])).toEqual([[{ n: 1 }, 2]]);
      for (const ghost of ["ghost-empty", "ghost-holding"]) {
        expect(await admin.exists(keys.control(ghost, 0), keys.control(ghost, 1))).toBe(0);
        expect(await admin.hexists(keys.nodes(), ghost)).toBe(0);
      }
      // a live node idle past the bound (blocked in its read) keeps its consumer: it has a heartbeat
      const idleOf = async (name: string) => Number(((await admin.xinfo("CONSUMERS", keys.of(quiet).stream, MAILBOX_GROUP)) as unknown[][]).find((c) => c[1] === name)?.[5] ?? 0);
      await waitFor(async () => (await idleOf("peer")) >= 200, { what: "the live peer idle past the bound" });
      await admin.xgroup("CREATECONSUMER", keys.of(quiet).stream, MAILBOX_GROUP, "ghost-late");
      await waitFor(async () => (await consumersOf(quiet)) === "keeper,peer", { what: "a later cleanup pass" });
      expect(await admin.exists(keys.control("keeper", 0), keys.control("peer", 0))).toBe(2);
      expect((await admin.hkeys(keys.nodes())).sort()).toEqual(["keeper", "peer"]);
    } finally {
      await admin.quit();
    }
  });
});
