import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { externalIdSchema, freeText, moneyInput, pageOf, pageQuerySchema } from "../runtime/fields.ts";
import { isDay, settlementLinePage, settlementPage, settlementView } from "../settlement/index.ts";

/**
 * What `promotion@brand` takes and answers: staff's coupons and settlements (each carrying
 * `by`, audited in the actor's commit), players' redemptions and views, and the events of
 * other domains it follows (events.ts). Every field is bounded as the edges bound it.
 */

const by = actingStaffSchema;
export const playerIdSchema = externalIdSchema;
export const couponIdSchema = z.uuid();
export const redemptionIdSchema = z.uuid();
/** what players type: letters, digits, dashes, underscores; kept in capitals */
export const couponCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{4,32}$/, "a code is 4-32 letters, digits, dashes or underscores")
  .transform((c) => c.toUpperCase());
export const daySchema = z.string().refine(isDay, "a day written YYYY-MM-DD");
export const PROMOTION_KINDS = ["rebate", "lossback"] as const;
export const promotionKindSchema = z.enum(PROMOTION_KINDS);
export type PromotionKind = z.infer<typeof promotionKindSchema>;
const money = z.string().regex(/^\d+$/);
const instant = z.number().int().min(0).max(8_640_000_000_000_000);

export const couponInput = z
  .object({
    name: freeText(100),
    kind: z.enum(["fixed", "deposit_percent"]).describe("fixed: `amount`; deposit_percent: `percentBp` of the qualifying deposit, at most `cap`"),
    amount: moneyInput({ allowZero: true }).optional().describe("the bonus of a fixed coupon, minor units"),
    percentBp: z.number().int().min(1).max(10_000).optional().describe("basis points of the deposit"),
    cap: moneyInput().optional().describe("the most a deposit coupon grants, minor units"),
    minDeposit: moneyInput({ allowZero: true }).default("0").describe("a deposit of at least this starts the bonus (a fixed coupon with 0 grants at once)"),
    maxUses: z.number().int().min(1).max(1_000_000).describe("redemptions each code allows; every player redeems a coupon once"),
    rollingMultiple: z.number().min(0).max(100).optional().describe("the wagering its bonuses carry; the brand's rolling.bonusMultiple when absent"),
    validFrom: instant.optional().describe("ms since the epoch; now when absent"),
    validTo: instant.describe("ms since the epoch"),
    code: couponCodeSchema.optional().describe("one code of the staff's choosing"),
    batch: z.number().int().min(1).max(1000).optional().describe("this many generated codes instead"),
  })
  .refine((c) => (c.code === undefined) !== (c.batch === undefined), { message: "give either a code or a batch size", path: ["code"] })
  .refine((c) => (c.kind === "fixed" ? c.amount !== undefined && BigInt(c.amount) > 0n : c.percentBp !== undefined && c.cap !== undefined), {
    message: "a fixed coupon needs an amount, a deposit coupon percentBp and cap",
    path: ["kind"],
  })
  .refine((c) => c.validFrom === undefined || c.validFrom < c.validTo, { message: "validFrom must come before validTo", path: ["validTo"] });

export const couponView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["fixed", "deposit_percent"]),
    amount: money,
    percentBp: z.number(),
    cap: money.nullable(),
    minDeposit: money,
    maxUses: z.number(),
    rollingMultiple: z.number().nullable(),
    validFrom: z.number(),
    validTo: z.number(),
    status: z.enum(["active", "paused"]),
    codes: z.number().describe("how many codes it has"),
    uses: z.number().describe("redemptions over all its codes"),
    createdBy: z.string(),
    createdAt: z.number(),
  })
  .meta({ id: "Coupon" });
export type CouponView = z.infer<typeof couponView>;

export const couponCodeView = z.object({ code: z.string(), couponId: z.string(), uses: z.number(), maxUses: z.number() }).meta({ id: "CouponCode" });

