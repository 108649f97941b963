import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { bigintCursorSchema, externalIdSchema, freeText, MAX_AMOUNT, pageLimitSchema, pageOf } from "../runtime/fields.ts";

/**
 * What `rolling@brand` takes and answers: the wallet's events it follows (each under its event
 * id), staff cancelling a record, and the views of records. Every field is bounded as the
 * edges bound it.
 */

export const ROLLING_STATUSES = ["open", "completed", "expired", "cancelled"] as const;
export const rollingStatusSchema = z.enum(ROLLING_STATUSES);
export type RollingStatus = z.infer<typeof rollingStatusSchema>;
export const rollingIdSchema = externalIdSchema;
const playerId = externalIdSchema;

/** money in events: a digit string of minor units within what one request may move */
const eventMoney = z
  .string()
  .regex(/^\d{1,19}$/, "a digit string of minor units")
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_AMOUNT, `at most ${MAX_AMOUNT} minor units`);
/** a wallet transaction id: its UUIDv7 orders it among the brand's transactions */
const transactionId = z.string().min(1).max(100);
/** the wallet's idempotency key of a bet (`p:<provider>:<transaction>`) */
const betKey = z.string().min(1).max(500);
/** the same rule as `rolling.depositMultiple` and `rolling.bonusMultiple` of brand_config */
export const rollingMultipleSchema = z.number().min(0).max(100);

/** `wallet.deposit_approved` and `wallet.bonus_granted`: a record follows each */
const credited = z.object({ player: playerId, transactionId, amount: eventMoney, rollingMultiple: rollingMultipleSchema.nullable().optional() });
const betSettled = z.object({ player: playerId, transactionId, idempotencyKey: betKey, amount: eventMoney, gameCategory: z.string().max(50).nullable().optional() });
/** a rollback names the bet it refunds by its key */
const rolledBack = z.object({ player: playerId, transactionId, reference: betKey, amount: eventMoney });
const eventReply = z.object({ applied: z.boolean() });

const money = z.string().regex(/^\d+$/);

export const rollingView = z
  .object({
    id: z.string(),
    player: z.string(),
    sourceKind: z.enum(["deposit", "bonus"]),
    /** the wallet transaction that started it */
    source: z.string(),
    amount: money,
    multiple: z.number(),
    target: money,
    progress: money,
    remaining: money,
    status: rollingStatusSchema,
    createdAt: z.number(),
    deadlineAt: z.number().nullable(),
    closedAt: z.number().nullable(),
    closedBy: z.string().nullable(),
    closeReason: z.string().nullable(),
  })
  .meta({ id: "Rolling" });
export type RollingView = z.infer<typeof rollingView>;

export const rollingSummary = z
  .object({ open: z.number().describe("open records"), target: money, progress: money, remaining: money.describe("still to wager over the open records") })
  .meta({ id: "RollingSummary" });
export const playerRollingsView = pageOf(rollingView).extend({ summary: rollingSummary }).meta({ id: "PlayerRollings" });

const page = { cursor: bigintCursorSchema.optional(), limit: pageLimitSchema };

export const rollingProtocol = {
  /** staff end an open record; a bonus record's bonus is forfeited (through the wallet) */
  cancel: { body: z.object({ rollingId: rollingIdSchema, reason: freeText(500, { multiline: true }), by: actingStaffSchema }), reply: rollingView },
  /** a player gives up one of their own bonuses: its record ends and the wallet forfeits what is left of the bonus */
  playerCancel: { body: z.object({ rollingId: rollingIdSchema, player: playerId }), reply: rollingView },
  /** newest first; `cursor` is the `nextCursor` of the previous page */
  rollings: { body: z.object({ player: playerId.optional(), status: rollingStatusSchema.optional(), ...page }), reply: pageOf(rollingView) },
  rolling: { body: z.object({ rollingId: rollingIdSchema }), reply: rollingView },
  /** one player's records, newest first, with what the open ones still need */
  playerRollings: { body: z.object({ player: playerId, status: rollingStatusSchema.optional(), ...page }), reply: playerRollingsView },
  // the wallet's events, each taken once under its event id
  "wallet.deposit_approved": { body: credited, reply: eventReply },
  "wallet.bonus_granted": { body: credited, reply: eventReply },
  "wallet.bet_settled": { body: betSettled, reply: eventReply },
  "wallet.rollback": { body: rolledBack, reply: eventReply },
} satisfies Protocol;

export type RollingProtocol = typeof rollingProtocol;
export type RollingMessageType = keyof RollingProtocol;
export type Body<K extends RollingMessageType> = z.infer<RollingProtocol[K]["body"]>;

/** Reads: answered from the shard, never journaled. */
export const ROLLING_QUERIES: ReadonlySet<string> = new Set(["rollings", "rolling", "playerRollings"]);
