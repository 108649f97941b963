import { PoisonError } from "./failure-class.ts";

/**
 * How deeply a message may nest. Far beyond any protocol's schema, and far below what would
 * overflow the stack of a recursive parse or copy: a deeper value is refused, never decoded.
 */
export const MAX_VALUE_DEPTH = 64;

/**
 * JSON that keeps what the in-memory transport's structuredClone keeps and plain JSON loses:
 * bigint (money) and Date. A value nested past MAX_VALUE_DEPTH is refused (PoisonError).
 */
export function encodeValue(value: unknown): string {
  if (nestedPast(value, MAX_VALUE_DEPTH)) throw tooDeep();
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = this[key];
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (original instanceof Date) return { $date: original.toISOString() };
    return v;
  });
}

/** The value `encodeValue` wrote; text that is not JSON or nests past MAX_VALUE_DEPTH is refused (PoisonError). */
export function decodeValue<T>(text: string): T {
  if (jsonNestedPast(text, MAX_VALUE_DEPTH)) throw tooDeep();
  try {
    return parseTagged(text) as T;
  } catch (error) {
    throw new PoisonError(`undecodable message: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseTagged(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && typeof v.$bigint === "string") return BigInt(v.$bigint);
      if (keys.length === 1 && typeof v.$date === "string") return new Date(v.$date);
    }
    return v;
  });
}

/**
 * The value as `decodeValue(encodeValue(value))` gives it back, without the text in between:
 * what the in-memory transport hands over, so an actor sees the same data on either
 * transport (and never shares an object with its sender).
 */
export function copyValue<T>(value: T): T {
  if (nestedPast(value, MAX_VALUE_DEPTH)) throw tooDeep();
  return copy(value) as T;
}

const tooDeep = () => new PoisonError(`the message nests deeper than ${MAX_VALUE_DEPTH} levels`);

/** True when objects and arrays nest more than `limit` deep; stops looking there (no deep recursion). */
function nestedPast(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit === 0) return true;
  const items = Array.isArray(value) ? value : value instanceof Date ? [] : Object.values(value);
  for (const item of items) if (nestedPast(item, limit - 1)) return true;
  return false;
}

/** The same bound on JSON text, by counting brackets outside strings, before any parse. */
export function jsonNestedPast(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function copy(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((item) => copy(item) ?? null);
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return copy(json.call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    if (item !== undefined) out[key] = item;
  }
  return out;
}
