/**
 * One error type for the whole platform: a stable machine code and a message a caller can act
 * on. Expected failures travel as values (Outcome); PlatformError is thrown where a caller
 * cannot go on. The runtime knows codes, not HTTP: edges map codes to statuses in one table
 * (edges/shared/error-status.ts).
 */
export type ErrorBody = { code: string; message: string; details?: unknown };

export class PlatformError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "PlatformError";
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  toBody(): ErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }

  static from(body: ErrorBody): PlatformError {
    return new PlatformError(body.code, body.message, { details: body.details });
  }
}

/** The result of one message: a reply value or an expected failure. */
export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (code: string, message: string, details?: unknown): Outcome<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});
