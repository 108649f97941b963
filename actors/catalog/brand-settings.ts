import type { z } from "zod";
import { brandConfigSchema } from "./brand-config.ts";

/** The default launch URL: a path of the brand's own site. */
export const DEFAULT_GAME_LAUNCH_URL = "/play/{provider}/{game}?token={token}";
export const DEFAULT_TIME_ZONE = "UTC";

/**
 * A brand's settings as every domain reads them, with defaults filled in. `null` means not
 * set: no such limit. Money is bigint minor units.
 */
export type BrandSettings = {
  /** the brand's local day (top-info's "today", the wallet's daily limits) */
  timezone: string;
  /** a template with {provider}, {game} and {token} */
  gameLaunchUrl: string;
  limits: {
    minDeposit: bigint | null;
    maxDeposit: bigint | null;
    minWithdrawal: bigint | null;
    maxWithdrawal: bigint | null;
    /** the amount one player may withdraw per local day */
    dailyWithdrawal: bigint | null;
  };
  withdrawal: {
    /** withdrawals one player may request per local day */
    maxPerDay: number | null;
    requireBankAccount: boolean;
    /** withdrawals wait for open wagering requirements: on unless the brand turns it off */
    blockedWhileRolling: boolean;
  };
  rolling: {
    depositMultiple: number | null;
    bonusMultiple: number | null;
    categoryRates: Record<string, number>;
    expiryDays: number | null;
  };
  agent: {
    /** levels of the agent tree (1: head office, then distributor, store, ...) */
    maxDepth: number;
    /** how often commission is settled, in whole local days of `timezone` */
    settlementPeriod: "daily" | "weekly";
    /** whether agents may move their cash to their own players, and take it back */
    transfersToPlayers: boolean;
    transfersFromPlayers: boolean;
  };
  promotion: {
    /** basis points of settled turnover paid back, by game category (none: no rebate) */
    rebateRates: Record<string, number>;
    rebatePeriod: "daily" | "weekly";
    /** basis points of net loss (bets - wins) paid back; 0: no lossback */
    lossbackRate: number;
    lossbackPeriod: "daily" | "weekly";
    /** a net loss below this pays nothing */
    lossbackMinLoss: bigint;
    /** the most one player receives per period; null: no cap */
    lossbackCap: bigint | null;
  };
};

/** The agent tree's depth when a brand does not set it: head office, distributor, store. */
export const DEFAULT_AGENT_DEPTH = 3;

type Shape = typeof brandConfigSchema.shape;

/** One key of the stored config by its own rule; a value that breaks it (stored by hand, say) reads as unset. */
function read<K extends keyof Shape>(config: Record<string, unknown>, key: K): z.output<Shape[K]> | undefined {
  const parsed = brandConfigSchema.shape[key].safeParse(config[key]);
  return parsed.success ? (parsed.data as z.output<Shape[K]>) : undefined;
}

const money = (v: string | undefined) => (v === undefined ? null : BigInt(v));

const cache = new WeakMap<object, BrandSettings>();

/**
 * The typed settings of a brand (the catalog's copy, so no query): the one way every domain
 * reads brand_config. A brand unknown to the catalog reads as all defaults.
 */
export function brandSettings(brand: { config: Record<string, unknown> } | undefined): BrandSettings {
  const config = brand?.config ?? {};
  const known = cache.get(config);
  if (known) return known;
  const limits = read(config, "limits") ?? {};
  const withdrawal = read(config, "withdrawal") ?? {};
  const rolling = read(config, "rolling") ?? {};
  const agent = read(config, "agent") ?? {};
  const promotion = read(config, "promotion") ?? {};
  const settings: BrandSettings = {
    timezone: read(config, "timezone") ?? DEFAULT_TIME_ZONE,
    gameLaunchUrl: read(config, "gameLaunchUrl") ?? DEFAULT_GAME_LAUNCH_URL,
    limits: {
      minDeposit: money(limits.minDeposit),
      maxDeposit: money(limits.maxDeposit),
      minWithdrawal: money(limits.minWithdrawal),
      maxWithdrawal: money(limits.maxWithdrawal),
      dailyWithdrawal: money(limits.dailyWithdrawal),
    },
    withdrawal: {
      maxPerDay: withdrawal.maxPerDay ?? null,
      requireBankAccount: withdrawal.requireBankAccount ?? false,
      blockedWhileRolling: withdrawal.blockedWhileRolling ?? true,
    },
    rolling: {
      depositMultiple: rolling.depositMultiple ?? null,
      bonusMultiple: rolling.bonusMultiple ?? null,
      categoryRates: rolling.categoryRates ?? {},
      expiryDays: rolling.expiryDays ?? null,
    },
    agent: {
      maxDepth: agent.maxDepth ?? DEFAULT_AGENT_DEPTH,
      settlementPeriod: agent.settlementPeriod ?? "daily",
      transfersToPlayers: agent.transfersToPlayers ?? false,
      transfersFromPlayers: agent.transfersFromPlayers ?? false,
    },
    promotion: {
      rebateRates: promotion.rebateRates ?? {},
      rebatePeriod: promotion.rebatePeriod ?? "daily",
      lossbackRate: promotion.lossbackRate ?? 0,
      lossbackPeriod: promotion.lossbackPeriod ?? "daily",
      lossbackMinLoss: money(promotion.lossbackMinLoss) ?? 0n,
      lossbackCap: money(promotion.lossbackCap),
    },
  };
  deepFreeze(settings);
  cache.set(config, settings);
  return settings;
}

// one settings object is shared by every reader of a config: none may change it for the others
function deepFreeze(value: object): void {
  for (const inner of Object.values(value)) if (typeof inner === "object" && inner !== null) deepFreeze(inner);
  Object.freeze(value);
}
