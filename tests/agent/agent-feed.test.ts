import { afterAll, expect, test } from "bun:test";
import { startAgentFeed } from "../../actors/agent/index.ts";
import type { DomainEvent } from "../../actors/runtime/event-bus.ts";
import { MemoryEventBus } from "../../actors/runtime/memory-event-bus.ts";
import { SETTLEMENT_EVENTS } from "../../actors/settlement/index.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

const bus = new MemoryEventBus({ trimEveryMs: 0 });
afterAll(() => bus.close());

test("the agent feed tells every settlement credit (a linked player's cash follows a promotion's) and only this domain's refusals", async () => {
  const told: { address: string; type: string; source: unknown }[] = [];
  const feed = await startAgentFeed(bus, {
    tell: async (address, type, body) => void told.push({ address, type, source: (body as { payload: { source?: unknown } }).payload.source }),
  });
  const brand = uniqueBrand("feed");
  const event = (type: string, source: string): DomainEvent => ({
    id: crypto.randomUUID(),
    type,
    brand,
    at: Date.now(),
    payload: { source, player: "p1", amount: "100", balance: "100" },
  });
  await bus.publish([
    event(SETTLEMENT_EVENTS.credited, "promotion"),
    event(SETTLEMENT_EVENTS.refused, "promotion"),
    event(SETTLEMENT_EVENTS.credited, "agent"),
    event(SETTLEMENT_EVENTS.refused, "agent"),
  ]);
  await waitFor(() => told.length >= 3, { what: "the feed's tells" });
  await feed.stop();
  expect(told.map((t) => `${t.type}:${t.source}`).sort()).toEqual([
    `${SETTLEMENT_EVENTS.credited}:agent`,
    `${SETTLEMENT_EVENTS.credited}:promotion`,
    `${SETTLEMENT_EVENTS.refused}:agent`,
  ]);
  expect(new Set(told.map((t) => t.address))).toEqual(new Set([`agent@${brand}`]));
});
