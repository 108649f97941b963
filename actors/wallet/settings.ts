import { type BrandDirectory, brandSettings } from "../catalog/index.ts";

/**
 * The brand settings the wallet enforces when it decides a deposit or withdrawal request.
 * Unset keys impose nothing. Money is minor units; days are the brand's local days.
 */
export type WalletSettings = {
  /** IANA time zone of the brand's day (UTC when unset) */
  timeZone: string;
  limits: {
    minDeposit?: bigint;
    maxDeposit?: bigint;
    minWithdrawal?: bigint;
    maxWithdrawal?: bigint;
    /** the most a player may withdraw in one day, pending and approved requests together */
    dailyWithdrawal?: bigint;
  };
  withdrawal: {
    /** how many withdrawals a player may request in one day (rejected ones do not count) */
    maxPerDay?: number;
    /** refuse a withdrawal when no payout account is on file */
    requireBankAccount: boolean;
    /** refuse a withdrawal while a wagering requirement of the player is open or awaited (the rolling gate) */
    blockedWhileRolling: boolean;
  };
  /** which way agents may move cash to and from their players (`agent.transfersToPlayers`, `agent.transfersFromPlayers`) */
  agentTransfers: { toPlayers: boolean; fromPlayers: boolean };
  /** the multiples the rolling domain applies, which the wallet stamps on the credits it publishes */
  rolling: { depositMultiple: number; bonusMultiple: number };
};

/**
 * What a wallet built without a settings source enforces (tests and benches that run a wallet
 * alone): no limits. A wallet with a source never falls back to this: a brand the source does
 * not know has no settings, and what needs them is refused (SettingsUnavailable).
 */
export const NO_SETTINGS: WalletSettings = {
  timeZone: "UTC",
  limits: {},
  withdrawal: { requireBankAccount: false, blockedWhileRolling: true },
  agentTransfers: { toPlayers: true, fromPlayers: true },
  rolling: { depositMultiple: 0, bonusMultiple: 0 },
};

/** How the wallet learns a brand's settings: asked once per batch that needs them; undefined when it has none for the brand. */
export type SettingsSource = (brand: string) => WalletSettings | undefined;

/**
 * Thrown when a decision reads the settings of a brand the source does not know: the command
 * is refused `settings_unavailable` with nothing applied (fail closed: no limit goes unchecked).
 */
export class SettingsUnavailable extends Error {
  constructor(readonly brand: string) {
    super(`the settings of brand ${brand} are not loaded on this node`);
  }
}

/** The wallet's reading of one brand's `brand_config`, through the catalog's one typed reader. */
export function walletSettingsOf(config: Record<string, unknown> | undefined): WalletSettings {
  const { timezone, limits, withdrawal, agent, rolling } = brandSettings({ config: config ?? {} });
  return {
    timeZone: timezone,
    limits: withoutUnset({
      minDeposit: limits.minDeposit ?? undefined,
      maxDeposit: limits.maxDeposit ?? undefined,
      minWithdrawal: limits.minWithdrawal ?? undefined,
      maxWithdrawal: limits.maxWithdrawal ?? undefined,
      dailyWithdrawal: limits.dailyWithdrawal ?? undefined,
    }),
    withdrawal: {
      ...withoutUnset({ maxPerDay: withdrawal.maxPerDay ?? undefined }),
      requireBankAccount: withdrawal.requireBankAccount,
      blockedWhileRolling: withdrawal.blockedWhileRolling,
    },
    agentTransfers: { toPlayers: agent.transfersToPlayers, fromPlayers: agent.transfersFromPlayers },
    rolling: { depositMultiple: rolling.depositMultiple ?? 0, bonusMultiple: rolling.bonusMultiple ?? 0 },
  };
}

/**
 * Settings from this node's copy of the brand catalog, which follows every config change.
 * Read once per config version: the catalog makes a new config object on every reload. A
 * brand the copy does not hold (not loaded yet, or gone) has none.
 */
export function settingsFromCatalog(brands: Pick<BrandDirectory, "get">): SettingsSource {
  const read = new WeakMap<object, WalletSettings>();
  return (brand) => {
    const config = brands.get(brand)?.config;
    if (!config) return undefined;
    let settings = read.get(config);
    if (!settings) read.set(config, (settings = walletSettingsOf(config)));
    return settings;
  };
}

function withoutUnset<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
