/**
 * A request the wallet refuses by a rule of the brand (a limit, the rolling gate): its code,
 * a message saying what to do, and details naming the setting. It is kept under the request's
 * key like any refusal (the same request stays refused), unless it holds only for now.
 */
export type Refusal = {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  /** refused for now only (the rolling gate waiting for an answer): not kept under the request's key */
  transient?: boolean;
};
