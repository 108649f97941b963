import { describe, expect, test } from "bun:test";
import { PoisonError } from "../../actors/runtime/failure-class.ts";
import { copyValue, decodeValue, encodeValue, MAX_VALUE_DEPTH } from "../../actors/runtime/redis-codec.ts";

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

describe("mailbox values nested too deep", () => {
  const deepText = (levels: number) => `${'{"a":['.repeat(levels)}1${"]}".repeat(levels)}`;
  const deepValue = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = { a: [value] };
    return value;
  };

  test("decoding 30,000 levels is refused as a poison message, not a stack overflow", () => {
    expect(() => decodeValue(deepText(30_000))).toThrow(PoisonError);
    expect(() => decodeValue("{not json")).toThrow(PoisonError);
  });

  test("brackets inside strings do not count; the bound leaves every protocol's nesting alone", () => {
    expect(decodeValue<{ s: string }>(JSON.stringify({ s: "[[[[{{{{".repeat(100) })).s).toHaveLength(800);
    expect(() => decodeValue(deepText(MAX_VALUE_DEPTH / 2 - 1))).not.toThrow();
  });

  test("encoding or copying a value nested past the bound is refused before any recursion", () => {
    expect(() => encodeValue(deepValue(20_000))).toThrow(PoisonError);
    expect(() => copyValue(deepValue(20_000))).toThrow(PoisonError);
  });
});
