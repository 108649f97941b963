/** Tunables of the identity domain; the defaults are what a back office expects. */
export type IdentityOptions = {
  /** wrong passwords in a row before the account locks */
  maxFailedLogins: number;
  lockMs: number;
  sessionTtlMs: number;
  /** expired or revoked sessions, and message outcomes, are deleted after this long */
  retentionMs: number;
  /** when the stale-session cleanup runs */
  cleanupCron: string;
  /** argon2id cost; tests lower it, production keeps Bun's defaults */
  hashCost: { memoryCost?: number; timeCost?: number };
  now: () => number;
};

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = {
  maxFailedLogins: 5,
  lockMs: 15 * 60_000,
  sessionTtlMs: 12 * 60 * 60_000,
  retentionMs: 7 * 24 * 60 * 60_000,
  cleanupCron: "*/10 * * * *",
  hashCost: {},
  now: () => Date.now(),
};

export function identityOptions(overrides: Partial<IdentityOptions> = {}): IdentityOptions {
  return { ...DEFAULT_IDENTITY_OPTIONS, ...overrides };
}
