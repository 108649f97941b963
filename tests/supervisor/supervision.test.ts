import { expect, test } from "bun:test";
import { decide } from "../../actors/runtime/supervision.ts";

const policy = { backoffMs: 100, maxBackoffMs: 1000, intensity: 5, periodMs: 60_000 };

test("restarts back off exponentially up to the cap, then escalate past the intensity", () => {
  const now = 1_000_000;
  const delays: number[] = [];
  const restarts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const d = decide(policy, restarts, now + i);
    expect(d.action).toBe("restart");
    if (d.action === "restart") delays.push(d.delayMs);
    restarts.push(now + i);
  }
  expect(delays).toEqual([100, 200, 400, 800, 1000]);
  const escalated = decide(policy, restarts, now + 10);
  expect(escalated.action).toBe("escalate");
  if (escalated.action === "escalate") expect(escalated.retryAfterMs).toBe(60_000 - 10);
});

test("restarts older than the period no longer count", () => {
  const old = [0, 1, 2, 3, 4];
  expect(decide(policy, old, 60_005)).toEqual({ action: "restart", delayMs: 100 });
});
