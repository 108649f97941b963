import { z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";

/** What an `Idempotency-Key` header may hold. */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "Idempotency-Key: 8-100 letters, digits, _ . : -");

/** The optional header as a route describes it: `means` is what a retry with the same key is. */
export const idempotencyKeyHeader = (means: string) => z.object({ "idempotency-key": idempotencyKeySchema.optional().describe(means) });

/**
 * The id of a money request made under an `Idempotency-Key`: the key within the caller's own
 * namespace (`owner`, such as `staff:<id>` or a player's id), so a retry with the same key is
 * the same request and nobody can reach another caller's request by naming its key. Without
 * the header every call is a new request. A malformed key is 400 `validation_failed`.
 */
export function idempotentId(owner: string, header: string | undefined): string {
  if (header === undefined) return `${owner}:${crypto.randomUUID()}`;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw new PlatformError("validation_failed", key.error.issues[0]!.message);
  return `${owner}:${key.data}`;
}
