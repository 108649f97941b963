/**
 * The one table from error code to HTTP status, for every edge. The runtime and the domains
 * speak in codes; only edges speak HTTP. A code missing here is a caller's mistake (400);
 * add a code here when a domain introduces one that means something else.
 */
const STATUS_BY_CODE = {
  amount_out_of_range: 400,
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_token: 401,
  token_expired: 401,
  invalid_credentials: 401,
  forbidden: 403,
  brand_mismatch: 403,
  brand_disabled: 403,
  account_suspended: 403,
  account_disabled: 403,
  password_change_required: 403,
  transfer_not_allowed: 403,
  not_found: 404,
  brand_not_found: 404,
  player_not_found: 404,
  message_not_found: 404,
  inquiry_not_found: 404,
  content_not_found: 404,
  provider_not_found: 404,
  game_not_found: 404,
  recon_message_not_found: 404,
  recon_source_not_found: 404,
  agent_not_found: 404,
  coupon_not_found: 404,
  method_not_allowed: 405,
  amount_above_maximum: 409,
  amount_below_minimum: 409,
  bank_account_required: 409,
  code_taken: 409,
  coupon_inactive: 409,
  coupon_not_started: 409,
  coupon_expired: 409,
  coupon_exhausted: 409,
  already_redeemed: 409,
  conflict: 409,
  daily_withdrawal_count_limit: 409,
  daily_withdrawal_limit: 409,
  depth_exceeded: 409,
  invalid_state: 409,
  duplicate_request: 409,
  username_taken: 409,
  nickname_taken: 409,
  insufficient_funds: 409,
  limit_exceeded: 409,
  recon_amount_mismatch: 409,
  recon_request_not_pending: 409,
  recon_source_paused: 409,
  rolling_open: 409,
  login_name_taken: 409,
  period_open: 409,
  period_not_closed: 409,
  rate_above_parent: 409,
  rate_below_child: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  internal: 500,
  dead_lettered: 500,
  unknown_message: 501,
  overloaded: 503,
  degraded: 503,
  unavailable: 503,
  settings_unavailable: 503,
  timeout: 504,
} as const satisfies Record<string, number>;

/** A code this table knows: what a route's documentation may list among its refusals. */
export type ErrorCode = keyof typeof STATUS_BY_CODE;

/** The HTTP status an edge answers a refusal `code` with. */
export function statusOf(code: string): number {
  return (STATUS_BY_CODE as Record<string, number>)[code] ?? 400;
}

/** Codes worth a `Retry-After` (the caller may try the same request again later). */
export function isRetryable(code: string): boolean {
  const status = statusOf(code);
  return status === 503 || status === 429 || status === 504;
}
