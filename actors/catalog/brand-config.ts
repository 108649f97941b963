import { z } from "zod";
import { moneyInput } from "../runtime/fields.ts";

/** Whether the runtime knows `value` as an IANA time zone. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const PLACEHOLDERS = /\{(provider|game|token)\}/g;
/** what a URL template may hold once its placeholders are filled: printable ASCII, no spaces, quotes, angle brackets or backslashes */
const URL_CHARACTERS = /^[\x21-\x7E]+$/;
const URL_FORBIDDEN = /["'<>\\`]/;

// a literal host (never a placeholder, never credentials), an optional port, then the rest
const HTTPS_ORIGIN = /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#]|$)/;

/** An https URL of a named host, or a path of the brand's own site (never `//host`). */
function isHttpsOrPath(template: string): boolean {
  const filled = template.replace(PLACEHOLDERS, "x");
  if (filled.startsWith("/")) return !filled.startsWith("//") && URL.canParse(filled, "https://brand.invalid");
  return HTTPS_ORIGIN.test(template) && URL.canParse(filled);
}

/**
 * Where a launched game opens: a template with `{provider}`, `{game}` and `{token}` (the
 * token is required: a launch without it cannot start), an https URL or a path of the
 * brand's own site. Read by the gateway's game launch.
 */
export const gameLaunchUrlSchema = z
  .string()
  .max(500, "at most 500 characters")
  .regex(URL_CHARACTERS, "printable characters without spaces")
  .refine((v) => !URL_FORBIDDEN.test(v), "no quotes, angle brackets, backquotes or backslashes")
  .refine((v) => !/[{}]/.test(v.replace(PLACEHOLDERS, "")), "the only placeholders are {provider}, {game} and {token}")
  .refine((v) => v.includes("{token}"), "must contain {token}")
  .refine(isHttpsOrPath, "an https:// URL or a path starting with /");

const amount = moneyInput({ allowZero: true });
const multiple = z.number().min(0).max(100);
const rate = z.number().min(0).max(1);
const categorySchema = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "a game category like slots");
/** whole basis points (1/100 of a percent) */
const basisPoints = z.number().int().min(0).max(10_000);

/** The sections of brand_config, each key with its rule (money in minor units, stored as digit strings). */
const SECTIONS = {
  /** enforced by the wallet: per request, and the amount per player per local day */
  limits: { minDeposit: amount, maxDeposit: amount, minWithdrawal: amount, maxWithdrawal: amount, dailyWithdrawal: amount },
  /** enforced by the wallet: maxPerDay, requireBankAccount, and blockedWhileRolling against its gate of the open wagering requirements the rolling domain reports */
  withdrawal: { blockedWhileRolling: z.boolean(), maxPerDay: z.number().int().min(0).max(100), requireBankAccount: z.boolean() },
  /** read by the rolling domain */
  rolling: {
    depositMultiple: multiple,
    bonusMultiple: multiple,
    categoryRates: z.record(categorySchema, rate).refine((r) => Object.keys(r).length <= 50, "at most 50 categories"),
    expiryDays: z.number().int().min(1).max(365),
  },
  /** read by the agent domain (the tree's depth, the commission period) and the wallet (transfers) */
  agent: {
    maxDepth: z.number().int().min(1).max(10),
    settlementPeriod: z.enum(["daily", "weekly"]),
    transfersToPlayers: z.boolean(),
    transfersFromPlayers: z.boolean(),
  },
  /** read by the promotion domain: rebate on turnover per category, lossback on net loss, each settled per period */
  promotion: {
    rebateRates: z.record(categorySchema, basisPoints).refine((r) => Object.keys(r).length <= 50, "at most 50 categories"),
    rebatePeriod: z.enum(["daily", "weekly"]),
    lossbackRate: basisPoints,
    lossbackPeriod: z.enum(["daily", "weekly"]),
    lossbackMinLoss: amount,
    lossbackCap: amount,
  },
} as const;

