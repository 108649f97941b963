import { describe, expect } from "bun:test";
import type { Delivery } from "../../actors/runtime/envelope.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";
import { envelopeTo, recorder, redisHarness } from "./transport-harness.ts";

const bodies = (deliveries: Delivery[]) => deliveries.map((d) => (d.envelope.body as { n: number }).n);

describe("RedisTransport readers", () => {
  redisTest("mailboxes are split across a few readers; busy ones move to the hot reader in order", async (url) => {
    await using h = await redisHarness(url, { keysPerReader: 10, hotKeys: 2 })({ maxDeliveries: 3, claimIdleMs: 10_000 });
    const brand = uniqueBrand();
    const addresses = Array.from({ length: 25 }, (_, i) => `counter@${brand}-${i}`);
    const got = recorder();
    const consumer = h.transport.consumer("node-a", got.handler);
    await Promise.all(addresses.map((a) => consumer.watch(a)));
    await waitFor(async () => (await h.connections()) === 1 + 3, { what: "commands + 3 readers of 10" });

    // six mailboxes turn busy at once: the hot reader (2 streams) takes some and hands back others
    const busy = addresses.filter((_, i) => i % 4 === 0).slice(0, 6);
    const rounds = 40;
    await Promise.all(
      busy.map(async (a) => {
        for (let n = 0; n < rounds; n++) await h.transport.send(envelopeTo(a, { n }));
      }),
    );
    await waitFor(() => busy.every((a) => got.of(a).length >= rounds), { what: "all bursts" });
    for (const a of busy) expect(bodies(got.of(a))).toEqual(Array.from({ length: rounds }, (_, n) => n));
    expect(await h.connections()).toBe(1 + 3 + 1);

    // quiet mailboxes are still served after the moves
    await Promise.all(addresses.map((a) => h.transport.send(envelopeTo(a, { n: -1 }))));
    await waitFor(() => addresses.every((a) => bodies(got.of(a)).at(-1) === -1), { what: "one more each" });
    expect(got.total()).toBe(busy.length * rounds + addresses.length);
    expect((await h.transport.stats(busy[0]!)).pending).toBe(rounds + 1);
  });
});
