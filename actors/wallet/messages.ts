import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { bigintCursorSchema, externalIdSchema, freeText, INT64_MAX, pageLimitSchema, pageOf } from "../runtime/fields.ts";
import { creditRequestSchema } from "../settlement/index.ts";
import { RESERVED_BONUS_ID } from "./keys.ts";
import { moneyText, positiveAmountSchema, signedAmountSchema } from "./money.ts";
import { type batchAction, batchBody, batchReply, betBody, providerReply, rollbackBody, winBody } from "./provider-messages.ts";

export { batchAction, batchBody, betBody, rollbackBody, winBody } from "./provider-messages.ts";

/**
 * The `wallet@brand` protocol: for each command and query its body and its reply. Every
 * field is bounded as the edges bound it (ids, cursors, money, text without control
 * characters), so nothing a store would refuse reaches a turn.
 */

/** ids the platform or its callers choose: players, agents, requests, adjustments */
const id = externalIdSchema;
/** a caller's conversion or forfeit id: never one of the ids the wallet keeps for a rolling record's settlement */
const bonusSettlementId = id.refine((v) => !v.startsWith(RESERVED_BONUS_ID), `must not start with ${RESERVED_BONUS_ID} (the wallet's own ids for a rolling record's bonus)`);
const reasonText = freeText(500, { multiline: true });
const playerOwner = z.object({ kind: z.literal("player"), id });
const holder = z.discriminatedUnion("kind", [playerOwner, z.object({ kind: z.literal("agent"), id })]);

const balances = z.object({ cash: moneyText, bonus: moneyText, locked: moneyText, currency: z.string() }).meta({ id: "WalletBalances" });
const moneyReply = z.object({ transactionId: z.string(), amount: moneyText, balance: balances, replayed: z.boolean() }).meta({ id: "WalletMovement" });

const requestStatus = z.enum(["pending", "approved", "rejected"]);
const requestKind = z.enum(["deposit", "withdrawal", "agent_withdrawal"]);
const requestReply = z
  .object({
    requestId: z.string(),
    kind: z.enum(["deposit", "withdrawal"]),
    player: z.string(),
    amount: moneyText,
    status: requestStatus,
    transactionId: z.string(),
    balance: balances,
    /** true when this answers a repeated request or decision: nothing moved */
    replayed: z.boolean(),
  })
  .meta({ id: "WalletCashierRequest" });
/** an agent's own withdrawal: held at once (cash → locked), paid out or returned by staff */
const agentRequestReply = z
  .object({
    requestId: z.string(),
    kind: z.literal("agent_withdrawal"),
    agent: z.string(),
    amount: moneyText,
    status: requestStatus,
    transactionId: z.string(),
    balance: balances.describe("the agent's balances: cash, and locked while a withdrawal waits"),
    replayed: z.boolean(),
  })
  .meta({ id: "WalletAgentWithdrawal" });
/** a staff decision: who decided is recorded on the ledger and audited with the change */
const decision = { requestId: id, by: actingStaffSchema };

export const reconciliationReport = z
  .object({
    brands: z.array(z.string()),
    accountsChecked: z.number(),
    transactionsChecked: z.number(),
    accountMismatches: z.array(z.object({ brand: z.string(), accountId: z.string(), balance: moneyText, postings: moneyText })),
    unbalancedTransactions: z.array(z.object({ brand: z.string(), transactionId: z.string(), sum: moneyText })),
    ok: z.boolean(),
  })
  .meta({ id: "WalletReconciliationReport" });

const statementLine = z
  .object({
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
  })
  .meta({ id: "WalletStatementLine" });
const pendingRequest = z
  .object({
    requestId: z.string(),
    player: z.string(),
    amount: moneyText,
    at: z.string(),
    details: z.unknown(),
  })
  .meta({ id: "WalletPendingRequest" });
