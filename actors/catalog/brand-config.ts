import { z } from "zod";


const minor = z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,19}$/)]).transform((v) => String(v));
const multiple = z.number().min(0).max(100);
const rate = z.number().min(0).max(1);

/**
 * What staff may set in `brand_config`, key by key. A patch merges into the stored config; a
 * key set to null is removed. Unknown keys are refused so a typo never looks like a setting.
 * Money is minor units (as digit strings once stored).
 */
export const brandConfigPatchSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, "an IANA time zone like Asia/Seoul").nullable(),
    limits: z
      .object({ minDeposit: minor, maxDeposit: minor, minWithdrawal: minor, maxWithdrawal: minor, dailyWithdrawal: minor })
      .partial()
      .strict()
      .nullable(),
    rolling: z
      .object({ depositMultiple: multiple, bonusMultiple: multiple, categoryRates: z.record(z.string().max(50), rate), expiryDays: z.number().int().min(1).max(365) })
      .partial()
      .strict()
      .nullable(),
    withdrawal: z
      .object({ blockedWhileRolling: z.boolean(), maxPerDay: z.number().int().min(0).max(100), requireBankAccount: z.boolean() })
      .partial()
      .strict()
      .nullable(),
    features: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]{0,49}$/, "a feature name like coupons"), z.boolean()).nullable(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "name at least one setting");
export type BrandConfigPatch = z.infer<typeof brandConfigPatchSchema>;

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
