import { adminOptions, LocalTopInfoHub, startTopInfoFeed, type TopInfoCounters, type TopInfoHub, type TopInfoUpdate, topInfoKind } from "../../actors/admin/index.ts";
import type { NewBrand } from "../../actors/catalog/index.ts";
import type { DomainEvent } from "../../actors/runtime/event-bus.ts";
import { TestClock } from "../identity/identity-fixture.ts";
import { createBrand } from "../support/catalog.ts";
import { type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

export type TopInfoFixture = {
  node: TestNode;
  brand: string;
  clock: TestClock;
  hub: TopInfoHub;
  /** every announcement, in order */
  updates: TopInfoUpdate[];
  publish(type: string, payload: Record<string, unknown>, options?: { id?: string; at?: number }): Promise<string>;
  /** wait for an announcement of this brand matching `expected` (among those from index `since` on) */
  announced(expected: Partial<TopInfoCounters>, since?: number): Promise<TopInfoUpdate>;
  close(): Promise<void>;
};

/** A node hosting `admin@<brand>` for a fresh brand, fed from the node's event bus. */
export async function topInfoFixture(config: NewBrand["config"] = {}): Promise<TopInfoFixture> {
  const clock = new TestClock();
  const hub = new LocalTopInfoHub();
  const node = await testNodeContext({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  // registered after the node exists: the kind reads the node's catalog
  node.system.register(topInfoKind({ store: node.store, catalog: node.catalog, hub, options: adminOptions({ now: clock.now, onlineMs: 30 * 60_000 }) }));
  const brand = uniqueBrand("top");
  await createBrand(node.system, { id: brand, name: "Top", config });
  await node.system.host("admin", brand);
  const feed = await startTopInfoFeed(node);
  const updates: TopInfoUpdate[] = [];
  await hub.subscribe((u) => u.brand === brand && updates.push(u));
  const matches = (u: TopInfoUpdate, expected: Partial<TopInfoCounters>) => Object.entries(expected).every(([k, v]) => u.counters[k as keyof TopInfoCounters] === v);
  return {
    node,
    brand,
    clock,
    hub,
    updates,
    async publish(type, payload, options = {}) {
      const id = options.id ?? crypto.randomUUID();
      const event: DomainEvent = { id, type, brand, at: options.at ?? clock.at, payload };
      await node.events.publish([event]);
      return id;
    },
    announced: (expected, since = 0) => waitFor(() => updates.slice(since).findLast((u) => matches(u, expected)), { what: `counters ${JSON.stringify(expected)}` }),
    async close() {
      await feed.stop();
      await node.close();
    },
  };
}
