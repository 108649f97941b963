import { z } from "zod";

/**
 * The shared building blocks every edge validates with and every message schema reuses: ids,
 * cursors and page sizes that fit their columns, money a balance can hold, free text without
 * control characters. Validation once, by type, so a field never reaches a store unchecked.
 */

/** the largest value of a PostgreSQL bigint (and SQLite integer) */
export const INT64_MAX = 9_223_372_036_854_775_807n;

/**
 * The largest amount one request may move, in minor units: far beyond any real transfer, a
 * thousand times below what a bigint balance holds (so no sequence of them overflows before
 * the wallet's own range check), and exact as a JSON number.
 */
export const MAX_AMOUNT = 999_999_999_999_999n;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** bounds of nesting for a request body or a message (a deeper one is refused before parsing) */
export const MAX_JSON_DEPTH = 32;

// C0 and C1 controls and the BOM/zero-width no-break space: never part of typed text
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F-\u009F\uFEFF]/;

/**
 * Text a person typed: trimmed, `min`-`max` characters, no control characters (tabs and
 * newlines allowed when `multiline`), and well-formed Unicode: a lone surrogate is no
 * character, and PostgreSQL refuses it in JSON (an audit of the text would fail).
 */
export function freeText(max: number, options: { min?: number; multiline?: boolean } = {}) {
  const forbidden = options.multiline ? CONTROL : CONTROL_OR_NEWLINE;
  return z
    .string()
    .trim()
    .min(options.min ?? 1, options.min === 0 ? undefined : "must not be empty")
    .max(max, `at most ${max} characters`)
    .refine((v) => !forbidden.test(v), "must not contain control characters")
    .refine((v) => v.isWellFormed(), "must be well-formed Unicode (no lone surrogates)");
}

/** An opaque identifier a caller chose (a request id, a provider's transaction id): printable, no spaces. */
export const externalIdSchema = z
  .string()
  .min(1)
  .max(200, "at most 200 characters")
  .regex(/^[\x21-\x7E]+$/, "printable ASCII without spaces");

/** A page cursor that is a bigint row number: digits that fit the column. */
export const bigintCursorSchema = z
  .string()
  .regex(/^\d{1,19}$/, "a cursor is the nextCursor of the previous page")
  // zod runs this check after a failed regex too: it must not throw on text that is no number
  .refine((v) => /^\d{1,19}$/.test(v) && BigInt(v) <= INT64_MAX, "a cursor is the nextCursor of the previous page");

/** How many items a page holds (query strings are text: coerced). */
export const pageLimitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

/** The one pagination style: `?cursor=<nextCursor>&limit=n`, answered `{ items, nextCursor }` (null on the last page). */
export const pageQuerySchema = z.object({ cursor: bigintCursorSchema.optional(), limit: pageLimitSchema });

/** A page of `item`, as every list route answers. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const amountText = (signed: boolean) => (signed ? /^-?\d{1,15}$/ : /^\d{1,15}$/);

/** Minor units as a JSON integer or a digit string, within MAX_AMOUNT; the output is the digit string. */
export function moneyInput(options: { signed?: boolean; allowZero?: boolean } = {}) {
  const limit = Number(MAX_AMOUNT);
  return z
    .union([
      z
        .number()
        .int()
        .min(options.signed ? -limit : 0)
        .max(limit),
      z
        .string()
        .trim()
        .regex(amountText(options.signed ?? false), "a whole number of minor units"),
    ])
    .transform((v) => BigInt(v).toString())
    .refine((v) => BigInt(v) <= MAX_AMOUNT && BigInt(v) >= -MAX_AMOUNT, `at most ${MAX_AMOUNT} minor units`)
    .refine((v) => options.allowZero || BigInt(v) !== 0n, "must not be zero")
    .refine((v) => options.signed || !v.startsWith("-"), "must not be negative");
}

/**
 * Whether `text` (JSON) nests arrays and objects deeper than `limit`, found by one pass over
 * the characters before anything parses it, so a hostile body never reaches a recursive parser.
 */
export function exceedsJsonDepth(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
