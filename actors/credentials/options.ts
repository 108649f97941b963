/** argon2id's cost: memory in KiB and passes (one lane). */
export type PasswordCost = { memoryCost: number; timeCost: number };

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~15-30 ms of CPU a hash (bench/login.ts). */
export const PASSWORD_COST: PasswordCost = { memoryCost: 19_456, timeCost: 2 };

/**
 * How wrong passwords are answered, for players and staff alike (docs/architecture.md,
 * "Sign-in throttling"). Failures are counted per account name, whether or not the account
 * exists, in lanes: one for clients the account does not know, one per device or address it
 * has signed in from. A stranger can only slow and lock the strangers' lane.
 */
export type LockoutPolicy = {
  /** wrong passwords in one lane before it locks */
  maxFailures: number;
  /** a lane forgets its failures this long after the first of them */
  failureWindowMs: number;
  /** from this many failures on, the next attempt waits `backoffMs`, doubled with each failure (0: never) */
  slowAfter: number;
  backoffMs: number;
  /** how long a lane stays locked */
  lockMs: number;
  /** wrong passwords from one address, for any accounts, within `failureWindowMs` before it must wait */
  maxAddressFailures: number;
  /** a device or address stays known this long after a sign-in from it */
  knownClientMs: number;
};

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  failureWindowMs: 15 * 60_000,
  slowAfter: 3,
  backoffMs: 1_000,
  lockMs: 5 * 60_000,
  maxAddressFailures: 50,
  knownClientMs: 30 * 24 * 60 * 60_000,
};

export type CredentialOptions = {
  /** argon2id cost of new hashes; tests lower it */
  cost: PasswordCost;
  lockout: LockoutPolicy;
  now: () => number;
};

export type CredentialOverrides = { cost?: PasswordCost; lockout?: Partial<LockoutPolicy>; now?: () => number };

export function credentialOptions(overrides: CredentialOverrides = {}): CredentialOptions {
  return {
    cost: overrides.cost ?? PASSWORD_COST,
    lockout: { ...DEFAULT_LOCKOUT, ...overrides.lockout },
    now: overrides.now ?? (() => Date.now()),
  };
}
