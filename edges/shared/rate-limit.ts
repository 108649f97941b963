import type { AttemptCounter } from "../../actors/credentials/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";

/** At most `max` requests in a fixed window of `windowMs`. */
export type RateLimit = { max: number; windowMs: number };
/** The limits of one family of requests: per client address, and per account it names. */
export type RateLimitRule = { perAddress: RateLimit; perAccount: RateLimit };

const perMinute = (max: number): RateLimit => ({ max, windowMs: 60_000 });

/**
 * The request limits of the sign-in routes. They count every request, right or wrong; wrong
 * passwords are also counted by the sign-in throttle (the credentials module), which slows
 * and locks far sooner. Per address they are generous: many players share one carrier NAT.
 */
export const AUTH_RATE_LIMITS = {
  playerLogin: { perAddress: perMinute(60), perAccount: perMinute(20) },
  playerRegister: { perAddress: { max: 30, windowMs: 10 * 60_000 }, perAccount: perMinute(5) },
  playerRefresh: { perAddress: perMinute(120), perAccount: perMinute(20) },
  /** checks of the current password: password change, bank account change */
  playerPassword: { perAddress: perMinute(30), perAccount: perMinute(10) },
  staffLogin: { perAddress: perMinute(30), perAccount: perMinute(20) },
  agentLogin: { perAddress: perMinute(30), perAccount: perMinute(20) },
  /** an agent's check of its current password (password change) */
  agentPassword: { perAddress: perMinute(30), perAccount: perMinute(10) },
  staffPassword: { perAddress: perMinute(30), perAccount: perMinute(10) },
  /** coupon redemptions: a code is a secret a player could otherwise guess at */
  couponRedeem: { perAddress: perMinute(60), perAccount: perMinute(10) },
} satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof AUTH_RATE_LIMITS;
export type RateLimitRules = Record<RateLimitName, RateLimitRule>;

/**
 * Request limits over the node's attempt counters (in Redis when the node has REDIS_URL, so
 * they hold across nodes). A request past a limit is `429 rate_limited` with `Retry-After`
 * until its window ends.
 */
export class RateLimiter {
  readonly rules: RateLimitRules;

  constructor(
    private counter: AttemptCounter,
    rules: Partial<RateLimitRules> = {},
  ) {
    this.rules = { ...AUTH_RATE_LIMITS, ...rules };
  }

  /**
   * Count one request of `name` from `address` for `account` (either may be unknown: an
   * in-process replay has no socket, a malformed request names no account).
   */
  async take(name: RateLimitName, who: { address: string | null; account: string | null }): Promise<void> {
    const rule = this.rules[name];
    const counted = [
      who.address === null ? null : ([`rate:${name}:address:${who.address}`, rule.perAddress] as const),
      who.account === null ? null : ([`rate:${name}:account:${who.account}`, rule.perAccount] as const),
    ].filter((c) => c !== null);
    const windows = await Promise.all(counted.map(([key, limit]) => this.counter.hit(key, limit.windowMs)));
    const over = windows.map((w, i) => ({ ...w, max: counted[i]![1].max })).filter((w) => w.count > w.max);
    if (over.length === 0) return;
    const retryAfterSeconds = Math.max(...over.map((w) => Math.ceil(w.resetInMs / 1000)), 1);
    throw new PlatformError("rate_limited", `too many requests; try again in ${retryAfterSeconds} s`, { details: { retryAfterSeconds }, retryAfterSeconds });
  }
}
