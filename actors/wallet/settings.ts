import { z } from "zod";
import { isTimeZone, type BrandDirectory } from "../catalog/index.ts";

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
  };
};

export const NO_SETTINGS: WalletSettings = { timeZone: "UTC", limits: {}, withdrawal: { requireBankAccount: false } };

/** How the wallet learns a brand's settings: asked once per batch that needs them. */
export type SettingsSource = (brand: string) => WalletSettings;

// stored money is a digit string (the catalog's PATCH writes it so), a number is read too
const minor = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().min(0)]).transform((v) => BigInt(v));
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const configSchema = z.object({
  timezone: optional(z.string().refine(isTimeZone)),
  limits: optional(
    z.object({
      minDeposit: optional(minor),
      maxDeposit: optional(minor),
      minWithdrawal: optional(minor),
      maxWithdrawal: optional(minor),
      dailyWithdrawal: optional(minor),
    }),
  ),
  withdrawal: optional(z.object({ maxPerDay: optional(z.number().int().min(0)), requireBankAccount: optional(z.boolean()) })),
});

/** The wallet's reading of one brand's `brand_config`; a malformed key reads as unset, as the catalog never stores one. */
export function walletSettingsOf(config: Record<string, unknown> | undefined): WalletSettings {
  const parsed = configSchema.safeParse(config ?? {});
  if (!parsed.success) return NO_SETTINGS;
  const { timezone, limits, withdrawal } = parsed.data;
  return {
    timeZone: timezone ?? "UTC",
    limits: withoutUnset(limits ?? {}),
    withdrawal: { ...withoutUnset({ maxPerDay: withdrawal?.maxPerDay }), requireBankAccount: withdrawal?.requireBankAccount ?? false },
  };
}

/**
 * Settings from this node's copy of the brand catalog, which follows every config change.
 * Read once per config version: the catalog makes a new config object on every reload.
 */
export function settingsFromCatalog(brands: Pick<BrandDirectory, "get">): SettingsSource {
  const read = new WeakMap<object, WalletSettings>();
  return (brand) => {
    const config = brands.get(brand)?.config;
    if (!config) return NO_SETTINGS;
    let settings = read.get(config);
    if (!settings) read.set(config, (settings = walletSettingsOf(config)));
    return settings;
  };
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) of instant `ms` in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  let format = DAY_FORMATS.get(timeZone);
  if (!format) DAY_FORMATS.set(timeZone, (format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  return format.format(ms);
}

function withoutUnset<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