export const redemptionView = z
  .object({
    id: z.string(),
    couponId: z.string(),
    couponName: z.string(),
    code: z.string(),
    player: z.string(),
    status: z
      .enum(["armed", "requested", "granted", "lapsed", "refused"])
      .describe("armed: waits for a qualifying deposit; requested: the wallet's grant is on its way; refused: the wallet refused the grant for good (see `refusal`)"),
    amount: money.describe("the bonus, minor units (0 while armed)"),
    transactionId: z.string().nullable(),
    rolling: z
      .object({ id: z.string(), status: z.enum(["open", "completed", "expired", "cancelled"]), target: money, progress: money })
      .nullable()
      .describe("the bonus's wagering requirement: completed converts it to cash; expired or cancelled forfeits it"),
    refusal: z.object({ code: z.string(), message: z.string() }).nullable().describe("why the wallet refused the grant, when `refused`"),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .meta({ id: "Redemption" });
export type RedemptionView = z.infer<typeof redemptionView>;

export const previewLine = z.object({ player: z.string(), amount: money, detail: z.unknown() });
export const settlementPreview = z
  .object({
    kind: promotionKindSchema,
    period: z.string(),
    from: z.string(),
    to: z.string(),
    players: z.number().describe("players paid"),
    total: money,
    settled: z.boolean().describe("the period was settled already (nothing more is paid)"),
    lines: z.array(previewLine).describe("the largest lines first, at most `limit`"),
  })
  .meta({ id: "PromotionSettlementPreview" });

export const lateRollbackView = z
  .object({ betKey: z.string(), player: z.string(), day: z.string(), category: z.string(), amount: money, overpaid: z.record(z.string(), money), at: z.number() })
  .meta({ id: "PromotionLateRollback" });

const settle = { kind: promotionKindSchema, day: daySchema.describe("a day of the period; the period must have ended") };

export const promotionProtocol = {
  // staff
  createCoupon: { body: z.object({ coupon: couponInput, by }), reply: couponView.extend({ codeList: z.array(z.string()) }) },
  setCouponStatus: { body: z.object({ couponId: couponIdSchema, status: z.enum(["active", "paused"]), by }), reply: couponView },
  runSettlement: { body: z.object({ ...settle, by }), reply: settlementView },
  requeueSettlement: { body: z.object({ settlementId: z.string().max(100), by }), reply: settlementView },
  // players
  redeem: { body: z.object({ player: playerIdSchema, code: couponCodeSchema }), reply: redemptionView },
  // reads
  coupons: { body: pageQuerySchema.extend({ status: z.enum(["active", "paused"]).optional() }), reply: pageOf(couponView) },
  coupon: { body: z.object({ couponId: couponIdSchema }), reply: couponView },
  couponCodes: { body: pageQuerySchema.extend({ couponId: couponIdSchema }), reply: pageOf(couponCodeView) },
  redemptions: {
    body: pageQuerySchema.extend({ player: playerIdSchema.optional(), couponId: couponIdSchema.optional(), status: redemptionView.shape.status.optional() }),
    reply: pageOf(redemptionView),
  },
  redemption: { body: z.object({ redemptionId: redemptionIdSchema, player: playerIdSchema.optional() }), reply: redemptionView },
  preview: { body: z.object({ ...settle, limit: z.coerce.number().int().min(0).max(200).default(50) }), reply: settlementPreview },
  settlements: { body: pageQuerySchema.extend({ kind: promotionKindSchema.optional(), status: settlementView.shape.status.optional() }), reply: settlementPage },
  settlementLines: {
    body: pageQuerySchema.extend({ settlementId: z.string().max(100).optional(), player: playerIdSchema.optional() }),
    reply: settlementLinePage,
  },
  lateRollbacks: { body: pageQuerySchema, reply: pageOf(lateRollbackView) },
} satisfies Protocol;

export type PromotionProtocol = typeof promotionProtocol;
export type PromotionMessageType = keyof PromotionProtocol;
export type PromotionBody<K extends PromotionMessageType> = z.output<PromotionProtocol[K]["body"]>;

/** Reads: answered outside the journal. */
export const PROMOTION_QUERIES: ReadonlySet<string> = new Set<PromotionMessageType>([
  "coupons",
  "coupon",
  "couponCodes",
  "redemptions",
  "redemption",
  "preview",
  "settlements",
  "settlementLines",
  "lateRollbacks",
]);
