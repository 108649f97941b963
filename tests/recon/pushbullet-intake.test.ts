import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { FakePushbullet } from "./fake-pushbullet.ts";
import { kbDeposit, type ReconFixture, reconFixture } from "./recon-fixture.ts";

const PHONE = "ujpah72o0sjAoRtnM0jc";
let f: ReconFixture;
let pb: FakePushbullet;
let sourceId: string;
let balance = 3_000_000;
let amounts = 30_000;

const source = async () => expectOk(await f.recon.sources({})).items.find((s) => s.id === sourceId)!;
const stored = async () => expectOk(await f.recon.messages({ sourceId, limit: 200 })).items;
const shard = () => f.node.parts.shards.acquire(f.brand).sqlite;
const storedCount = () =>
  shard().query<{ n: number; ids: number }, [string]>("select count(*) as n, count(distinct external_id) as ids from recon_messages where source_id = ?").get(sourceId)!;

async function transfer(name: string) {
  const amount = (amounts += 1000);
  const request = await f.deposit(amount, name);
  return { ...request, amount, sms: kbDeposit(name, amount, (balance += amount)) };
}

beforeAll(async () => {
  f = await reconFixture();
  pb = new FakePushbullet();
  sourceId = (await f.source("pushbullet", { apiUrl: pb.apiUrl, streamUrl: pb.streamUrl, deviceIdens: [PHONE] }, pb.token)).id;
  await waitFor(async () => (await source()).loop.connected, { what: "the stream to open" });
}, 30_000);
afterAll(async () => {
  await f.close();
  pb.stop();
});

test("a mirrored SMS on the stream credits the matching request; another phone's is not taken", async () => {
  const t = await transfer("김철수");
  pb.sms("another-phone", kbDeposit("김철수", t.amount, 1));
  pb.sms(PHONE, t.sms);
  await f.waitForCash(t.player, String(t.amount));
  expect((await stored()).map((m) => m.text)).toEqual([t.sms]);
});

test("a note another Pushbullet user pushed to the account is not taken, even with no list of devices: only the account's own are", async () => {
  const account = new FakePushbullet();
  try {
    const id = (await f.source("pushbullet", { apiUrl: account.apiUrl, streamUrl: account.streamUrl }, account.token)).id;
    await waitFor(async () => expectOk(await f.recon.sources({})).items.find((s) => s.id === id)?.loop.connected, { what: "the second account's stream" });
    const forged = await transfer("오세훈");
    account.noteFromAnotherUser(forged.sms);
    const own = await transfer("오세훈");
    account.note("any-own-phone", own.sms);
    await f.waitForCash(own.player, String(own.amount));
    expect(expectOk(await f.recon.messages({ sourceId: id, limit: 10 })).items.map((m) => m.text)).toEqual([own.sms]);
    expect(await f.cash(forged.player)).toBe("0");
    expectOk(await f.recon.updateSource({ sourceId: id, status: "paused", by: { staffId: null, username: "recon-test" } }));
  } finally {
    account.stop();
  }
});

test("a forwarding app's note is read from the history on the stream's tickle", async () => {
  const t = await transfer("이영호");
  pb.note(PHONE, t.sms);
  await f.waitForCash(t.player, String(t.amount));
});

test("a dropped stream, a refused handshake and a rate-limited history: notes sent meanwhile arrive once", async () => {
  const before = (await stored()).length;
  pb.refuseHandshakes("429", "429");
  pb.failHistory("429");
  pb.dropStreams();
  const during = await transfer("박영희");
  pb.note(PHONE, during.sms);
  await waitFor(async () => (await source()).loop.lastError?.includes("429"), { what: "the 429 to be reported" });
  await f.waitForCash(during.player, String(during.amount), 5000);
  await waitFor(async () => (await source()).loop.connected, { what: "the stream to be back" });
  const after = await transfer("정효진");
  pb.sms(PHONE, after.sms);
  await f.waitForCash(after.player, String(after.amount));
  expect((await stored()).length).toBe(before + 2);
  expect((await source()).loop.lastError).not.toContain(pb.token);
});

test("a long gap is read page by page, every note once, and the cursor moves past them", async () => {
  const before = storedCount().n;
  pb.refuseHandshakes("429");
  pb.dropStreams();
  for (let i = 0; i < 230; i++) pb.note(PHONE, `[Web발신] 인증번호 ${String(100000 + i)} 입력하세요`);
  await waitFor(() => storedCount().n === before + 230, { timeoutMs: 10_000, what: "every note of the gap" });
  await waitFor(async () => (await source()).loop.connected, { what: "the stream to be back" });
  const reads = pb.historyReads.length;
  const gapEnd = pb.newestModified;
  pb.note(PHONE, "[Web발신] 인증번호 999999 입력하세요");
  await waitFor(() => storedCount().n === before + 231, { what: "the note after the gap" });
  // the read after the gap starts past it, and nothing was stored twice
  expect(Number(pb.historyReads[reads])).toBeGreaterThanOrEqual(gapEnd);
  expect(storedCount().ids).toBe(storedCount().n);
}, 20_000);
