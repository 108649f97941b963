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
