/**
 * JSON that keeps what the in-memory transport's structuredClone keeps and plain JSON loses:
 * bigint (money) and Date.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = this[key];
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (original instanceof Date) return { $date: original.toISOString() };
    return v;
  });
}

export function decodeValue<T>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && typeof v.$bigint === "string") return BigInt(v.$bigint);
      if (keys.length === 1 && typeof v.$date === "string") return new Date(v.$date);
    }
    return v;
  }) as T;
}

/**
 * The value as `decodeValue(encodeValue(value))` gives it back, without the text in between:
 * what the in-memory transport hands over, so an actor sees the same data on either
 * transport (and never shares an object with its sender).
 */
export function copyValue<T>(value: T): T {
  return copy(value) as T;
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
