import { describe, expect, test } from "bun:test";
import { copyValue, decodeValue, encodeValue } from "../../actors/runtime/redis-codec.ts";

class Money {
  constructor(readonly minor: bigint) {}
  toJSON() {
    return { minor: this.minor };
  }
}

const SAMPLES: unknown[] = [
  null,
  "text",
  42,
  -0.5,
  true,
  123456789012345678901234567890n,
  new Date("2026-11-25T10:00:00.000Z"),
  [1, "two", 3n, null, undefined, () => 1, { nested: [new Date(0)] }],
  { id: "m-1", amount: 5n, skipped: undefined, fn: () => 1, nan: Number.NaN, deep: { list: [{ at: new Date(1) }] } },
  { money: new Money(7n), empty: {}, none: [] },
];

describe("mailbox values", () => {
  test.each(SAMPLES.map((s) => [s]))("copyValue(%p) equals what the Redis codec gives back", (sample) => {
    expect(copyValue(sample)).toEqual(decodeValue(encodeValue(sample)));
  });

  test("a copy shares no object with the original", () => {
    const original = { body: { legs: [{ amount: 1n }] }, at: new Date(0) };
    const copied = copyValue(original);
    copied.body.legs[0]!.amount = 2n;
    copied.at.setTime(5);
    expect(original.body.legs[0]!.amount).toBe(1n);
    expect(original.at.getTime()).toBe(0);
  });
});
