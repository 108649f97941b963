import { describe, expect, test } from "bun:test";
import type { Delivery, ReplyEnvelope } from "../../actors/runtime/envelope.ts";
import { ok } from "../../actors/runtime/errors.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";
import { envelopeTo, type MakeHarness, memoryHarness, recorder, redisHarness } from "./transport-harness.ts";

/** Runs one case against a transport; `make` opens a fresh harness with the given limits. */
type Runner = (name: string, fn: (make: MakeHarness) => Promise<void>) => void;

const LIMITS = { maxDeliveries: 3, claimIdleMs: 50 };

const ids = (deliveries: Delivery[]) => deliveries.map((d) => d.streamId);
const bodies = (deliveries: Delivery[]) => deliveries.map((d) => (d.envelope.body as { n: number }).n);
const counts = (deliveries: Delivery[]) => deliveries.map((d) => d.deliveryCount);
const mailbox = () => `counter@${uniqueBrand()}`;

/** The one suite every MailboxTransport must pass. */
export function describeTransport(name: string, run: Runner) {
  describe(`${name} conformance`, () => {
    run("delivers each mailbox in stream order, backlog first", async (make) => {
      await using h = await make(LIMITS);
      const [a, b] = [mailbox(), mailbox()];
      for (let n = 0; n < 5; n++) await h.transport.send(envelopeTo(a, { n }));
      const got = recorder();
      const consumer = h.transport.consumer("node-a", got.handler);
      await consumer.watch(a);
      await consumer.watch(b);
      for (let n = 5; n < 45; n++) await h.transport.send(envelopeTo(n % 2 ? a : b, { n }));
      await waitFor(() => got.of(a).length === 25 && got.of(b).length === 20, { what: "45 deliveries" });
      expect(bodies(got.of(a))).toEqual([0, 1, 2, 3, 4, ...Array.from({ length: 20 }, (_, i) => 5 + 2 * i)]);
      expect(bodies(got.of(b))).toEqual(Array.from({ length: 20 }, (_, i) => 6 + 2 * i));
      expect(new Set(counts(got.of(a)))).toEqual(new Set([1]));
      await consumer.ack(a, ids(got.of(a)));
      await consumer.ack(b, ids(got.of(b)));
      expect(await h.transport.stats(a)).toMatchObject({ pending: 0, lag: 0 });
    });

    run("an unacked delivery stays pending and is not handed back to its live owner", async (make) => {
      await using h = await make(LIMITS);
      const [a, b] = [mailbox(), mailbox()];
      const live = recorder();
      const owner = h.transport.consumer("node-live", live.handler);
      await owner.watch(a);
      await h.transport.send(envelopeTo(a, { n: 1 }));
      await waitFor(() => live.of(a).length === 1);
      const dead = recorder();
      const crashed = h.peer().consumer("node-dead", dead.handler);
      await crashed.watch(b);
      await h.transport.send(envelopeTo(b, { n: 2 }));
      await waitFor(() => dead.of(b).length === 1);
      await crashed.stop();
      await owner.watch(b);
      // b's entry, delivered after a's, is reclaimed: so a's has been idle past claimIdleMs too
      await waitFor(() => live.of(b).length === 1, { what: "reclaim of the dead consumer's entry" });
      expect(counts(live.of(b))).toEqual([2]);
      expect(await owner.reclaim()).toBe(0);
      expect(counts(live.of(a))).toEqual([1]);
      expect(await h.transport.stats(a)).toMatchObject({ length: 1, pending: 1, lag: 0 });
    });

    run("a crashed consumer's entries go to the next consumer in order with a higher count", async (make) => {
      await using h = await make(LIMITS);
      const a = mailbox();
      const first = recorder();
      const crashed = h.transport.consumer("node-a", first.handler);
      await crashed.watch(a);
      for (let n = 1; n <= 3; n++) await h.transport.send(envelopeTo(a, { n }));
      await waitFor(() => first.of(a).length === 3);
      await crashed.stop();
      await crashed.ack(a, ids(first.of(a)).slice(0, 1));
      expect((await h.transport.stats(a)).pending).toBe(3);
      const next = recorder();
      const survivor = h.peer().consumer("node-b", next.handler);
      await survivor.watch(a);
      await waitFor(() => next.of(a).length === 3, { what: "redelivery" });
      expect(ids(next.of(a))).toEqual(ids(first.of(a)));
      expect(bodies(next.of(a))).toEqual([1, 2, 3]);
      expect(counts(next.of(a))).toEqual([2, 2, 2]);
      await survivor.ack(a, ids(next.of(a)));
      expect((await h.transport.stats(a)).pending).toBe(0);
    });

    run("a consumer restarted under the same name first gets its own pending entries", async (make) => {
      await using h = await make({ ...LIMITS, claimIdleMs: 60_000 });
      const a = mailbox();
      const before = recorder();
      const crashed = h.transport.consumer("node-a", before.handler);
      await crashed.watch(a);
      for (let n = 1; n <= 2; n++) await h.transport.send(envelopeTo(a, { n }));
      await waitFor(() => before.of(a).length === 2);
      await crashed.stop();
      await h.transport.send(envelopeTo(a, { n: 3 }));
      const after = recorder();
      await h.peer().consumer("node-a", after.handler).watch(a);
      await waitFor(() => after.of(a).length === 3, { what: "history then new" });
      expect(bodies(after.of(a))).toEqual([1, 2, 3]);
      expect(counts(after.of(a))).toEqual([2, 2, 1]);
    });

    run("claimNow takes what other consumers hold pending at once, in order, and leaves its own and unwatched mailboxes", async (make) => {
      await using h = await make({ ...LIMITS, claimIdleMs: 60_000 });
      const [a, b] = [mailbox(), mailbox()];
      const before = recorder();
      const former = h.peer().consumer("node-former", before.handler);
      await former.watch(a);
      await former.watch(b);
      for (let n = 1; n <= 3; n++) await h.transport.send(envelopeTo(a, { n }));
      await h.transport.send(envelopeTo(b, { n: 9 }));
      await waitFor(() => before.of(a).length === 3 && before.of(b).length === 1, { what: "the former reader's deliveries" });
      await former.stop();
      const after = recorder();
      const taker = h.transport.consumer("node-taker", after.handler);
      await taker.watch(a);
      await h.transport.send(envelopeTo(a, { n: 4 }));
      await waitFor(() => after.of(a).length === 1, { what: "the new entry" });
      // a's three are the former reader's, idle far less than claimIdleMs; b is not watched here
      expect(await taker.claimNow([a, b])).toBe(3);
      await waitFor(() => after.of(a).length === 4, { what: "the claimed entries" });
      expect(bodies(after.of(a))).toEqual([4, 1, 2, 3]);
      expect(counts(after.of(a))).toEqual([1, 2, 2, 2]);
      expect(await taker.claimNow([a])).toBe(0);
      expect(after.of(b)).toEqual([]);
      expect(await h.transport.stats(b)).toMatchObject({ pending: 1 });
    });

    run("past the delivery limit a message moves to dead letters; replay puts it back", async (make) => {
      await using h = await make({ maxDeliveries: 2, claimIdleMs: 50 });
      const a = mailbox();
      const sent = envelopeTo(a, { n: 7 });
      const streamId = await h.transport.send(sent);
      for (const [i, node] of ["node-1", "node-2"].entries()) {
        const got = recorder();
        const consumer = h.peer().consumer(node, got.handler);
        await consumer.watch(a);
        await waitFor(() => got.of(a).length === 1, { what: `delivery ${i + 1}` });
        expect(counts(got.of(a))).toEqual([i + 1]);
        await consumer.stop();
      }
      const last = recorder();
      const survivor = h.peer().consumer("node-3", last.handler);
      await survivor.watch(a);
      const dead = await waitFor(async () => (await h.transport.deadLetters(a)).at(0), { what: "dead letter" });
      expect(dead).toMatchObject({ streamId, address: a, envelope: { id: sent.id, body: { n: 7 } }, deliveryCount: 2 });
      expect(dead.reason).toContain("2 times");
      expect(last.of(a)).toEqual([]);
      expect(await h.transport.stats(a)).toMatchObject({ pending: 0, deadLetters: 1 });
      expect(await h.transport.replayDeadLetter(a, streamId)).toBe(true);
      await waitFor(() => last.of(a).length === 1, { what: "replayed delivery" });
      expect(last.of(a)[0]).toMatchObject({ envelope: { id: sent.id }, deliveryCount: 1 });
      expect(await h.transport.deadLetters(a)).toEqual([]);
      expect(await h.transport.replayDeadLetter(a, streamId)).toBe(false);
    });

    run("a dead letter replayed by someone carries who on its envelope", async (make) => {
      await using h = await make({ maxDeliveries: 1, claimIdleMs: 50 });
      const a = mailbox();
      const sent = envelopeTo(a, { n: 8 });
      const streamId = await h.transport.send(sent);
      const first = recorder();
      const consumer = h.peer().consumer("node-1", first.handler);
      await consumer.watch(a);
      await waitFor(() => first.of(a).length === 1, { what: "the first delivery" });
      await consumer.stop();
      const later = recorder();
      await h.peer().consumer("node-2", later.handler).watch(a);
      await waitFor(async () => (await h.transport.deadLetters(a)).length === 1, { what: "dead letter" });
      const by = { staffId: null, username: "operator", ip: "127.0.0.1" };
      expect(await h.transport.replayDeadLetter(a, streamId, by)).toBe(true);
      await waitFor(() => later.of(a).length === 1, { what: "replayed delivery" });
      expect(later.of(a)[0]).toMatchObject({ envelope: { id: sent.id, body: { n: 8 }, replayedBy: by } });
    });

    run("deadLetter() moves a pending delivery and acknowledges it, once", async (make) => {
      await using h = await make(LIMITS);
      const a = mailbox();
      const got = recorder();
      await h.transport.consumer("node-a", got.handler).watch(a);
      await h.transport.send(envelopeTo(a, { n: 1 }));
      const [delivery] = await got.await(a, 1);
      await h.transport.deadLetter(a, delivery!, "poison");
      await h.transport.deadLetter(a, delivery!, "again");
      const dead = await h.transport.deadLetters(a);
      expect(dead.map((d) => [d.streamId, d.reason, d.deliveryCount])).toEqual([[delivery!.streamId, "poison", 1]]);
      expect(await h.transport.stats(a)).toMatchObject({ pending: 0, deadLetters: 1 });
    });

    run("trim drops acknowledged entries only, never pending or undelivered ones", async (make) => {
      await using h = await make({ ...LIMITS, claimIdleMs: 60_000 });
      const a = mailbox();
      const got = recorder();
      const consumer = h.transport.consumer("node-a", got.handler);
      await consumer.watch(a);
      for (let n = 0; n < 10; n++) await h.transport.send(envelopeTo(a, { n }));
      const first = ids(await got.await(a, 10));
      await consumer.ack(a, [...first.slice(0, 4), first[5]!]);
      expect(await h.transport.trim(a)).toBe(4);
      expect(await h.transport.stats(a)).toMatchObject({ length: 6, pending: 5, lag: 0 });
      await consumer.unwatch(a);
      for (let n = 10; n < 13; n++) await h.transport.send(envelopeTo(a, { n }));
      await consumer.ack(a, first);
      expect(await h.transport.trim(a)).toBe(6);
      expect(await h.transport.stats(a)).toMatchObject({ length: 3, pending: 0, lag: 3 });
      await consumer.watch(a);
      await waitFor(() => got.of(a).length === 13, { what: "undelivered entries after trim" });
      expect(bodies(got.of(a).slice(10))).toEqual([10, 11, 12]);
      expect(counts(got.of(a).slice(10))).toEqual([1, 1, 1]);
    });

    run("the consumer trims acknowledged entries by itself", async (make) => {
      await using h = await make(LIMITS);
      const a = mailbox();
      const got = recorder();
      const consumer = h.transport.consumer("node-a", got.handler);
      await consumer.watch(a);
      for (let n = 0; n < 5; n++) await h.transport.send(envelopeTo(a, { n }));
      await consumer.ack(a, ids(await got.await(a, 5)));
      await waitFor(async () => (await h.transport.stats(a)).length === 0, { what: "periodic trim" });
    });

    run("one consumer serves 1,000 mailboxes over a bounded number of connections", async (make) => {
      await using h = await make({ ...LIMITS, claimIdleMs: 10_000 });
      const brand = uniqueBrand();
      const addresses = Array.from({ length: 1000 }, (_, i) => `counter@${brand}-${i}`);
      const before = await h.connections();
      const got = recorder();
      const consumer = h.transport.consumer("node-a", got.handler);
      await Promise.all(addresses.map((a) => consumer.watch(a)));
      await Promise.all(addresses.map((a, n) => h.transport.send(envelopeTo(a, { n }))));
      await waitFor(() => got.total() === 1000, { what: "one delivery per mailbox" });
      expect(addresses.every((a, n) => bodies(got.of(a)).join() === String(n))).toBe(true);
      const busy = addresses[500]!;
      for (let n = 0; n < 100; n++) await h.transport.send(envelopeTo(busy, { n }));
      await waitFor(() => got.of(busy).length === 101, { what: "a burst to one of them" });
      expect(bodies(got.of(busy).slice(1))).toEqual(Array.from({ length: 100 }, (_, n) => n));
      const after = await h.connections();
      if (before !== undefined) expect(after! - before).toBeLessThanOrEqual(2);
      const [stillWatched, ...dropped] = addresses.reverse();
      await Promise.all(dropped.map((a) => consumer.unwatch(a)));
      await h.transport.send(envelopeTo(dropped[0]!, { n: -1 }));
      await h.transport.send(envelopeTo(stillWatched!, { n: -2 }));
      await waitFor(() => got.of(stillWatched!).length === 2, { what: "delivery after unwatching 999" });
      expect(got.of(dropped[0]!).length).toBe(1);
      if (before !== undefined) expect((await h.connections())! - before).toBeLessThanOrEqual(2);
    });

    run("replies reach the inbox's handlers until they unsubscribe", async (make) => {
      await using h = await make(LIMITS);
      const [x, y] = [`reply:${uniqueBrand("node")}`, `reply:${uniqueBrand("node")}`];
      const toX: ReplyEnvelope[] = [];
      const toY: ReplyEnvelope[] = [];
      const offX = await h.transport.onReplies(x, (r) => toX.push(r));
      await h.transport.onReplies(y, (r) => toY.push(r));
      const asker = h.peer();
      await asker.reply(x, { inReplyTo: "m1", outcome: ok({ balance: 10n ** 20n }) });
      await waitFor(() => toX.length === 1);
      expect(toX).toEqual([{ inReplyTo: "m1", outcome: ok({ balance: 10n ** 20n }) }]);
      await offX();
      await asker.reply(x, { inReplyTo: "m2", outcome: ok(null) });
      await asker.reply(y, { inReplyTo: "m3", outcome: ok(null) });
      await waitFor(() => toY.length === 1);
      expect(toX.length).toBe(1);
    });

    run("stats count length, pending, lag and dead letters", async (make) => {
      await using h = await make({ ...LIMITS, claimIdleMs: 60_000 });
      const a = mailbox();
      expect(await h.transport.stats(a)).toEqual({ address: a, length: 0, pending: 0, lag: 0, deadLetters: 0 });
      for (let n = 0; n < 5; n++) await h.transport.send(envelopeTo(a, { n }));
      expect(await h.transport.stats(a)).toEqual({ address: a, length: 5, pending: 0, lag: 5, deadLetters: 0 });
      const got = recorder();
      const consumer = h.transport.consumer("node-a", got.handler);
      await consumer.watch(a);
      const delivered = await got.await(a, 5);
      expect(await h.transport.stats(a)).toEqual({ address: a, length: 5, pending: 5, lag: 0, deadLetters: 0 });
      await consumer.ack(a, ids(delivered.slice(0, 2)));
      await h.transport.deadLetter(a, delivered[2]!, "poison");
      expect(await h.transport.stats(a)).toEqual({ address: a, length: 5, pending: 2, lag: 0, deadLetters: 1 });
      expect(await h.transport.trim(a)).toBe(3);
      expect(await h.transport.stats(a)).toEqual({ address: a, length: 2, pending: 2, lag: 0, deadLetters: 1 });
    });

    run("envelopes keep bigint and Date values", async (make) => {
      await using h = await make(LIMITS);
      const a = mailbox();
      const got = recorder();
      await h.transport.consumer("node-a", got.handler).watch(a);
      const body = { amount: -(10n ** 20n), at: new Date(86_400_000), nested: [{ fee: 5n }] };
      await h.transport.send(envelopeTo(a, body));
      const [delivery] = await got.await(a, 1);
      expect(delivery!.envelope.body).toEqual(body);
    });
  });
}

describeTransport("MemoryTransport", (name, fn) => test(name, () => fn(memoryHarness)));
describeTransport("RedisTransport", (name, fn) => redisTest(name, (url) => fn(redisHarness(url))));
