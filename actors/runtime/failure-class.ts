/**
 * The one place that decides what a failure inside a turn means, and so what the runtime
 * does about it (docs/architecture.md, "Failure policy"):
 *
 * - `dependency`: PostgreSQL or Redis is unreachable, timed out, failed over or is out of
 *   resources. Nothing is wrong with the actor or the message: the actor waits and retries
 *   with a short backoff, without counting a crash, and callers hear `unavailable` at once.
 * - `poison`: this message will fail the same way every time (bad data the store refuses, a
 *   decode error, a thrown validation error). It is refused alone; the others go on.
 * - `crash`: the actor's own code failed. Restart with backoff, then degraded.
 */
export type FailureClass = "dependency" | "poison" | "crash";

/** Thrown where a message cannot be taken as it is (a decode or validation failure): refused alone. */
export class PoisonError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PoisonError";
  }
}

/** Thrown where a dependency is known to be away (a store closed under the actor, a probe that failed). */
export class DependencyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DependencyError";
  }
}

/** Connection-level failures as Node, postgres.js and ioredis report them. */
const DEPENDENCY_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** ioredis and PGlite say it in words only. */
const DEPENDENCY_MESSAGES = [
  "Connection is closed",
  "Stream isn't writeable",
  "Command timed out",
  "Reached the max retries per request limit",
  "PGlite is closed",
  "connection terminated",
  "Connection terminated",
];

/** SQLSTATEs of a server that is going away, overloaded, or holding a lock too long. */
function sqlStateClass(code: string): FailureClass | undefined {
  if (code.startsWith("08")) return "dependency"; // connection exception
  if (code.startsWith("53")) return "dependency"; // insufficient resources
  if (code.startsWith("57P")) return "dependency"; // admin shutdown, crash shutdown, cannot connect now
  if (code === "57014") return "dependency"; // statement timeout or cancel
  if (code === "55P03") return "dependency"; // lock_timeout
  if (code === "25P03") return "dependency"; // idle in transaction too long
  if (code === "40001" || code === "40P01") return "dependency"; // serialization failure, deadlock: try again
  if (code.startsWith("22")) return "poison"; // data exception: out of range, invalid text, bad JSON
  if (code.startsWith("23")) return "poison"; // integrity constraint the message breaks
  if (code === "54001") return "poison"; // statement too complex (deep input)
  return undefined;
}

/**
 * SQLite result codes (bun:sqlite's `code`): another connection holding the lock, or the disk
 * failing, is a dependency; a constraint or type the message's data breaks is poison.
 */
function sqliteClass(code: string): FailureClass | undefined {
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return "dependency";
  if (/^SQLITE_(FULL|IOERR|CANTOPEN|NOLFS)/.test(code)) return "dependency";
  if (/^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code)) return "poison";
  return undefined;
}

/** What `error` (and the errors it wraps) means for the turn it failed. */
export function classifyFailure(error: unknown, depth = 0): FailureClass {
  if (error instanceof PoisonError) return "poison";
  if (error instanceof DependencyError) return "dependency";
  if (error === null || typeof error !== "object" || depth > 4) return "crash";
  const { name, code, message, cause, errors } = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (name === "ZodError") return "poison";
  if (name === "MaxRetriesPerRequestError") return "dependency";
  if (error instanceof RangeError && String(message).includes("call stack")) return "poison";
  if (typeof code === "string") {
    if (DEPENDENCY_CODES.has(code)) return "dependency";
    if (code.startsWith("SQLITE_")) {
      const bySqlite = sqliteClass(code);
      if (bySqlite) return bySqlite;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const byState = sqlStateClass(code);
      if (byState) return byState;
    }
  }
  if (typeof message === "string" && DEPENDENCY_MESSAGES.some((m) => message.includes(m))) return "dependency";
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    if (inner === undefined) continue;
    const found = classifyFailure(inner, depth + 1);
    if (found !== "crash") return found;
  }
  return "crash";
}

/** A short description of a failure for logs, status and refusals (never a stack). */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** A command refused before it was written (the connection was down): certainly not applied. */
export function neverWritten(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes("Stream isn't writeable") || message.includes("ECONNREFUSED") || (error as { code?: unknown })?.code === "ECONNREFUSED";
}
