import { afterAll, beforeAll, describe, expect } from "bun:test";
import { type CentralStore, openCentralStore, type SqlExecutor } from "../../actors/runtime/central-store.ts";
import { classifyFailure } from "../../actors/runtime/failure-class.ts";
import { DATABASE_URL, postgresTest, tempDir, waitFor } from "../support/services.ts";

/**
 * A transaction whose connection closes under it (the server killed the session, or ended it
 * idle in transaction) fails as a dependency failure, sends nothing more on that connection
 * and leaves the store working. Without the guard each of these cases ends the test process
 * with postgres.js's uncaught "null is not an object (evaluating 'socket.write')", and the
 * last one can run the late statement on the reconnected session, outside any transaction.
 * None of the transactions here may commit, so the table stays empty.
 */
describe("central store transactions when the connection closes (PostgreSQL)", () => {
  let store: CentralStore;
  const table = `tx_guard_${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    if (!DATABASE_URL) return;
    store = await openCentralStore({ databaseUrl: DATABASE_URL, dataDir: tempDir("tx-guard"), max: 3, timeouts: { idleInTransactionMs: 300 } });
    await store.query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
  });

  afterAll(async () => {
    await store?.query(`DROP TABLE IF EXISTS ${table}`);
    await store?.close();
  });

  const rows = async () => (await store.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );
  const killSession = (pid: number) => store.query("SELECT pg_terminate_backend($1)", [pid]);

  /**
   * A transaction that inserts `first`, then waits for `resume()` before inserting `second`:
   * its outcome, its session's pid once known, and the late insert's failure.
   */
  function pausedTransaction(first: string, second: string) {
    let pid = 0;
    let resume = () => {};
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let lateInsert: unknown = null;
    let callbackDone = () => {};
    const finished = new Promise<void>((resolve) => (callbackDone = resolve));
    const outcome = failure(
      store.transaction(async (tx: SqlExecutor) => {
        try {
          pid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
          await tx.query(`INSERT INTO ${table} VALUES ($1)`, [first]);
          await resumed;
          lateInsert = await failure(tx.query(`INSERT INTO ${table} VALUES ($1)`, [second]));
          if (lateInsert) throw lateInsert;
        } finally {
          callbackDone();
        }
      }),
    );
    return { outcome, resume, finished, pid: () => waitFor(() => pid, { what: "the session's pid" }), lateInsert: () => lateInsert };
  }

  postgresTest("a session killed during a statement fails the transaction as a dependency failure; the store answers after it", async () => {
    let pid = 0;
    const outcome = failure(
      store.transaction(async (tx) => {
        pid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
        await tx.query(`INSERT INTO ${table} VALUES ('killed')`);
        await tx.query("SELECT pg_sleep(5)");
      }),
    );
    await killSession(await waitFor(() => pid, { what: "the session's pid" }));

    const error = await outcome;
    expect(error).not.toBeNull();
    expect(classifyFailure(error)).toBe("dependency");
    expect(await rows()).toEqual([]);
    expect(await store.transaction((tx) => tx.query<{ one: number }>("SELECT 1 AS one"))).toEqual([{ one: 1 }]);
  });

  postgresTest("a callback that goes on after its connection closed sends nothing: its statement is refused and nothing commits", async () => {
    const paused = pausedTransaction("before-close", "after-close");
    await killSession(await paused.pid());

    // the transaction fails as soon as its connection is gone, while its callback still waits
    expect(classifyFailure(await paused.outcome)).toBe("dependency");
    paused.resume();
    await paused.finished;
    expect(classifyFailure(paused.lateInsert())).toBe("dependency");
    expect(await rows()).toEqual([]);
  });

  postgresTest("a transaction the server ended idle in transaction commits nothing, even once the store connected again", async () => {
    const paused = pausedTransaction("idle-1", "idle-2");
    // the server ends the session after 300 ms idle inside the transaction
    expect(classifyFailure(await paused.outcome)).toBe("dependency");
    await Promise.all([1, 2, 3].map(() => store.query("SELECT pg_sleep(0.05)")));
    paused.resume();
    await paused.finished;
    expect(classifyFailure(paused.lateInsert())).toBe("dependency");
    expect(await rows()).toEqual([]);
  });

  postgresTest("after a lost connection the store answers on fresh connections, reading and writing as before", async () => {
    const roundTrip = () => store.query<{ j: unknown; t: unknown }>("SELECT $1::jsonb AS j, now() AS t", [JSON.stringify({ brands: ["a"] })]);
    const before = (await roundTrip())[0]!;
    let pid = 0;
    const lost = failure(
      store.transaction(async (tx) => {
        pid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
        await tx.query("SELECT pg_sleep(5)");
      }),
    );
    await killSession(await waitFor(() => pid, { what: "the session's pid" }));
    expect(classifyFailure(await lost)).toBe("dependency");

    const after = (await roundTrip())[0]!;
    // JSON goes in as the text it is given and comes back parsed; timestamps come back as text
    expect(after.j).toEqual({ brands: ["a"] });
    expect(typeof after.t).toBe(typeof before.t);
    expect(typeof after.t).toBe("string");
  });
});