const playerRequest = z
  .object({
    requestId: z.string(),
    kind: requestKind,
    amount: moneyText,
    status: requestStatus,
    at: z.string(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.unknown(),
  })
  .meta({ id: "WalletPlayerRequest" });
const page = { cursor: bigintCursorSchema.optional(), limit: pageLimitSchema };

/** The payout account a withdrawal goes to, as the player domain publishes it. */
export const payoutAccountSchema = z.object({ name: freeText(100), account: freeText(100), holder: freeText(100) });
export type PayoutAccount = z.infer<typeof payoutAccountSchema>;
const playerEvent = { playerId: id };
const payoutReply = z.object({ player: z.string(), payoutAccount: z.boolean() });
/** minor units in the rolling domain's events: a target may pass what one request moves (amount × multiple) */
const rollingMoney = z
  .string()
  .regex(/^\d{1,19}$/, "a digit string of minor units")
  .transform((v) => BigInt(v))
  .refine((v) => v <= INT64_MAX, "at most a bigint");
/** What the wallet reads of a rolling event (the record as it stands after the change). */
export const rollingEventBody = z.object({
  rollingId: id,
  player: id,
  sourceKind: z.enum(["deposit", "bonus"]),
  /** the deposit approval or bonus grant that started the record */
  source: z.uuid(),
  bonusAmount: rollingMoney,
  remaining: rollingMoney,
  status: z.enum(["open", "completed", "expired", "cancelled"]),
  version: z.number().int().min(1),
  reason: freeText(500, { multiline: true }).optional(),
});
const rollingReply = z.object({ player: z.string(), state: z.enum(["awaited", "open", "closed"]) });
const statusReply = z.object({ player: z.string(), suspended: z.boolean() });

const bonusGrantBody = z.object({
  grantId: id,
  player: id,
  amount: positiveAmountSchema,
  source: freeText(50).optional(),
  reason: reasonText.optional(),
  rollingMultiple: z.number().min(0).max(100).optional(),
});

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
      depositorName: freeText(100).optional(),
    }),
    reply: requestReply,
  },
  depositApprove: { body: z.object({ ...decision, source: z.enum(["staff", "recon"]).default("staff") }), reply: requestReply },
  depositReject: { body: z.object({ ...decision, reason: reasonText }), reply: requestReply },
  /** the wallet fills in the payout account it holds for the player */
  withdrawalRequest: { body: z.object({ requestId: id, player: id, amount: positiveAmountSchema }), reply: requestReply },
  withdrawalApprove: { body: z.object(decision), reply: requestReply },
  withdrawalReject: { body: z.object({ ...decision, reason: reasonText }), reply: requestReply },
  /** `rollingMultiple`: the wagering this bonus carries (the brand's `rolling.bonusMultiple` when absent) */
  bonusGrant: { body: bonusGrantBody, reply: moneyReply },
  /** `amount` defaults to the whole bonus balance */
  bonusConvert: { body: z.object({ conversionId: bonusSettlementId, player: id, amount: positiveAmountSchema.optional() }), reply: moneyReply },
  bonusForfeit: {
    body: z.object({ forfeitId: bonusSettlementId, player: id, amount: positiveAmountSchema.optional(), reason: reasonText.optional() }),
    reply: moneyReply,
  },
  adjust: {
    body: z.object({
      adjustmentId: id,
      owner: holder,
      account: z.enum(["cash", "bonus"]).default("cash"),
      amount: signedAmountSchema,
      reason: reasonText,
      by: actingStaffSchema,
    }),
    reply: moneyReply,
  },
  agentWithdrawalRequest: { body: z.object({ requestId: id, agent: id, amount: positiveAmountSchema }), reply: agentRequestReply },
  agentWithdrawalApprove: { body: z.object(decision), reply: agentRequestReply },
  agentWithdrawalReject: { body: z.object({ ...decision, reason: reasonText }), reply: agentRequestReply },
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
  /** sets the suspended list directly; the list otherwise follows the player domain's events */
  setPlayerStatus: { body: z.object({ player: id, suspended: z.boolean() }), reply: statusReply },
  /** `by`: a run staff asked for, audited with its result */
  reconcile: { body: z.object({ by: actingStaffSchema.optional() }), reply: reconciliationReport },
  // events of the player domain, each taken once under its event id
  "player.registered": { body: z.object({ ...playerEvent, bank: payoutAccountSchema.optional() }), reply: payoutReply },
  "player.bank_account_changed": { body: z.object({ ...playerEvent, bank: payoutAccountSchema.optional() }), reply: payoutReply },
  "player.suspended": { body: z.object(playerEvent), reply: statusReply },
  "player.reinstated": { body: z.object(playerEvent), reply: statusReply },
  // a coupon's bonus the promotion domain asks for, granted once under the redemption's id
  "promotion.bonus_requested": { body: bonusGrantBody, reply: moneyReply },
  // a settlement's line (agent commission, promotions), credited from the house once under its id
  "settlement.credit_requested": {
    body: creditRequestSchema.extend({ amount: positiveAmountSchema }),
    reply: z.object({ lineId: z.string(), transactionId: z.string(), amount: moneyText, replayed: z.boolean() }),
  },
  // events of the rolling domain (the withdrawal gate; a bonus record's bonus settled when it closes)
  "rolling.created": { body: rollingEventBody, reply: rollingReply },
  "rolling.progressed": { body: rollingEventBody, reply: rollingReply },
  "rolling.completed": { body: rollingEventBody, reply: rollingReply },
  "rolling.expired": { body: rollingEventBody, reply: rollingReply },
  "rolling.cancelled": { body: rollingEventBody, reply: rollingReply },
  // queries
  balance: { body: z.object({ owner: holder }), reply: balances },
  transactions: {
    body: z.object({ owner: holder, account: z.enum(["cash", "bonus", "locked"]).default("cash"), ...page }),
    reply: pageOf(statementLine),
  },
  /** the queue staff decide; for `agent_withdrawal`, `player` names the agent */
  pendingRequests: {
    body: z.object({ kind: requestKind, ...page }),
    reply: pageOf(pendingRequest),
  },
  /** a player's own requests, newest first, whatever their status */
  playerRequests: {
    body: z.object({ player: id, kind: z.enum(["deposit", "withdrawal"]), ...page }),
    reply: pageOf(playerRequest),
  },
  /** an agent's own withdrawal requests, newest first */
  agentRequests: { body: z.object({ agent: id, ...page }), reply: pageOf(playerRequest) },
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
export const QUERY_TYPES = new Set<string>(["balance", "transactions", "pendingRequests", "playerRequests", "agentRequests"]);
/** Not recorded by message id: reads, and checks that are safe to run again. */
export const UNRECORDED_TYPES = new Set<string>([...QUERY_TYPES, "reconcile", "timer"]);
