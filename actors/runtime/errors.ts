/**
 * One error type for the whole platform: a stable machine code, a message a caller can act on,
 * and the HTTP status an edge answers with. Expected failures travel as values (Outcome);
 * PlatformError is thrown where a caller cannot go on.
 */
export type ErrorBody = { code: string; message: string; details?: unknown };

const STATUS_BY_CODE: Record<string, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_token: 401,
  token_expired: 401,
  forbidden: 403,
  brand_mismatch: 403,
  brand_disabled: 403,
  not_found: 404,
  brand_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  overloaded: 503,
  degraded: 503,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

export class PlatformError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    options: { status?: number; details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "PlatformError";
    this.status = options.status ?? STATUS_BY_CODE[code] ?? 400;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
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
