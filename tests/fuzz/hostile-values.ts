import fc from "fast-check";

/** A JSON literal written into a body as it is (numbers past what JavaScript holds, `NaN`, ...). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * One hostile value, as a body field takes it (`json`: any JSON value, or RawJson) and as a
 * path, query, header or form field takes it (`text`). `encoded` texts are put into a URL as
 * they are (already percent-encoded, or broken on purpose).
 */
export type Hostile = { label: string; json: unknown; text: string; encoded?: boolean };

const text = (label: string, value: string): Hostile => ({ label, json: value, text: value });
const number = (literal: string): Hostile => ({
  label: `number ${literal.length > 30 ? `${literal.slice(0, 12)}…(${literal.length} digits)` : literal}`,
  json: new RawJson(literal),
  text: literal,
});
const typed = (label: string, json: unknown): Hostile => ({ label, json, text: typeof json === "string" ? json : JSON.stringify(json) });
const url = (label: string, encoded: string): Hostile => ({ label, json: decodeSafely(encoded), text: encoded, encoded: true });

function decodeSafely(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

export const nested = (depth: number, open = "[", close = "]") => `${open.repeat(depth)}${close.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** Numbers past every range the platform keeps: int53, int64, uint64, floats, huge digit strings. */
const NUMBERS = [
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775809",
  "18446744073709551616",
  "999999999999999",
  "1000000000000000",
  "-1",
  "0",
  "-0",
  "1.5",
  "1e3",
  "1e309",
  "-1e309",
  "1e-400",
  "4294967296",
  "9".repeat(400),
].map(number);

/** Texts that are almost numbers, or numbers in a form a parser may take too generously. */
const NUMBER_TEXTS = [
  "NaN",
  "Infinity",
  "-Infinity",
  "0x10",
  "0b1",
  "1_000",
  " 1",
  "1 ",
  "+1",
  "１２３",
  "٣",
  "",
  "-",
  "00000000000000000000001",
  "9999999999999999999",
  "9223372036854775808",
  "99999999999999999999999999999999",
  "9".repeat(2000),
  "1e3",
  "1.0",
].map((v) => text(`text ${JSON.stringify(v.length > 30 ? `${v.slice(0, 10)}…` : v)}`, v));

/** Control characters, invisible and direction-changing characters, lone surrogates, injections, sizes. */
const STRINGS = [
  text("NUL", "\u0000"),
  text("NUL inside", "fuzz\u0000fuzz"),
  text("BOM", "\uFEFF"),
  text("BOM first", "\uFEFFfuzz"),
  text("C1 NEL", "\u0085"),
  text("C1 inside", "fuzz\u009Ffuzz"),
  text("DEL", "fuzz\u007F"),
  text("ESC", "\u001B[31mfuzz"),
  text("RTL override", "\u202Efuzz"),
  text("zero width", "\u200B"),
  text("line separator", "fuzz\u2028fuzz"),
  text("CRLF", "fuzz\r\nfuzz: 1"),
  text("tab", "\t"),
  text("spaces", "   "),
  text("empty", ""),
  text("lone surrogate", "fuzz\uD800"),
  text("emoji", "😀🎰"),
  text("fullwidth", "ｆｕｚｚ"),
  text("dot dot slash", "../../../../etc/passwd"),
  text("dot dot", ".."),
  text("slash", "/"),
  text("backslash", "..\\..\\windows"),
  text("sql quote", "' OR '1'='1' --"),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection is the point
  text("template", "${7*7}{{7*7}}"),
  text("html", "<script>alert(1)</script>"),
  text("percent", "%"),
  text("percent NUL", "%00"),
  text("proto", "__proto__"),
  text("constructor", "constructor"),
  text("256 chars", "a".repeat(256)),
  text("5001 chars", "b".repeat(5001)),
  text("20001 accented", "é".repeat(20001)),
  text("60000 chars", "c".repeat(60000)),
];

/** Values of the wrong type for almost any field. */
const WRONG_TYPES = [
  typed("null", null),
  typed("true", true),
  typed("false", false),
  typed("empty array", []),
  typed("empty object", {}),
  typed("array", ["fuzz", 1]),
  typed("object", { fuzz: 1 }),
  typed("proto object", JSON.parse('{"__proto__":{"polluted":true}}')),
  { label: "nested 31", json: new RawJson(nested(31)), text: nested(31) },
  { label: "nested 33", json: new RawJson(nested(33)), text: nested(33) },
  { label: "nested objects 40", json: new RawJson(nestedObject(40)), text: nestedObject(40) },
];

/** What only a URL can carry: broken percent-encoding, encoded separators and traversal, bytes that are not UTF-8. */
const URL_TEXTS = [
  url("broken escape", "%"),
  url("broken escape 2", "%zz"),
  url("not UTF-8", "%ff%fe"),
  url("overlong slash", "%c0%af"),
  url("encoded NUL", "fuzz%00"),
  url("encoded traversal", "..%2f..%2fetc"),
  url("double encoded", "%252e%252e%252f"),
  url("encoded BOM", "%ef%bb%bf1"),
  url("encoded newline", "fuzz%0d%0aX-Injected:%201"),
  url("lone surrogate", "%ed%a0%80"),
];

const CATALOG = [...NUMBERS, ...NUMBER_TEXTS, ...STRINGS, ...WRONG_TYPES];

/** Generated beyond the catalog: any unicode, any integer up to 2^80, any double. */
const generated: fc.Arbitrary<Hostile> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }).map((v) => text(`unicode ${JSON.stringify(v)}`, v)),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }).map((v) => text(`controls ${JSON.stringify(v)}`, v)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((v) => number(v.toString())),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => number(String(v))),
);

/** A hostile value for a body, query or path field. */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CATALOG) }, { weight: 1, arbitrary: generated });

/** A hostile value for a path or query parameter: the catalog, or what only a URL carries. */
export const hostileUrlValue: fc.Arbitrary<Hostile> = fc.oneof({ weight: 4, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constantFrom(...URL_TEXTS) });
