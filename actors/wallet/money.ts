import { z } from "zod";
import { MAX_AMOUNT } from "../runtime/fields.ts";

/**
 * Money crosses mailboxes as an integer (JSON number) or a digit string and is a bigint of
 * minor units inside the wallet. Replies and events carry it as a string. A message moves at
 * most MAX_AMOUNT, what every edge accepts: the wallet refuses what an edge would.
 */
const integerInput = (signed: boolean) =>
  z
    .union([
      z.string().regex(signed ? /^-?\d{1,19}$/ : /^\d{1,19}$/, "an integer count of minor units"),
      z
        .number()
        .int()
        .min(signed ? -Number.MAX_SAFE_INTEGER : 0)
        .max(Number.MAX_SAFE_INTEGER),
    ])
    .transform((v) => BigInt(v))
    .refine((v) => v <= MAX_AMOUNT && v >= -MAX_AMOUNT, `at most ${MAX_AMOUNT} minor units`);

/** zero or more minor units */
export const amountSchema = integerInput(false);
/** more than zero minor units */
export const positiveAmountSchema = integerInput(false).refine((v) => v > 0n, "must be more than zero");
/** a signed, non-zero change (staff adjustments) */
export const signedAmountSchema = integerInput(true).refine((v) => v !== 0n, "must not be zero");

/** money in replies and events */
export const moneyText = z.string().regex(/^-?\d+$/);
