/**
 * Tunables of the identity domain; the defaults are what a back office expects. Password cost
 * and lockout are the credentials module's, shared with players.
 */
export type IdentityOptions = {
  sessionTtlMs: number;
  /** expired or revoked sessions, and message outcomes, are deleted after this long */
  retentionMs: number;
  /** when the stale-session cleanup runs */
  cleanupCron: string;
  now: () => number;
};

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = {
  sessionTtlMs: 12 * 60 * 60_000,
  retentionMs: 7 * 24 * 60 * 60_000,
  cleanupCron: "*/10 * * * *",
  now: () => Date.now(),
};

export function identityOptions(overrides: Partial<IdentityOptions> = {}): IdentityOptions {
  return { ...DEFAULT_IDENTITY_OPTIONS, ...overrides };
}
