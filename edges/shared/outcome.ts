import { type ErrorBody, type Outcome, PlatformError } from "../../actors/runtime/errors.ts";

/** The reply of an actor's Outcome, or its refusal thrown for the edge's error envelope. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw refusal(outcome.error);
  return outcome.value;
}

/** Await an ask and take its reply (or throw its refusal). */
export async function answered<T>(pending: Promise<Outcome<T>>): Promise<T> {
  return valueOf(await pending);
}

/** A refusal to throw; a `retryAfterSeconds` in its details (a lock, a limit) becomes the reply's `Retry-After`. */
function refusal(error: ErrorBody): PlatformError {
  const retry = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return new PlatformError(error.code, error.message, { details: error.details, retryAfterSeconds: typeof retry === "number" ? retry : undefined });
}
