import { afterAll, beforeAll, expect, test } from "bun:test";
import { catalogClient } from "../../actors/catalog/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/**
 * An event rolling fails to apply is retried with backoff (the actor restarts after each
 * crash), then goes to the mailbox's dead letters; meanwhile withdrawals wait (the wallet's
 * gate fails closed); once the fault is gone, an operator's replay applies it.
 */

let node: TestPlatformNode;
let brand: string;
const BY = { staffId: "staff-1", username: "finance" };

beforeAll(async () => {
  node = await testNode({ label: "rfail", env: { MAILBOX_MAX_DELIVERIES: "3", RESTART_BACKOFF_MS: "5", RESTART_BACKOFF_MAX_MS: "40", RESTART_INTENSITY: "100" } });
  brand = await node.addBrand({ prefix: "rfail" });
  expectOk(await catalogClient(node.parts.system).configureBrand({ brand, patch: { rolling: { depositMultiple: 1 } }, by: TEST_SETUP }));
}, 30_000);
afterAll(() => node?.stop());

test("a failing event is retried with backoff, dead-lettered, and applied by an operator's replay once the fault is gone", async () => {
  const wallet = node.edge.clients.wallet(brand);
  const rolling = node.edge.clients.rolling(brand);
  const address = `rolling@${brand}`;
  // the fault: writing a record fails in the actor's own code (a trigger on its connection
  // failing at run time), neither a dependency to wait for nor a constraint the message breaks
  const shard = node.parts.shards.acquire(brand);
  shard.sqlite.exec("CREATE TEMP TRIGGER rolling_fault BEFORE INSERT ON main.rolling_records BEGIN SELECT abs(-9223372036854775808); END");
  const restarts = () => node.parts.metrics.restarts.get().then((m) => m.values.find((v) => v.labels.domain === "rolling" && v.labels.brand === brand)?.value ?? 0);
  const before = await restarts();

  expectOk(await wallet.depositRequest({ requestId: "fail-1", player: "p1", amount: 5_000 }));
  expectOk(await wallet.depositApprove({ requestId: "fail-1", by: BY }));
  const [dead] = await waitFor(
    async () => {
      const letters = await node.edge.operations.deadLetters(address, 10);
      return letters.length > 0 ? letters : undefined;
    },
    { what: "the event in the mailbox's dead letters" },
  );
  expect(dead).toMatchObject({ envelope: { type: "wallet.deposit_approved" }, reason: expect.stringContaining("integer overflow") });
  // retried until the delivery limit (memory counts the first delivery as one attempt, Redis's pending count may have one more): then dead-lettered, no further crash
  const crashed = (await restarts()) - before;
  expect(crashed).toBeGreaterThanOrEqual(2);
  expect(crashed).toBeLessThanOrEqual(3);
  expect(expectOk(await rolling.playerRollings({ player: "p1", limit: 10 })).items).toEqual([]);
  // meanwhile the deposit's requirement is awaited: withdrawals wait, none goes through
  expect(await wallet.withdrawalRequest({ requestId: "fail-w1", player: "p1", amount: 100 })).toMatchObject({ ok: false, error: { code: "unavailable" } });

  shard.sqlite.exec("DROP TRIGGER rolling_fault");
  node.parts.shards.release(brand);
  expect(await node.edge.operations.replayDeadLetter(address, dead!.streamId)).toBe(true);
  const [record] = await waitFor(
    async () => {
      const items = expectOk(await rolling.playerRollings({ player: "p1", limit: 10 })).items;
      return items.length > 0 ? items : undefined;
    },
    { what: "the replayed event applied" },
  );
  expect(record).toMatchObject({ amount: "5000", target: "5000", status: "open" });
  await waitFor(
    async () => {
      const refused = await wallet.withdrawalRequest({ requestId: "fail-w1", player: "p1", amount: 100 });
      return !refused.ok && refused.error.code === "rolling_open";
    },
    { what: "the wallet to learn of the record" },
  );
  expect(await node.edge.operations.deadLetters(address, 10)).toEqual([]);
}, 30_000);
