import { z } from "zod";
import type { Protocol } from "../runtime/actor.ts";
import { amountSchema, moneyText, positiveAmountSchema, signedAmountSchema } from "./money.ts";

/** The `wallet@brand` protocol: for each command and query its body and its reply. */

const id = z.string().min(1).max(200);
const providerCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "a provider code is a slug");
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code");
const playerOwner = z.object({ kind: z.literal("player"), id });
const holder = z.discriminatedUnion("kind", [playerOwner, z.object({ kind: z.literal("agent"), id })]);

/** What the callback edge knows of one provider call (the token names player and game). */
const providerCall = {
  provider: providerCode,
  player: id,
  round: id,
  gameCode: id.optional(),
  gameCategory: z.string().min(1).max(50).optional(),
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

export const betBody = z.object({ ...providerCall, ...betStanding, transactionUuid: id, amount: amountSchema });
export const winBody = z.object({
  ...providerCall,
  transactionUuid: id,
  /** the bet; the batch dialect's wins name only the round */
  referenceTransactionUuid: id.optional(),
  amount: amountSchema,
});
export const rollbackBody = z.object({ ...providerCall, transactionUuid: id, referenceTransactionUuid: id });
export const batchAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("bet"), actionId: id, amount: amountSchema }),
  z.object({ action: z.literal("win"), actionId: id, amount: amountSchema }),
  z.object({ action: z.literal("rollback"), actionId: id, originalActionId: id }),
]);
export const batchBody = z.object({
  ...providerCall,
  ...betStanding,
  finished: z.boolean().default(false),
  actions: z.array(batchAction).min(1).max(100),
});

const providerReply = z.object({
  transactionId: z.string(),
  balance: moneyText,
  currency: z.string(),
  /** true when this answers a repeated request: nothing moved */
  replayed: z.boolean(),
});
const batchReply = z.object({
  balance: moneyText,
  currency: z.string(),
  transactions: z.array(z.object({ actionId: z.string(), transactionId: z.string() })),
  replayed: z.boolean(),
});

const balances = z.object({ cash: moneyText, bonus: moneyText, locked: moneyText, currency: z.string() });
const moneyReply = z.object({ transactionId: z.string(), amount: moneyText, balance: balances, replayed: z.boolean() });

const requestStatus = z.enum(["pending", "approved", "rejected"]);
const requestReply = z.object({
  requestId: z.string(),
  kind: z.enum(["deposit", "withdrawal"]),
  player: z.string(),
  amount: moneyText,
  status: requestStatus,
  transactionId: z.string(),
  balance: balances,
  replayed: z.boolean(),
});
const decision = { requestId: id, staffId: id.optional() };

export const reconciliationReport = z.object({
  brands: z.array(z.string()),
  accountsChecked: z.number(),
  transactionsChecked: z.number(),
  accountMismatches: z.array(
    z.object({ brand: z.string(), accountId: z.string(), balance: moneyText, postings: moneyText }),
  ),
  unbalancedTransactions: z.array(z.object({ brand: z.string(), transactionId: z.string(), sum: moneyText })),
  ok: z.boolean(),
});

