import { PlatformError, type Outcome } from "../../actors/runtime/errors.ts";

/** The reply of an actor's Outcome, or its refusal thrown for the edge's error envelope. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw PlatformError.from(outcome.error);
  return outcome.value;
}

/** Await an ask and take its reply (or throw its refusal). */
export async function answered<T>(pending: Promise<Outcome<T>>): Promise<T> {
  return valueOf(await pending);
}
