import { afterAll, beforeAll, expect, test } from "bun:test";
import { AUDIT_RECORDED, auditEvent } from "../../actors/identity/index.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/** Identity records the `audit.recorded` events owning actors write with their changes. */

let node: TestPlatformNode;
beforeAll(async () => {
  node = await testNode({ label: "audit", domains: ["identity"] });
});
afterAll(() => node.stop());

const rowsOf = (entryId: string) =>
  node.parts.store.query<{ username: string; action: string; brand_id: string | null; target: string; after: unknown; at: Date }>(
    "select username, action, brand_id, target, after, at from audit_log where entry_id = $1",
    [entryId],
  );

test("an audit.recorded event becomes one audit row under the event's id, at the event's time, however often it is delivered", async () => {
  const brand = await node.addBrand({ prefix: "aud" });
  const { type, payload } = auditEvent(
    { staffId: "s-1", username: "kim", ip: "10.0.0.9" },
    { action: "player.suspend", brand, target: "player:p-1", before: { status: "active" }, after: { status: "suspended" } },
  );
  expect(type).toBe(AUDIT_RECORDED);
  const event = { id: crypto.randomUUID(), type, brand, at: Date.parse("2026-01-02T03:04:05Z"), payload };
  await node.parts.events.publish([event, { ...event }]);
  const rows = await waitFor(
    async () => {
      const found = await rowsOf(event.id);
      return found.length > 0 ? found : undefined;
    },
    { what: "the audit row" },
  );
  expect(rows).toEqual([expect.objectContaining({ username: "kim", action: "player.suspend", brand_id: brand, target: "player:p-1", after: { status: "suspended" } })]);
  expect(new Date(rows[0]!.at).toISOString()).toBe("2026-01-02T03:04:05.000Z");
  // the second delivery was journaled under the same message id: still one row
  await node.parts.events.publish([{ ...event }]);
  await waitFor(async () => ((await node.parts.events.stats("identity")).pending === 0 ? true : undefined), { what: "identity to take every event" });
  expect(await rowsOf(event.id)).toHaveLength(1);
});

test("an audit event whose text holds NUL and other control characters is recorded with them replaced, and identity goes on", async () => {
  const brand = await node.addBrand({ prefix: "aud" });
  const { type, payload } = auditEvent(
    { staffId: "s-2", username: "kim", ip: null },
    { action: "player.message\u0000", brand, target: "player:\u0000p-2", after: { title: "hello\u0000world", ["k\u0000"]: ["a\u0001", 1n] } },
  );
  const event = { id: crypto.randomUUID(), type, brand, at: Date.now(), payload };
  await node.parts.events.publish([event]);
  const rows = await waitFor(
    async () => {
      const found = await rowsOf(event.id);
      return found.length > 0 ? found : undefined;
    },
    { what: "the audit row" },
  );
  expect(rows).toEqual([
    expect.objectContaining({ action: "player.message\uFFFD", target: "player:\uFFFDp-2", after: { title: "hello\uFFFDworld", "k\uFFFD": ["a\u0001", "1"] } }),
  ]);
  // and the next entry is recorded as usual
  const next = { ...event, id: crypto.randomUUID(), payload: auditEvent({ staffId: "s-2", username: "kim" }, { action: "player.note", brand }).payload };
  await node.parts.events.publish([next]);
  await waitFor(async () => ((await rowsOf(next.id)).length > 0 ? true : undefined), { what: "the next audit row" });
});

test("an audit event whose text holds a lone surrogate (which jsonb refuses) is recorded with it replaced, not dead-lettered", async () => {
  const brand = await node.addBrand({ prefix: "aud" });
  const { type, payload } = auditEvent(
    { staffId: "s-3", username: "kim", ip: null },
    { action: "player.message", brand, target: "player:p-3\ud800", after: { title: "fuzz\ud800", ["k\udc00"]: "😀" } },
  );
  const event = { id: crypto.randomUUID(), type, brand, at: Date.now(), payload };
  await node.parts.events.publish([event]);
  const rows = await waitFor(
    async () => {
      const found = await rowsOf(event.id);
      return found.length > 0 ? found : undefined;
    },
    { what: "the audit row" },
  );
  expect(rows).toEqual([expect.objectContaining({ target: "player:p-3\uFFFD", after: { title: "fuzz\uFFFD", "k\uFFFD": "😀" } })]);
  expect((await node.edge.operations.mailboxStats("identity")).deadLetters).toBe(0);
});
