import { z } from "zod";
import type { ErrorBody } from "../../../actors/runtime/errors.ts";
import type { CallbackReply } from "./types.ts";

/** Statuses every dialect shares. */
export const STATUS = {
  ok: "RS_OK",
  wrongTypes: "RS_ERROR_WRONG_TYPES",
  invalidSignature: "RS_ERROR_INVALID_SIGNATURE",
  invalidToken: "RS_ERROR_INVALID_TOKEN",
  tokenExpired: "RS_ERROR_TOKEN_EXPIRED",
  userDisabled: "RS_ERROR_USER_DISABLED",
  unknown: "RS_ERROR_UNKNOWN",
} as const;

export const refused = (status: string, message: string, extra: Record<string, unknown> = {}): CallbackReply => ({
  http: 200,
  body: { status, ...extra, message },
});

export const wrongTypes = (message: string): CallbackReply => ({ http: 400, body: { status: STATUS.wrongTypes, message } });

export const internalFailure = (message: string): CallbackReply => ({ http: 500, body: { status: STATUS.unknown, message } });

/** Codes that say the call was certainly not applied and may be sent again shortly. */
const REFUSED_FOR_NOW = new Set(["overloaded", "unavailable", "degraded"]);

/** "Refused, retry later": HTTP 503 with Retry-After; nothing was applied, the provider sends the same call again. */
export const retryLater = (message: string): CallbackReply => ({
  http: 503,
  body: { status: STATUS.unknown, message: `not applied: ${message}; retry later` },
  retryAfterSeconds: 1,
});

/**
 * A wallet refusal as the dialect's reply: an RS_* code is the provider's answer (with the
 * balance the wallet attached); a refusal that applied nothing for now (overloaded, a
 * dependency away, degraded) is HTTP 503 with Retry-After; anything else means the outcome
 * is unknown: HTTP 500, and the provider retries or rolls back.
 */
export function walletRefusal(error: ErrorBody, extra: Record<string, unknown> = {}): CallbackReply {
  if (error.code === "validation_failed" || error.code === "amount_out_of_range") return wrongTypes(error.message);
  if (REFUSED_FOR_NOW.has(error.code)) return retryLater(error.message);
  if (!error.code.startsWith("RS_")) return internalFailure(`${error.code}: ${error.message}`);
  const details = (error.details ?? {}) as { balance?: string; currency?: string };
  const money = details.balance === undefined ? {} : { balance: BigInt(details.balance), currency: details.currency };
  return refused(error.code, error.message, { ...money, ...extra });
}

/** JSON with bigints written as plain integers (amounts never pass through a float). */
export function renderJson(body: Record<string, unknown>): string {
  return JSON.stringify(body, (_key, value) => (typeof value === "bigint" ? `\u0000${value}` : value)).replace(/"\\u0000(-?\d+)"/g, "$1");
}

/** Any refusal in a dialect's shape: the status, why, and (for a refused bet) the balance. */
export const callbackRefusal = z
  .object({
    status: z.string().regex(/^RS_ERROR_[A-Z_]+$/),
    message: z.string(),
    balance: z.number().int().optional(),
    currency: z.string().optional(),
    action_id: z.string().optional().describe("batch: the action the wallet refused"),
  })
  .meta({ id: "CallbackRefusal" });
