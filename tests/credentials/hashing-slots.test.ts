import { expect, test } from "bun:test";
import { HashingSlots } from "../../actors/credentials/index.ts";

test("hashing runs at most `slots` at once; a full line is refused as overloaded", async () => {
  const slots = new HashingSlots(2, 3);
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const work = () =>
    new Promise<number>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      releases.push(() => {
        running -= 1;
        resolve(running);
      });
    });
  const started = Array.from({ length: 5 }, () => slots.run(work));
  expect(await slots.run(work)).toMatchObject({ ok: false, error: { code: "overloaded" } });
  while (releases.length > 0 || running > 0) {
    await Promise.resolve();
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  const outcomes = await Promise.all(started);
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(most).toBe(2);
});
