import { describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { type LeaseStore, MemoryLeases, type PlacementChange } from "../../actors/runtime/leases.ts";
import { RedisLeases } from "../../actors/runtime/redis-leases.ts";
import { redisTest, uniqueBrand, waitFor } from "../support/services.ts";

type Harness = AsyncDisposable & { leases: LeaseStore; peer(): LeaseStore };
type Runner = (name: string, fn: (make: () => Promise<Harness>) => Promise<void>) => void;

const holder = (node: string) => ({ node, instance: crypto.randomUUID().slice(0, 8) });
const member = (node: string, instance = crypto.randomUUID().slice(0, 8)) => ({ node, instance, draining: false, joinedAt: Date.now() });

/** The one suite every LeaseStore passes. */
function describeLeases(name: string, run: Runner) {
  describe(`${name} leases`, () => {
    run("a unit is taken only when free, renewed and released only by its holder", async (make) => {
      await using h = await make();
      const unit = uniqueBrand();
      const a = holder("node-a");
      const lease = await h.leases.acquire(unit, a, 10_000);
      expect(lease).toMatchObject({ unit, node: "node-a", instance: a.instance });
      expect(await h.peer().acquire(unit, holder("node-b"), 10_000)).toBeNull();
      // the same node name in another run of it is another holder
      expect(await h.peer().acquire(unit, holder("node-a"), 10_000)).toBeNull();
      const impostor = { ...lease!, instance: "other" };
      expect(await h.peer().renew([impostor], 10_000)).toEqual([false]);
      expect(await h.peer().release(impostor)).toBe(false);
      expect(await h.leases.renew([lease!], 20_000)).toEqual([true]);
      const read = (await h.peer().leases([unit, uniqueBrand()])).get(unit);
      expect(read).toMatchObject({ node: "node-a", instance: a.instance, grantedAt: lease!.grantedAt });
      expect(read!.expiresInMs).toBeGreaterThan(10_000);
      expect((await h.peer().leases([unit, uniqueBrand()])).size).toBe(1);
      expect(await h.leases.release(lease!)).toBe(true);
      expect(await h.leases.release(lease!)).toBe(false);
      expect(await h.peer().acquire(unit, holder("node-b"), 10_000)).toMatchObject({ node: "node-b" });
    });

    run("a lease not renewed expires: another node takes the unit, and the former holder can no longer renew it", async (make) => {
      await using h = await make();
      const unit = uniqueBrand();
      const lease = (await h.leases.acquire(unit, holder("node-a"), 100))!;
      const taken = await waitFor(() => h.peer().acquire(unit, holder("node-b"), 10_000), { what: "the unit free again" });
      expect(taken.node).toBe("node-b");
      expect(await h.leases.renew([lease], 10_000)).toEqual([false]);
      expect((await h.leases.leases([unit])).get(unit)?.node).toBe("node-b");
    });

    run("membership: one live instance per node name, draining flag kept, gone at leave or expiry", async (make) => {
      await using h = await make();
      const run = uniqueBrand();
      const [a, b] = [`a-${run}`, `b-${run}`];
      const first = member(a);
      expect(await h.leases.join(first, 10_000)).toBe(true);
      expect(await h.peer().join(member(a), 10_000)).toBe(false);
      expect(await h.leases.join({ ...first, draining: true }, 10_000)).toBe(true);
      expect(await h.peer().join(member(b), 100)).toBe(true);
      const mine = (members: Awaited<ReturnType<LeaseStore["members"]>>) => members.filter((m) => m.node === a || m.node === b);
      expect(mine(await h.peer().members()).map((m) => [m.node, m.draining])).toEqual([
        [a, true],
        [b, false],
      ]);
      await waitFor(async () => mine(await h.leases.members()).length === 1, { what: "b's membership to expire" });
      await h.peer().leave({ node: a, instance: "not-mine" });
      expect(mine(await h.leases.members())).toHaveLength(1);
      await h.leases.leave(first);
      expect(mine(await h.leases.members())).toEqual([]);
      expect(await h.peer().join(member(a), 10_000)).toBe(true);
    });

    run("announcements reach every subscriber, the announcer's own included", async (make) => {
      await using h = await make();
      const heard: PlacementChange[] = [];
      const other: PlacementChange[] = [];
      const stop = await h.leases.onChange((c) => heard.push(c));
      await h.peer().onChange((c) => other.push(c));
      const unit = uniqueBrand();
      await h.peer().announce({ kind: "released", node: "node-b", unit });
      await waitFor(() => heard.some((c) => c.unit === unit) && other.some((c) => c.unit === unit), { what: "both subscribers" });
      expect(heard.find((c) => c.unit === unit)).toEqual({ kind: "released", node: "node-b", unit });
      await stop();
      await h.peer().announce({ kind: "acquired", node: "node-b", unit });
      await waitFor(() => other.filter((c) => c.unit === unit).length === 2, { what: "the second announcement" });
      expect(heard.filter((c) => c.unit === unit)).toHaveLength(1);
    });
  });
}

describeLeases("MemoryLeases", (name, fn) =>
  test(name, () =>
    fn(async () => {
      const leases = new MemoryLeases();
      return { leases, peer: () => leases, [Symbol.asyncDispose]: () => leases.close() };
    }),
  ),
);

describeLeases("RedisLeases", (name, fn) =>
  redisTest(name, (url) =>
    fn(async () => {
      const keyPrefix = `test-${crypto.randomUUID().slice(0, 8)}:`;
      const stores = [new RedisLeases({ url, keyPrefix })];
      return {
        leases: stores[0]!,
        peer: () => {
          stores.push(new RedisLeases({ url, keyPrefix }));
          return stores.at(-1)!;
        },
        [Symbol.asyncDispose]: async () => {
          await Promise.all(stores.map((s) => s.close()));
          const admin = new Redis(url);
          const keys = await admin.keys(`${keyPrefix}*`);
          if (keys.length > 0) await admin.del(...keys);
          await admin.quit();
        },
      };
    }),
  ),
);
