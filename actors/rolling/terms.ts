import { type BrandDirectory, brandSettings } from "../catalog/index.ts";

/**
 * The brand's wagering terms as the rolling domain applies them, read from the catalog's copy
 * of `brand_config` (`rolling.*`). Multiples and rates count to six decimal places (parts per
 * million), so money stays integer: a target is rounded up (the player wagers at least the
 * multiple), a bet's contribution is rounded down (it never counts for more than it is).
 */
export type RollingTerms = {
  /** parts per million of a deposit the player must wager (0: none) */
  depositMultiplePpm: bigint;
  /** parts per million of a bonus, when the grant names no multiple of its own */
  bonusMultiplePpm: bigint;
  /** parts per million of a stake that counts, by game category */
  ratePpm(category: string | null): bigint;
  /** how long a record stays open, in ms; null: until it completes or staff cancel it */
  expiryMs: number | null;
};

const PPM = 1_000_000n;
const DAY_MS = 86_400_000;
/** a bet whose game has no category counts as this one */
export const UNCATEGORIZED = "other";

export const ppmOf = (value: number): bigint => BigInt(Math.round(value * 1_000_000));
export const fromPpm = (ppm: bigint): number => Number(ppm) / 1_000_000;

/** amount × multiple, rounded up */
export function targetOf(amount: bigint, multiplePpm: bigint): bigint {
  return (amount * multiplePpm + PPM - 1n) / PPM;
}

/** stake × rate, rounded down */
export function contributionOf(stake: bigint, ratePpm: bigint): bigint {
  return (stake * ratePpm) / PPM;
}

/** The terms of one brand's config; a category the brand has not rated counts in full. */
export function termsOf(config: Record<string, unknown> | undefined): RollingTerms {
  const { rolling } = brandSettings({ config: config ?? {} });
  const rates = new Map(Object.entries(rolling.categoryRates).map(([category, rate]) => [category, ppmOf(rate)]));
  return {
    depositMultiplePpm: ppmOf(rolling.depositMultiple ?? 0),
    bonusMultiplePpm: ppmOf(rolling.bonusMultiple ?? 0),
    ratePpm: (category) => rates.get(category ?? UNCATEGORIZED) ?? PPM,
    expiryMs: rolling.expiryDays === null ? null : rolling.expiryDays * DAY_MS,
  };
}

/** How the rolling actor learns a brand's terms: from the node's catalog copy, once per config version. */
export type TermsSource = (brand: string) => RollingTerms;

export function termsFromCatalog(brands: Pick<BrandDirectory, "get">): TermsSource {
  const read = new WeakMap<object, RollingTerms>();
  return (brand) => {
    const config = brands.get(brand)?.config ?? {};
    let terms = read.get(config);
    if (!terms) read.set(config, (terms = termsOf(config)));
    return terms;
  };
}
