import type { OpenApiDocument } from "../../edges/shared/index.ts";
import { type JsonSchema, resolved } from "./operations.ts";

/** Texts tried, in order, against a string schema's pattern: the first that matches is its sample. */
const PATTERN_CANDIDATES = [
  "fuzz",
  "fuzz1",
  "fuzz_one",
  "fuzzone1",
  "Fuzz Name",
  "1",
  "100",
  "KRW",
  "010-2222-3333",
  "110-222-333444",
  "wallet",
  "fuzz.example.test",
  "fuzz-key-0001",
  "1700000000000-0",
  "00000000-0000-4000-8000-000000000000",
  "a".repeat(43),
  "a".repeat(64),
  "cash",
];

/** The values a text of `format` takes. */
const FORMATS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00.000Z",
  date: "2024-01-01",
  uuid: "00000000-0000-4000-8000-000000000000",
  email: "fuzz@example.test",
  uri: "https://example.test/fuzz",
};

/** A sample for a property: the value `known` gives it, or one the schema accepts. */
export type Known = (name: string) => unknown;

/**
 * A value the JSON Schema accepts, as plain as it can be: a const or the first enum value, the
 * default, the first alternative, the smallest number in range, a text from
 * PATTERN_CANDIDATES. Objects take their required properties, and their optional ones when
 * `known` names them (or `all` asks for every one).
 */
export function sampleOf(document: OpenApiDocument, schema: JsonSchema, known: Known, options: { all?: boolean } = {}, depth = 0): unknown {
  const s = resolved(document, schema);
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined && s.type !== "object") return s.default;
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return sampleOf(document, alternatives.find((a) => resolved(document, a).type !== "null") ?? alternatives[0]!, known, options, depth + 1);
  if (s.allOf) return sampleOf(document, s.allOf[0], known, options, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return stringSample(s);
    case "integer":
    case "number":
      return numberSample(s);
    case "boolean":
      return false;
    case "null":
      return null;
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(document, s.items ?? {}, known, options, depth + 1));
    case "object":
      return objectSample(document, s, known, options, depth);
    default:
      return "fuzz";
  }
}

function objectSample(document: OpenApiDocument, s: JsonSchema, known: Known, options: { all?: boolean }, depth: number): Record<string, unknown> {
  const required = new Set<string>(s.required ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
    const given = known(name);
    if (given !== undefined) out[name] = given;
    else if (required.has(name) || (options.all && depth === 0)) out[name] = sampleOf(document, property, known, {}, depth + 1);
  }
  return out;
}

function stringSample(s: JsonSchema): string {
  if (s.format && FORMATS[s.format]) return FORMATS[s.format]!;
  const fits = (v: string) => (s.minLength === undefined || [...v].length >= s.minLength) && (s.maxLength === undefined || [...v].length <= s.maxLength);
  if (s.pattern) {
    const pattern = new RegExp(s.pattern, "u");
    const padded = PATTERN_CANDIDATES.flatMap((c) => [c, c.padEnd(s.minLength ?? 0, "z")]);
    return padded.find((c) => pattern.test(c) && fits(c)) ?? "fuzz";
  }
  const text = "fuzz text".padEnd(s.minLength ?? 0, "z");
  return s.maxLength !== undefined ? text.slice(0, s.maxLength) : text;
}

function numberSample(s: JsonSchema): number {
  const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
  const high = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : undefined);
  if (low !== undefined && low > 1) return low;
  if (high !== undefined && high < 1) return high;
  return 1;
}
