import { z } from "zod";

/**
 * Money crosses mailboxes as an integer (JSON number) or a digit string and is a bigint of
 * minor units inside the wallet. Replies and events carry it as a string.
 */
const MAX_MINOR_UNITS = 2n ** 62n;

const integerInput = (signed: boolean) =>
  z
    .union([
      z.string().regex(signed ? /^-?\d{1,19}$/ : /^\d{1,19}$/, "an integer count of minor units"),
      z.number().int().min(signed ? -Number.MAX_SAFE_INTEGER : 0).max(Number.MAX_SAFE_INTEGER),
    ])
    .transform((v) => BigInt(v))
    .refine((v) => v < MAX_MINOR_UNITS && v > -MAX_MINOR_UNITS, "amount out of range");

/** zero or more minor units */
export const amountSchema = integerInput(false);
/** more than zero minor units */
export const positiveAmountSchema = integerInput(false).refine((v) => v > 0n, "must be more than zero");
/** a signed, non-zero change (staff adjustments) */
export const signedAmountSchema = integerInput(true).refine((v) => v !== 0n, "must not be zero");

/** money in replies and events */
export const moneyText = z.string().regex(/^-?\d+$/);
