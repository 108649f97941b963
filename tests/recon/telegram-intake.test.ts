import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { tempDir, waitFor } from "../support/services.ts";
import { testNode } from "../support/test-node.ts";
import { FakeTelegram } from "./fake-telegram.ts";
import { BANK_SENDER, FAST_BACKOFF, kbDeposit, type ReconFixture, reconFixture, STAFF } from "./recon-fixture.ts";

const CHAT = -100123;
let f: ReconFixture;
let tg: FakeTelegram;
let sourceId: string;
let balance = 1_000_000;
let amounts = 20_000;

const messagesOf = async (id: string) => expectOk(await f.recon.messages({ sourceId: id, limit: 200 })).items;
const source = async (id: string) => expectOk(await f.recon.sources({})).items.find((s) => s.id === id)!;
const loopsDown = async () => expectOk(await f.node.edge.clients.admin(f.brand).topInfo({})).counters.reconLoopsDown;

/** A deposit request and the bank's SMS for it, posted into the bot's chat. */
async function transfer(name: string, poster = tg) {
  const amount = (amounts += 1000);
  const request = await f.deposit(amount, name);
  poster.post(CHAT, `보낸사람 : ${BANK_SENDER}\n${kbDeposit(name, amount, (balance += amount))}`);
  return { ...request, amount };
}

beforeAll(async () => {
  f = await reconFixture();
  tg = new FakeTelegram();
  sourceId = (await f.source("telegram", { apiUrl: tg.url, chatIds: [String(CHAT)] }, tg.token)).id;
}, 30_000);
afterAll(async () => {
  await f.close();
  tg.stop();
});

describe("the Telegram loop", () => {
  test("with no list of chats anyone may message the bot: a post's sender line vouches for nothing, so it waits for staff", async () => {
    const open = new FakeTelegram();
    try {
      const id = (await f.source("telegram", { apiUrl: open.url }, open.token)).id;
      const amount = (amounts += 1000);
      const request = await f.deposit(amount, "문지호");
      open.post(31337, `보낸사람 : ${BANK_SENDER}\n${kbDeposit("문지호", amount, 42)}`);
      const [stored] = await waitFor(
        async () => {
          const items = await messagesOf(id);
          return items.length > 0 ? items : undefined;
        },
        { what: "the post to be stored" },
      );
      expect(stored).toMatchObject({ state: "review", sender: null });
      expect(await f.cash(request.player)).toBe("0");
      const paused = await f.recon.updateSource({ sourceId: id, status: "paused", by: STAFF });
      expect(paused.ok).toBe(true);
    } finally {
      open.stop();
    }
  });

  test("an SMS posted in the bot's chat credits the matching request", async () => {
    const t = await transfer("김철수");
    await f.waitForCash(t.player, String(t.amount));
    await waitFor(async () => (await source(sourceId)).loop.connected);
    expect((await source(sourceId)).loop.lastMessageAt).not.toBeNull();
  });

  test("posts from chats not on the source's list are not stored", async () => {
    const before = (await messagesOf(sourceId)).length;
    tg.post(777, kbDeposit("이영호", 123, 456));
    const t = await transfer("이영호");
    await f.waitForCash(t.player, String(t.amount));
    expect((await messagesOf(sourceId)).length).toBe(before + 1);
  });

  test("429, 409 and an outage: the loop backs off, reports, and delivers each SMS once", async () => {
    const before = (await messagesOf(sourceId)).length;
    // the 409s last: the error the loop reports last stays shown until the next one
    tg.failNext("429", "502", "409-webhook", "409-conflict");
    const first = await transfer("박영희");
    await f.waitForCash(first.player, String(first.amount), 5000);
    await waitFor(async () => (await source(sourceId)).loop.lastError?.includes("409"), { what: "the 409 to be reported" });

    tg.down();
    await waitFor(async () => (await source(sourceId)).loop.down, { what: "the loop to be reported down" });
    expect((await source(sourceId)).loop.lastError).not.toContain(tg.token);
    await waitFor(async () => (await loopsDown()) === 1, { what: "the top-info alarm" });
    const during = await transfer("정효진");
    tg.up();
    await f.waitForCash(during.player, String(during.amount), 5000);
    await waitFor(async () => !(await source(sourceId)).loop.down, { what: "the loop to be up again" });
    await waitFor(async () => (await loopsDown()) === 0, { what: "the alarm to end" });
    expect((await messagesOf(sourceId)).length).toBe(before + 2);
  });

  test("a paused source stops polling; resumed, it reads on from the stored offset", async () => {
    expectOk(await f.recon.updateSource({ sourceId, status: "paused", by: STAFF }));
    const stored =
      (await source(sourceId)) && (f.node.parts.shards.acquire(f.brand).sqlite.query("select cursor from recon_sources where id = ?").get(sourceId) as { cursor: string }).cursor;
    const paused = await transfer("남궁민");
    const polls = tg.offsets.length;
    expectOk(await f.recon.updateSource({ sourceId, status: "active", by: STAFF }));
    await f.waitForCash(paused.player, String(paused.amount), 5000);
    expect(tg.offsets[polls]).toBe(Number(stored));
  });
});

test("a restarted node resumes from the offset in the shard, storing nothing twice", async () => {
  const dataDir = tempDir("recon-restart");
  const bot = new FakeTelegram();
  const env = { DATA_DIR: dataDir, RECON_SECRET_KEY: "k".repeat(40) };
  const domainOptions = { recon: { backoff: FAST_BACKOFF } };
  const domains = ["wallet", "player", "recon", "admin", "identity"] as const;
  const first = await reconFixture({ node: await testNode({ label: "recon", env, domains, domainOptions }) });
  const id = (await first.source("telegram", { apiUrl: bot.url }, bot.token)).id;
  bot.post(CHAT, kbDeposit("홍길동", 1000, 5000));
  await waitFor(async () => expectOk(await first.recon.messages({ sourceId: id, limit: 10 })).items.length === 1, { what: "the first SMS" });
  await waitFor(() => bot.offsets.at(-1) === 2, { what: "the first update to be confirmed" });
  await first.close();

  bot.post(CHAT, kbDeposit("홍길동", 2000, 7000));
  const polls = bot.offsets.length;
  const again = await testNode({ label: "recon", env, domains, domainOptions });
  try {
    await again.hostBrand(first.brand);
    const recon = again.edge.clients.recon(first.brand);
    await waitFor(async () => expectOk(await recon.messages({ sourceId: id, limit: 10 })).items.length === 2, { what: "the SMS sent while the node was down" });
    expect(bot.offsets[polls]).toBe(2);
  } finally {
    await again.stop();
    bot.stop();
  }
}, 30_000);
