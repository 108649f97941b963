import { afterAll, beforeAll, describe, expect } from "bun:test";
import { checkRoundProjection, repairRoundProjection } from "../../supervisor/projection-check.ts";
import { callbackFixture, fund, launch } from "../callbacks/provider-client.ts";
import { testStore, waitFor } from "../support/services.ts";
import { CAN_RUN_FAULT_TESTS, faultTest } from "./fault-harness.ts";
import { PrivateRedis } from "./private-services.ts";

/**
 * Redis restarted without its data (no persistence): the round events on their way are gone,
 * the projection check finds exactly those ledger transactions missing from the game rounds,
 * and the outbox replay closes the gap. Meanwhile the mailboxes and the event bus make their
 * streams and groups again, so work after the restart flows as before.
 */
describe("Redis losing its data", () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    if (CAN_RUN_FAULT_TESTS) redis = await PrivateRedis.start();
  }, 30_000);
  afterAll(() => redis?.stop());

  faultTest("the projection check finds the round events Redis lost and the replay closes the gap; the node closes in time", async () => {
    const store = await testStore();
    const { node, brand, providers } = await callbackFixture(["standard"], { store, env: { REDIS_URL: redis.url, ASK_TIMEOUT_MS: "1000" } });
    const provider = providers.standard;
    const since = Date.now() - 60_000;
    const player = `pl-${crypto.randomUUID().slice(0, 8)}`;
    await fund(node, brand, player, 1000);
    const token = await launch(node, brand, player, provider.code);
    const bet = async () => {
      const uuid = crypto.randomUUID();
      return (await provider.call("transaction/bet", { token, transaction_uuid: uuid, round: `r-${uuid}`, game_code: "slot-1", amount: 1, currency: "KRW" })).body.status;
    };
    const projection = () => checkRoundProjection(node.ctx, brand, since);
    try {
      for (let i = 0; i < 5; i++) expect(await bet()).toBe("RS_OK");
      await waitFor(async () => (await projection()).ok, { what: "the first bets in the rounds" });

      // game@brand is not hosted, so the next bets' round events wait in Redis when it goes:
      // relayed to the event stream, where the game group's asks of them go unanswered
      await node.ctx.system.unhost(`game@${brand}`);
      for (let i = 0; i < 10; i++) expect(await bet()).toBe("RS_OK");
      await waitFor(
        async () => {
          const [unrelayed] = await store.query<{ n: bigint }>("select count(*) as n from outbox where brand_id = $1 and relayed_at is null", [brand]);
          return Number(unrelayed?.n) === 0 && (await projection()).missing === 10;
        },
        { what: "the round events relayed and waiting in Redis" },
      );
      await redis.down();
      await redis.up();
      await waitFor(
        () =>
          node.ctx.system.host("game", brand).then(
            () => true,
            () => false,
          ),
        { what: "game@brand hosted again" },
      );

      // streams and groups are made again: a bet after the restart is answered and projected
      await waitFor(async () => (await bet()) === "RS_OK", { what: "a bet after the restart", timeoutMs: 10_000 });
      // (a retry of it that timed out may have committed too: count from the ledger; the game
      // group's reader may still hold the first lost event and apply it once the actor is back)
      const gap = await waitFor(
        async () => {
          const report = await projection();
          return report.ledger.transactions >= 16 && report.missing >= 9 && report.missing <= 10 ? report : undefined;
        },
        { what: "the bets after the restart in the rounds", timeoutMs: 10_000 },
      );
      expect(gap.ok).toBe(false);
      expect(BigInt(gap.ledger.bets) - BigInt(gap.rounds.bets)).toBe(BigInt(gap.missing));

      expect(await repairRoundProjection(node.ctx.relay, gap)).toBeGreaterThanOrEqual(10);
      const closed = await waitFor(
        async () => {
          const report = await projection();
          return report.ok ? report : undefined;
        },
        { what: "the replay to close the gap", timeoutMs: 10_000 },
      );
      expect(closed.rounds).toEqual(closed.ledger);
    } finally {
      const closing = performance.now();
      await node.close();
      expect(performance.now() - closing).toBeLessThan(5000);
    }
  });
});