type SectionName = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

const timezoneSchema = z.string().max(64).refine(isTimeZone, "an IANA time zone like Asia/Seoul");

const section = <K extends SectionName>(name: K) => z.object(SECTIONS[name]).partial().strict();
const nullableFields = <S extends Record<string, z.ZodType>>(shape: S) =>
  Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.nullable()])) as { [K in keyof S]: z.ZodNullable<S[K]> };
const nullableSection = <K extends SectionName>(name: K) => z.object(nullableFields(SECTIONS[name])).partial().strict();

const limitPairs = [
  ["minDeposit", "maxDeposit"],
  ["minWithdrawal", "maxWithdrawal"],
] as const;

/**
 * A brand's whole config as stored: every key is read by the domain that owns it (top-info
 * reads `timezone`, the gateway `gameLaunchUrl`, the wallet `limits` and `withdrawal`, the
 * rolling domain `rolling` and `withdrawal.blockedWhileRolling`, the agent domain and the
 * wallet `agent`, the promotion domain `promotion`). Unknown keys are refused.
 */
export const brandConfigSchema = z
  .object({
    timezone: timezoneSchema,
    gameLaunchUrl: gameLaunchUrlSchema,
    limits: section("limits"),
    withdrawal: section("withdrawal"),
    rolling: section("rolling"),
    agent: section("agent"),
    promotion: section("promotion"),
  })
  .partial()
  .strict()
  .superRefine((config, issues) => {
    for (const [min, max] of limitPairs) {
      const [low, high] = [config.limits?.[min], config.limits?.[max]];
      if (low !== undefined && high !== undefined && BigInt(low) > BigInt(high)) {
        issues.addIssue({ code: "custom", path: ["limits", min], message: `must not exceed limits.${max} (${high})` });
      }
    }
  });
export type BrandConfig = z.output<typeof brandConfigSchema>;

/**
 * What staff may change in `brand_config`, key by key. A patch merges into the stored config:
 * a section patch (`limits: { maxDeposit }`) keeps the section's other keys, and a key set to
 * null (a setting or a section) is removed. Unknown keys are refused so a typo never looks
 * like a setting. Money is minor units (stored as digit strings).
 */
export const brandConfigPatchSchema = z
  .object({
    timezone: timezoneSchema.nullable(),
    gameLaunchUrl: gameLaunchUrlSchema.nullable(),
    limits: nullableSection("limits").nullable(),
    withdrawal: nullableSection("withdrawal").nullable(),
    rolling: nullableSection("rolling").nullable(),
    agent: nullableSection("agent").nullable(),
    promotion: nullableSection("promotion").nullable(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "name at least one setting");
export type BrandConfigPatch = z.input<typeof brandConfigPatchSchema>;

const isSection = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const withoutNulls = (entries: [string, unknown][]) => Object.fromEntries(entries.filter(([, v]) => v !== null));

/** The config after `patch`: sections merge key by key, nulls remove, a section left empty goes. */
export function mergeConfig(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (isSection(value)) {
      const section = withoutNulls(Object.entries({ ...(isSection(current[key]) ? current[key] : {}), ...value }));
      if (Object.keys(section).length > 0) merged[key] = section;
      else delete merged[key];
    } else merged[key] = value;
  }
  return merged;
}

/**
 * Check a config before it is stored. Keys this code no longer knows (left by an older
 * version) are kept as they are and ignored by every reader; the known ones must hold.
 */
export function checkedConfig(config: Record<string, unknown>): z.ZodSafeParseResult<BrandConfig> {
  const known = Object.fromEntries(Object.entries(config).filter(([key]) => Object.hasOwn(brandConfigSchema.shape, key)));
  return brandConfigSchema.safeParse(known);
}

export { SECTION_NAMES, SECTIONS as BRAND_CONFIG_SECTIONS };
