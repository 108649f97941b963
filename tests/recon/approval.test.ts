import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectOk } from "../../actors/runtime/client.ts";
import { waitFor } from "../support/services.ts";
import { testNode } from "../support/test-node.ts";
import { FAST_BACKOFF, kbDeposit, type ReconFixture, reconFixture } from "./recon-fixture.ts";

let f: ReconFixture;
let sourceId: string;
beforeAll(async () => {
  // asks to an actor nobody hosts give up fast, so the wallet's absence shows quickly
  const node = await testNode({
    label: "recon",
    env: { ASK_TIMEOUT_MS: "300" },
    domains: ["wallet", "player", "recon", "admin", "identity"],
    domainOptions: { recon: { backoff: FAST_BACKOFF } },
  });
  f = await reconFixture({ node });
  sourceId = (await f.source("webhook")).id;
}, 30_000);
afterAll(() => f.close());

const approvals = (requestId: string) =>
  f.node.parts.store.query<{ n: bigint }>("select count(*) as n from wallet_transactions where brand_id = $1 and kind = 'deposit_approval' and metadata->>'requestId' = $2", [
    f.brand,
    requestId,
  ]);

test("a match made while the wallet cannot answer is approved when it can, once", async () => {
  const { player, requestId } = await f.deposit(47_000, "오세훈");
  await f.node.parts.system.unhost(`wallet@${f.brand}`);
  const notice = await f.ingest(sourceId, kbDeposit("오세훈", 47_000, 147_000));
  expect(notice.state).toBe("matched");
  // the approval service keeps asking while nobody answers for the wallet
  expect((await f.message(notice.messageId)).match?.state).toBe("approving");
  await f.node.parts.system.host("wallet", f.brand);
  await f.waitForCash(player, "47000", 5000);
  await waitFor(async () => (await f.message(notice.messageId)).match?.state === "approved", { what: "recon to hear of the approval" });
  expect((await approvals(requestId))[0]!.n).toBe(1n);
});

test("the match's event delivered again approves nothing twice: the request id is the wallet's key", async () => {
  const { player, requestId } = await f.deposit(48_000, "유재석");
  const notice = await f.ingest(sourceId, kbDeposit("유재석", 48_000, 195_000));
  await f.waitForCash(player, "48000");
  const row = f.node.parts.shards
    .acquire(f.brand)
    .sqlite.query<{ payload: string }, [string]>("select payload from outbox where type = 'recon.deposit_matched' and payload like ?")
    .get(`%${notice.messageId}%`)!;
  // a replay of the brand's events (the relay's `replay`) hands the approval service the same match again
  await f.node.parts.events.publish([{ id: crypto.randomUUID(), type: "recon.deposit_matched", brand: f.brand, at: Date.now(), payload: JSON.parse(row.payload) }]);
  // the wallet answered the second approval with the first one's outcome
  await waitFor(
    async () => {
      const replies = await f.node.parts.store.query<{ n: bigint }>(
        "select count(*) as n from wallet_messages where brand_id = $1 and outcome->'value'->>'requestId' = $2 and outcome->'value'->>'replayed' = 'true'",
        [f.brand, requestId],
      );
      return replies[0]!.n > 0n;
    },
    { what: "the replayed approval to be answered" },
  );
  expect([await f.cash(player), (await approvals(requestId))[0]!.n]).toEqual(["48000", 1n]);
  expect(expectOk(await f.recon.message({ messageId: notice.messageId })).match?.state).toBe("approved");
});
