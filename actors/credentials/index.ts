import { MemoryAttemptCounter, type AttemptCounter } from "./attempts.ts";
import { RedisAttemptCounter } from "./redis-attempts.ts";

/**
 * Passwords and sign-in limits, one module for players and staff: a library both domains
 * (and the edges' rate limits) use through this entry; it has no actor of its own.
 */
export { Credentials, temporaryPassword, type PasswordAttempt, type Verified } from "./credentials.ts";
export { SignInThrottle, DEVICE_TOKEN, type AccountRef, type Admitted, type ClientRef } from "./throttle.ts";
export { MemoryAttemptCounter, type AttemptCounter, type AttemptWindow } from "./attempts.ts";
export { RedisAttemptCounter } from "./redis-attempts.ts";
export { HashingSlots, hashingSlots } from "./hashing-slots.ts";
export { credentialOptions, DEFAULT_LOCKOUT, PASSWORD_COST, type CredentialOptions, type CredentialOverrides, type LockoutPolicy, type PasswordCost } from "./options.ts";

/** The node's counters: in Redis (under the node's key prefix) when it has REDIS_URL, so every node sees them; in memory otherwise. */
export function attemptCounter(config: { REDIS_URL?: string; REDIS_PREFIX?: string }, now?: () => number): AttemptCounter {
  return config.REDIS_URL ? new RedisAttemptCounter(config.REDIS_URL, `${config.REDIS_PREFIX ?? ""}attempts:`) : new MemoryAttemptCounter(now);
}

/** The realm of staff accounts, and of one brand's players and agents, for account references. */
export const STAFF_REALM = "staff";
export const playerRealm = (brand: string) => `player:${brand}`;
export const agentRealm = (brand: string) => `agent:${brand}`;
