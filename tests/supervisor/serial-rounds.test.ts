import { describe, expect, test } from "bun:test";
import { SerialRounds } from "../../supervisor/serial-rounds.ts";
import { waitFor } from "../support/services.ts";

describe("SerialRounds", () => {
  test("rounds run one at a time; a burst of requests during a round costs one round more, and each request resolves after a round that started after it", async () => {
    const started: number[] = [];
    let release = () => {};
    const rounds = new SerialRounds(
      async () => {
        started.push(started.length);
        await new Promise<void>((resolve) => (release = resolve));
      },
      () => {},
    );
    const first = rounds.soon();
    const burst = [rounds.soon(), rounds.soon(), rounds.soon()];
    expect(started).toEqual([0]);
    let burstDone = false;
    void Promise.all(burst).then(() => (burstDone = true));
    release();
    await first;
    await waitFor(() => started.length === 2, { what: "the round after the burst" });
    expect(burstDone).toBe(false);
    release();
    await Promise.all(burst);
    expect(started).toEqual([0, 1]);
  });

  test("a failing round is reported and the next request runs again; a timed request runs one; stopped, nothing runs", async () => {
    const failures: unknown[] = [];
    let runs = 0;
    const rounds = new SerialRounds(
      async () => {
        runs += 1;
        if (runs === 1) throw new Error("redis away");
      },
      (error) => failures.push(error),
    );
    await rounds.soon();
    expect(failures).toHaveLength(1);
    await rounds.soon();
    expect(runs).toBe(2);
    rounds.at(1);
    await waitFor(() => runs === 3, { what: "the timed round" });
    rounds.stop();
    await rounds.soon();
    expect(runs).toBe(3);
  });
});
