import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { kbDeposit, type ReconFixture, reconFixture, STAFF } from "./recon-fixture.ts";

let f: ReconFixture;
let sourceId: string;
beforeAll(async () => {
  f = await reconFixture();
  sourceId = (await f.source("webhook")).id;
}, 30_000);
afterAll(() => f.close());

type Row = { action: string; username: string; before: any; after: any };
const rowsOf = (target: string) =>
  f.node.parts.store.query<Row>("select action, username, before, after from audit_log where brand_id = $1 and target = $2 order by seq", [f.brand, target]);
const auditedAs = (target: string, count: number) =>
  waitFor(async () => ((await rowsOf(target)).length >= count ? rowsOf(target) : undefined), { what: `${count} audit rows of ${target}` });

test("source changes are audited with what changed, never a secret", async () => {
  const made = await f.source("telegram", {}, "123456:secret-token-of-the-bot");
  expectOk(await f.recon.updateSource({ sourceId: made.id, status: "paused", by: STAFF }));
  const sealed = await f.node.edge.recon.seal("654321:another-token-of-a-bot", f.brand, made.id);
  expectOk(await f.recon.rotateSecret({ sourceId: made.id, secret: sealed, by: STAFF }));
  const rows = await auditedAs(`recon_source:${made.id}`, 3);
  expect(rows.map((r) => r.action)).toEqual(["recon.source.create", "recon.source.update", "recon.source.rotate_secret"]);
  expect(rows[1]).toMatchObject({ username: STAFF.username, before: { status: "active" }, after: { status: "paused" } });
  expect(rows[2]).toMatchObject({ before: { secretVersion: 1 }, after: { secretVersion: 2 } });
  const text = JSON.stringify(rows);
  expect(text).not.toContain("secret-token-of-the-bot");
  expect(text).not.toContain(sealed);
});

test("a refused change leaves no audit row; the good one after it leaves one", async () => {
  const notice = await f.ingest(sourceId, "읽을 수 없는 문자");
  const target = `recon_message:${notice.messageId}`;
  const refused = await f.recon.unmatch({ messageId: notice.messageId, reason: "not matched at all", by: STAFF });
  expect(refused).toMatchObject({ ok: false, error: { code: "invalid_state" } });
  expect(await f.recon.matchManually({ messageId: notice.messageId, requestId: "none", by: STAFF })).toMatchObject({ ok: false });
  expectOk(await f.recon.dismiss({ messageId: notice.messageId, reason: "spam", by: STAFF }));
  const rows = await auditedAs(target, 1);
  expect(rows).toEqual([expect.objectContaining({ action: "recon.dismiss", before: { state: "review" }, after: { state: "dismissed", reason: "spam" } })]);
});

test("unmatching a match the wallet refused is audited, and the notice waits for staff again", async () => {
  const request = await f.deposit(41_000, "한지민");
  await f.reject(request.requestId);
  // the rejection has not reached recon yet when the notice comes: recon matches, the wallet refuses
  const shard = f.node.parts.shards.acquire(f.brand).sqlite;
  await waitFor(() => shard.query("select 1 from recon_requests where request_id = ? and status = 'rejected'").get(request.requestId));
  shard.query("update recon_requests set status = 'pending' where request_id = ?").run(request.requestId);
  const notice = await f.ingest(sourceId, kbDeposit("한지민", 41_000, 141_000));
  expect(notice.state).toBe("matched");
  await waitFor(async () => (await f.message(notice.messageId)).match?.state === "refused", { what: "the wallet's refusal" });
  expect((await f.message(notice.messageId)).state).toBe("review");
  expectOk(await f.recon.unmatch({ messageId: notice.messageId, reason: "the request was rejected", by: STAFF }));
  const rows = await auditedAs(`recon_message:${notice.messageId}`, 1);
  expect(rows).toEqual([expect.objectContaining({ action: "recon.unmatch", before: { requestId: request.requestId, matchState: "refused" } })]);
  expect((await f.message(notice.messageId)).match).toBeNull();
  expect(await f.cash(request.player)).toBe("0");
});