const statementLine = z.object({
  transactionId: z.string(),
  kind: z.string(),
  amount: moneyText,
  balanceAfter: moneyText,
  at: z.string(),
  round: z.string().nullable(),
  gameCode: z.string().nullable(),
  provider: z.string().nullable(),
  reference: z.string().nullable(),
  metadata: z.unknown(),
});
const pendingRequest = z.object({
  requestId: z.string(),
  player: z.string(),
  amount: moneyText,
  at: z.string(),
  details: z.unknown(),
});
const playerRequest = z.object({
  requestId: z.string(),
  kind: z.enum(["deposit", "withdrawal"]),
  amount: moneyText,
  status: requestStatus,
  at: z.string(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.unknown(),
});
const page = { cursor: z.string().regex(/^\d+$/).optional(), limit: z.number().int().min(1).max(200).default(50) };

export const walletProtocol = {
  // provider seamless wallet (RS_* codes)
  bet: { body: betBody, reply: providerReply },
  win: { body: winBody, reply: providerReply },
  rollback: { body: rollbackBody, reply: providerReply },
  batch: { body: batchBody, reply: batchReply },
  // cashier (snake_case codes)
  depositRequest: {
    body: z.object({
      requestId: id,
      player: id,
      amount: positiveAmountSchema,
      depositorName: z.string().min(1).max(100).optional(),
    }),
    reply: requestReply,
  },
  depositApprove: { body: z.object({ ...decision, source: z.enum(["staff", "recon"]).default("staff") }), reply: requestReply },
  depositReject: { body: z.object({ ...decision, reason: z.string().min(1).max(500) }), reply: requestReply },
  withdrawalRequest: {
    body: z.object({ requestId: id, player: id, amount: positiveAmountSchema, bankAccount: z.string().max(200).optional() }),
    reply: requestReply,
  },
  withdrawalApprove: { body: z.object(decision), reply: requestReply },
  withdrawalReject: { body: z.object({ ...decision, reason: z.string().min(1).max(500) }), reply: requestReply },
  bonusGrant: {
    body: z.object({ grantId: id, player: id, amount: positiveAmountSchema, source: z.string().max(50).optional(), reason: z.string().max(500).optional() }),
    reply: moneyReply,
  },
  /** `amount` defaults to the whole bonus balance */
  bonusConvert: { body: z.object({ conversionId: id, player: id, amount: positiveAmountSchema.optional() }), reply: moneyReply },
  bonusForfeit: {
    body: z.object({ forfeitId: id, player: id, amount: positiveAmountSchema.optional(), reason: z.string().max(500).optional() }),
    reply: moneyReply,
  },
  adjust: {
    body: z.object({
      adjustmentId: id,
      owner: holder,
      account: z.enum(["cash", "bonus"]).default("cash"),
      amount: signedAmountSchema,
      reason: z.string().min(1).max(500),
      staffId: id,
    }),
    reply: moneyReply,
  },
  transfer: {
    body: z.object({
      transferId: id,
      agent: id,
      player: id,
      direction: z.enum(["agent_to_player", "player_to_agent"]),
      amount: positiveAmountSchema,
    }),
    reply: z.object({ transactionId: z.string(), amount: moneyText, agentCash: moneyText, playerCash: moneyText, replayed: z.boolean() }),
  },
  setPlayerStatus: { body: z.object({ player: id, suspended: z.boolean() }), reply: z.object({ player: z.string(), suspended: z.boolean() }) },
  reconcile: { body: z.object({}), reply: reconciliationReport },
  // queries
  balance: { body: z.object({ owner: holder }), reply: balances },
  transactions: {
    body: z.object({ owner: holder, account: z.enum(["cash", "bonus", "locked"]).default("cash"), ...page }),
    reply: z.object({ items: z.array(statementLine), nextCursor: z.string().nullable() }),
  },
  pendingRequests: {
    body: z.object({ kind: z.enum(["deposit", "withdrawal"]), ...page }),
    reply: z.object({ items: z.array(pendingRequest), nextCursor: z.string().nullable() }),
  },
  /** a player's own requests, newest first, whatever their status */
  playerRequests: {
    body: z.object({ player: id, kind: z.enum(["deposit", "withdrawal"]), ...page }),
    reply: z.object({ items: z.array(playerRequest), nextCursor: z.string().nullable() }),
  },
} satisfies Protocol;

export type WalletProtocol = typeof walletProtocol;
export type WalletMessageType = keyof WalletProtocol;
export type Body<K extends WalletMessageType> = z.infer<WalletProtocol[K]["body"]>;
export type Reply<K extends WalletMessageType> = z.infer<WalletProtocol[K]["reply"]>;
/** A validated message, its body narrowed by its type. */
export type WalletMessage = { [K in WalletMessageType]: { type: K; body: Body<K> } }[WalletMessageType];
export type ReconciliationReport = z.infer<typeof reconciliationReport>;
export type BatchAction = z.infer<typeof batchAction>;

/** Reads: answered without a ledger write. */
export const QUERY_TYPES = new Set<string>(["balance", "transactions", "pendingRequests", "playerRequests"]);
/** Not recorded by message id: reads, and checks that are safe to run again. */
export const UNRECORDED_TYPES = new Set<string>([...QUERY_TYPES, "reconcile", "timer"]);
