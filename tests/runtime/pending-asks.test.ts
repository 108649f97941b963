import { expect, test } from "bun:test";
import { fail, ok } from "../../actors/runtime/errors.ts";
import { PendingAsks } from "../../actors/runtime/pending-asks.ts";

test("two asks with one message id are both answered by its reply; a timeout forgets only its own ask", async () => {
  const asks = new PendingAsks();
  const first = asks.expect("m1", 60_000, () => fail("timeout", "late"));
  const second = asks.expect("m1", 60_000, () => fail("timeout", "late"));
  const brief = asks.expect("m1", 1, () => fail("timeout", "late"));
  expect(await brief).toMatchObject({ ok: false, error: { code: "timeout" } });
  asks.settle({ inReplyTo: "m1", outcome: ok("done") });
  expect(await Promise.all([first, second])).toEqual([ok("done"), ok("done")]);
});
