import { createHash } from "node:crypto";

/**
 * The fingerprint of a request: a hash of the fields that must match for the same
 * idempotency key to count as the same request (the contract: amount, round, player, type,
 * reference). Values are canonicalized first, so 100 and "100" are the same amount.
 */
export function fingerprint(kind: string, fields: readonly (string | bigint | boolean | null | undefined)[]): string {
  const canonical = JSON.stringify([kind, ...fields.map((f) => (f === undefined ? null : typeof f === "bigint" ? f.toString() : f))]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 32);
}
