import { z } from "zod";
import type { Protocol } from "../runtime/actor.ts";
import { brandIdSchema } from "../runtime/address.ts";
import { allowListEntrySchema } from "./ip-allow-list.ts";

/** The game domain's protocols: the global registry and the per-brand `game@brand` actor. */

export const providerCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "a provider code is a lowercase slug like pragmatic");
export const gameCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "a game code is 1-100 letters, digits, _ . : -");
export const playerIdSchema = z.string().min(1).max(200);
export const DIALECTS = ["standard", "batch"] as const;
export const dialectSchema = z.enum(DIALECTS);
export type Dialect = z.infer<typeof dialectSchema>;
/** The category decides a bet's wagering contribution (rolling). */
export const GAME_CATEGORIES = ["slots", "live_casino", "table", "instant", "sports", "other"] as const;
export const gameCategorySchema = z.enum(GAME_CATEGORIES);
export type GameCategory = z.infer<typeof gameCategorySchema>;
const secretSchema = z.string().min(32, "a provider secret has at least 32 characters").max(200);
const name = z.string().trim().min(1).max(100);
const allowList = z.array(allowListEntrySchema).max(100);

export const providerView = z.object({
  code: z.string(),
  name: z.string(),
  dialect: dialectSchema,
  ipAllowList: z.array(z.string()),
  allBrands: z.boolean(),
  /** per-brand overrides of `allBrands` */
  brands: z.record(z.string(), z.boolean()),
  /** while set, the secret before the last rotation is still accepted */
  previousSecretUntil: z.number().nullable(),
  updatedAt: z.number(),
});
export type ProviderView = z.infer<typeof providerView>;

export const gameView = z.object({
  provider: z.string(),
  code: z.string(),
  name: z.string(),
  category: gameCategorySchema,
  allBrands: z.boolean(),
  brands: z.record(z.string(), z.boolean()),
  updatedAt: z.number(),
});
export type GameView = z.infer<typeof gameView>;

const withSecret = z.object({ provider: providerView, secret: z.string() });

export const gameRegistryProtocol = {
  registerProvider: {
    body: z.object({
      code: providerCodeSchema,
      name,
      dialect: dialectSchema,
      secret: secretSchema.optional(),
      ipAllowList: allowList.default([]),
      allBrands: z.boolean().default(false),
    }),
    reply: withSecret,
  },
  updateProvider: {
    body: z.object({ code: providerCodeSchema, name: name.optional(), dialect: dialectSchema.optional(), ipAllowList: allowList.optional(), allBrands: z.boolean().optional() }),
    reply: providerView,
  },
  /** a new secret (given or generated); the old one stays valid for `graceSeconds` */
  rotateSecret: {
    body: z.object({ code: providerCodeSchema, secret: secretSchema.optional(), graceSeconds: z.number().int().min(0).max(7 * 86_400).default(0) }),
    reply: withSecret,
  },
  setProviderBrand: { body: z.object({ code: providerCodeSchema, brand: brandIdSchema, enabled: z.boolean() }), reply: providerView },
  upsertGame: {
    body: z.object({ provider: providerCodeSchema, code: gameCodeSchema, name, category: gameCategorySchema, allBrands: z.boolean().default(true) }),
    reply: gameView,
  },
  setGameBrand: {
    body: z.object({ provider: providerCodeSchema, game: gameCodeSchema, brand: brandIdSchema, enabled: z.boolean() }),
    reply: gameView,
  },
} satisfies Protocol;

export const sessionView = z.object({
  session: z.string(),
  player: z.string(),
  provider: z.string(),
  game: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  revokedAt: z.number().nullable(),
  revokedReason: z.string().nullable(),
});
export type SessionView = z.infer<typeof sessionView>;

const money = z.string().regex(/^-?\d+$/);
export const roundEntryView = z.object({
  kind: z.enum(["bet", "win", "rollback"]),
  transactionUuid: z.string(),
  transactionId: z.string(),
  amount: money,
  at: z.number(),
});
export const roundView = z.object({
  provider: z.string(),
  round: z.string(),
  player: z.string(),
  game: z.string(),
  status: z.enum(["open", "closed"]),
  betTotal: money,
  winTotal: money,
  refundTotal: money,
  openedAt: z.number(),
  updatedAt: z.number(),
  closedAt: z.number().nullable(),
});
export type RoundView = z.infer<typeof roundView>;

const limit = z.number().int().min(1).max(200).default(50);

export const gameProtocol = {
  /** a launch session and its signed player token */
  launch: {
    body: z.object({ player: playerIdSchema, provider: providerCodeSchema, game: gameCodeSchema, ttlSeconds: z.number().int().min(60).max(86_400).default(3600) }),
    reply: z.object({ token: z.string(), session: z.string(), player: z.string(), provider: z.string(), game: z.string(), expiresAt: z.number() }),
  },
  sessions: { body: z.object({ player: playerIdSchema.optional(), limit }), reply: z.object({ items: z.array(sessionView) }) },
  rounds: {
    body: z.object({
      player: playerIdSchema.optional(),
      provider: providerCodeSchema.optional(),
      status: z.enum(["open", "closed"]).optional(),
      /** `nextCursor` of the previous page */
      cursor: z.string().regex(/^\d+\.\d+$/).optional(),
      limit,
    }),
    reply: z.object({ items: z.array(roundView), nextCursor: z.string().nullable() }),
  },
  round: {
    body: z.object({ provider: providerCodeSchema, round: z.string().min(1).max(200) }),
    reply: roundView.extend({ entries: z.array(roundEntryView) }),
  },
} satisfies Protocol;

/** What the round projection reads from the wallet's provider events (amounts as strings). */
export const providerMoneyEvent = z.looseObject({
  player: playerIdSchema,
  transactionId: z.string(),
  idempotencyKey: z.string(),
  amount: money,
  provider: z.string(),
  round: z.string(),
  gameCode: z.string().nullable().optional(),
  roundFinished: z.boolean().optional(),
});
export type ProviderMoneyEvent = z.infer<typeof providerMoneyEvent>;
export const playerStatusEvent = z.looseObject({ playerId: playerIdSchema, reason: z.string().optional() });

export type GameRegistryProtocol = typeof gameRegistryProtocol;
export type GameProtocol = typeof gameProtocol;
