import { afterAll, beforeAll, expect, test } from "bun:test";
import { waitFor } from "../support/services.ts";
import { type ReconFixture, reconFixture, STAFF } from "./recon-fixture.ts";

let f: ReconFixture;
let sourceId: string;
beforeAll(async () => {
  f = await reconFixture();
  sourceId = (await f.source("webhook")).id;
}, 30_000);
afterAll(() => f.close());

async function internal(method: string, path: string, options: { body?: unknown; brand?: string | null; token?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? f.node.config.secrets.service}` };
  if (options.brand !== null) headers["x-brand-id"] = options.brand ?? f.brand;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await f.node.apps.internal.request(`http://internal.test/internal/recon${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test("/internal/recon reads notices, the queue and sources, and dismisses in the caller's name", async () => {
  const notice = await f.ingest(sourceId, "알 수 없는 알림");
  expect((await internal("GET", `/messages?sourceId=${sourceId}`)).body.items.map((m: { id: string }) => m.id)).toContain(notice.messageId);
  expect((await internal("GET", "/review")).body.items.map((m: { id: string }) => m.id)).toContain(notice.messageId);
  expect((await internal("GET", `/messages/${notice.messageId}`)).body).toMatchObject({ id: notice.messageId, parsed: { kind: "unparsed" } });
  const sources = await internal("GET", "/sources");
  expect(sources.body.items.map((s: { id: string }) => s.id)).toContain(sourceId);
  expect(JSON.stringify(sources.body)).not.toContain("v1.");
  const dismissed = await internal("POST", `/messages/${notice.messageId}/dismiss`, { body: { reason: "a test message", by: "ops-bot" } });
  expect(dismissed).toMatchObject({ status: 200, body: { state: "dismissed" } });
  const rows = await waitFor(async () => {
    const found = await f.node.parts.store.query<{ username: string }>("select username from audit_log where target = $1", [`recon_message:${notice.messageId}`]);
    return found.length > 0 ? found : undefined;
  });
  expect(rows).toEqual([{ username: "service:ops-bot" }]);
});

test("/internal/recon refuses bad input with a stable code", async () => {
  expect((await internal("GET", "/messages?state=lost")).status).toBe(400);
  expect((await internal("POST", `/messages/${crypto.randomUUID()}/dismiss`, { body: { reason: "\u0000" } })).status).toBe(400);
  expect((await internal("POST", `/messages/${crypto.randomUUID()}/match`, { body: { requestId: "has space" } })).status).toBe(400);
  const missing = await internal("POST", `/messages/${crypto.randomUUID()}/unmatch`, { body: { reason: "x", by: STAFF.username } });
  expect([missing.status, missing.body.error.code]).toEqual([404, "recon_message_not_found"]);
});

test("/internal/recon needs the service token and a brand", async () => {
  expect((await internal("GET", "/review", { token: "not-the-token-of-this-node-at-all-0000" })).status).toBe(401);
  expect((await internal("GET", "/review", { brand: null })).status).toBe(404);
  expect((await internal("GET", "/review", { brand: "no-such-brand" })).status).toBe(404);
});
