import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import { externalIdSchema } from "../runtime/fields.ts";
import { amountSchema, moneyText } from "./money.ts";

/** The provider calls of the `wallet@brand` protocol (bets, wins, rollbacks, batches) and their replies. */

const id = externalIdSchema;
/** a provider's own text (transaction, round, game, category), kept as sent: no control characters */
const providerText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\u0000-\u001F\u007F-\u009F\uFEFF]+$/, "must not contain control characters");
const providerId = providerText(200);
const providerCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "a provider code is a slug");
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code");

/**
 * What the callback edge knows of one provider call (the token names player and game).
 * `by`: the staff member who replayed it (`POST /integration/replay`), audited with what it
 * moved; a provider's own call has none. Not part of the call's fingerprint.
 */
const providerCall = {
  by: actingStaffSchema.optional(),
  provider: providerCode,
  player: id,
  round: providerId,
  gameCode: providerId.optional(),
  gameCategory: providerText(50).optional(),
  currency: currency.optional(),
};
/**
 * What the edge knows that refuses a bet: suspension (the wallet also keeps its own list), an
 * expired game session, a game or provider switched off for the brand. The wallet decides the
 * refusal and keeps it under the bet's key, so a retry with a fresh token stays refused.
 */
const betStanding = {
  playerSuspended: z.boolean().default(false),
  brandDisabled: z.boolean().default(false),
  sessionExpired: z.boolean().default(false),
  gameDisabled: z.boolean().default(false),
};

export const betBody = z.object({ ...providerCall, ...betStanding, transactionUuid: providerId, amount: amountSchema });
export const winBody = z.object({
  ...providerCall,
  transactionUuid: providerId,
  /** the bet; the batch dialect's wins name only the round */
  referenceTransactionUuid: providerId.optional(),
  amount: amountSchema,
});
export const rollbackBody = z.object({ ...providerCall, transactionUuid: providerId, referenceTransactionUuid: providerId });
export const batchAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("bet"), actionId: providerId, amount: amountSchema }),
  z.object({ action: z.literal("win"), actionId: providerId, amount: amountSchema }),
  z.object({ action: z.literal("rollback"), actionId: providerId, originalActionId: providerId }),
]);
export const batchBody = z.object({
  ...providerCall,
  ...betStanding,
  finished: z.boolean().default(false),
  actions: z.array(batchAction).min(1).max(100),
});

export const providerReply = z.object({
  transactionId: z.string(),
  balance: moneyText,
  currency: z.string(),
  /** true when this answers a repeated request: nothing moved */
  replayed: z.boolean(),
});
export const batchReply = z.object({
  balance: moneyText,
  currency: z.string(),
  transactions: z.array(z.object({ actionId: z.string(), transactionId: z.string() })),
  replayed: z.boolean(),
});
