/** Tunables of the admin domain. */
export type AdminOptions = {
  /** a player session counts as online this long after its login (unless it logs out) */
  onlineMs: number;
  now: () => number;
};

export const DEFAULT_ADMIN_OPTIONS: AdminOptions = {
  onlineMs: 30 * 60_000,
  now: () => Date.now(),
};

export function adminOptions(overrides: Partial<AdminOptions> = {}): AdminOptions {
  return { ...DEFAULT_ADMIN_OPTIONS, ...overrides };
}
