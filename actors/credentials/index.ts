import { type AttemptCounter, MemoryAttemptCounter } from "./attempts.ts";
import { RedisAttemptCounter } from "./redis-attempts.ts";

export { type AttemptCounter, type AttemptWindow, MemoryAttemptCounter } from "./attempts.ts";
/**
 * Passwords and sign-in limits, one module for players and staff: a library both domains
 * (and the edges' rate limits) use through this entry; it has no actor of its own.
 */
export { Credentials, type PasswordAttempt, temporaryPassword, type Verified } from "./credentials.ts";
export { HashingSlots, hashingSlots } from "./hashing-slots.ts";
export { type CredentialOptions, type CredentialOverrides, credentialOptions, DEFAULT_LOCKOUT, type LockoutPolicy, PASSWORD_COST, type PasswordCost } from "./options.ts";
export { RedisAttemptCounter } from "./redis-attempts.ts";
export { type AccountRef, type Admitted, type ClientRef, DEVICE_TOKEN, SignInThrottle } from "./throttle.ts";

/** The node's counters: in Redis (under the node's key prefix) when it has REDIS_URL, so every node sees them; in memory otherwise. */
export function attemptCounter(config: { REDIS_URL?: string; REDIS_PREFIX?: string }, now?: () => number): AttemptCounter {
  return config.REDIS_URL ? new RedisAttemptCounter(config.REDIS_URL, `${config.REDIS_PREFIX ?? ""}attempts:`) : new MemoryAttemptCounter(now);
}

/** The realm of staff accounts, and of one brand's players and agents, for account references. */
export const STAFF_REALM = "staff";
export const playerRealm = (brand: string) => `player:${brand}`;
export const agentRealm = (brand: string) => `agent:${brand}`;
