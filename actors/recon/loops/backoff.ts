/** How long a loop waits after a failure; tests shrink every number. */
export type BackoffPolicy = {
  /** first wait after a failure, doubling with each failure in a row */
  baseMs: number;
  maxMs: number;
  /** what one second of an upstream's `retry_after` or rate-limit reset is worth here */
  secondMs: number;
  /** a Pushbullet stream silent this long is dead (it sends a nop about every 30 s) */
  silenceMs: number;
  /** a Telegram long poll holds this many seconds */
  pollSeconds: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, secondMs: 1000, silenceMs: 35_000, pollSeconds: 25 };

/** A failure of an upstream: its status and, when it said so, how long to wait (seconds). */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "UpstreamError";
  }
}

/** The wait before the next attempt: the upstream's own word when it gave one, else exponential. */
export function nextWait(policy: BackoffPolicy, error: unknown, failures: number): number {
  if (error instanceof UpstreamError && error.retryAfterSeconds !== undefined) {
    return Math.min(policy.maxMs, Math.max(0, error.retryAfterSeconds) * policy.secondMs);
  }
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 20));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** What a loop hands the recon actor and tells it about itself. */
export type LoopSink = {
  /** store these messages and the resume point in one commit; throws when not stored (the loop retries) */
  deliver(items: { externalId: string; text: string; sender: string | null; receivedAt: number }[], cursor?: string): Promise<void>;
  status(connected: boolean, error: string | null): Promise<void>;
};

export type IntakeLoop = { stop(): Promise<void> };

/** The message of a failure as a status line: never a token (URLs that carry one are cut). */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/bot\d+:[A-Za-z0-9_-]+/g, "bot<token>")
    .replace(/websocket\/[A-Za-z0-9._-]+/g, "websocket/<token>")
    .slice(0, 500);
}
