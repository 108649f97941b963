import { describe, expect, test } from "bun:test";
import { bigintCursorSchema, exceedsJsonDepth, freeText, MAX_AMOUNT, moneyInput, pageQuerySchema } from "../../actors/runtime/fields.ts";

describe("shared field schemas", () => {
  test("a cursor fits a bigint column", () => {
    expect(bigintCursorSchema.safeParse("9223372036854775807").success).toBe(true);
    expect(bigintCursorSchema.safeParse("9223372036854775808").success).toBe(false);
    expect(bigintCursorSchema.safeParse("9999999999999999999").success).toBe(false);
    expect(bigintCursorSchema.safeParse("-1").success).toBe(false);
    // text that is no number is refused, never thrown on
    for (const text of ["1.2", "1e3", "", "abc", "12\u0000", " 7"]) expect(bigintCursorSchema.safeParse(text).success).toBe(false);
  });

  test("pages default to 50 items and take at most 200", () => {
    expect(pageQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(pageQuerySchema.safeParse({ limit: "201" }).success).toBe(false);
    expect(pageQuerySchema.parse({ limit: "200", cursor: "12" })).toEqual({ limit: 200, cursor: "12" });
  });

  test("free text refuses NUL and other control characters, keeps newlines only when asked", () => {
    expect(freeText(20).safeParse("a\u0000b").success).toBe(false);
    expect(freeText(20).safeParse("hel\ufefflo").success).toBe(false);
    expect(freeText(20).safeParse("two\nlines").success).toBe(false);
    expect(freeText(20, { multiline: true }).parse(" two\nlines ")).toBe("two\nlines");
    expect(freeText(3).safeParse("four").success).toBe(false);
    // a lone surrogate is no character: PostgreSQL refuses it in JSON
    expect(freeText(20).safeParse("fuzz\ud800").success).toBe(false);
    expect(freeText(20).safeParse("\udc00").success).toBe(false);
    expect(freeText(20).parse("a 😀 b")).toBe("a 😀 b");
  });

  test("money is whole minor units within what a request may move", () => {
    const amount = moneyInput();
    expect(amount.parse(15)).toBe("15");
    expect(amount.parse("0015")).toBe("15");
    expect(amount.parse(Number(MAX_AMOUNT))).toBe(MAX_AMOUNT.toString());
    for (const bad of [0, -1, 1.5, "9999999999999999", Number("9999999999999999"), "1e3", "", "12a"]) expect(amount.safeParse(bad).success).toBe(false);
    expect(moneyInput({ signed: true }).parse(-20)).toBe("-20");
  });

  test("JSON nesting is measured before parsing, strings and escapes included", () => {
    expect(exceedsJsonDepth("[".repeat(33) + "]".repeat(33))).toBe(true);
    expect(exceedsJsonDepth("[".repeat(32) + "]".repeat(32))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"[[[[' }))).toBe(false);
    expect(exceedsJsonDepth("[".repeat(30_000))).toBe(true);
  });
});
