import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { brandIdSchema } from "../runtime/address.ts";
import { bigintCursorSchema, externalIdSchema, freeText, MAX_PAGE_SIZE, pageOf } from "../runtime/fields.ts";
import { allowListEntrySchema } from "./ip-allow-list.ts";

/** The game domain's protocols: the global registry and the per-brand `game@brand` actor. */

export const providerCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "a provider code is a lowercase slug like pragmatic");
export const gameCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "a game code is 1-100 letters, digits, _ . : -");
export const playerIdSchema = externalIdSchema;
/** a provider's round id, as its callbacks name it */
export const roundIdSchema = externalIdSchema;
export const DIALECTS = ["standard", "batch"] as const;
export const dialectSchema = z.enum(DIALECTS);
export type Dialect = z.infer<typeof dialectSchema>;
/** The category decides a bet's wagering contribution (rolling). */
export const GAME_CATEGORIES = ["slots", "live_casino", "table", "instant", "sports", "other"] as const;
export const gameCategorySchema = z.enum(GAME_CATEGORIES);
export type GameCategory = z.infer<typeof gameCategorySchema>;
const secretSchema = z
  .string()
  .min(32, "a provider secret has at least 32 characters")
  .max(200, "at most 200 characters")
  .regex(/^[\x21-\x7E]+$/, "a provider secret is printable ASCII without spaces");
const name = freeText(100);
const allowList = z.array(allowListEntrySchema).max(100);
/** the staff member a change is made for: the registry audits it with the change */
const by = actingStaffSchema;

export const providerView = z
  .object({
    code: z.string(),
    name: z.string(),
    dialect: dialectSchema,
    ipAllowList: z.array(z.string()),
    allBrands: z.boolean(),
    /** per-brand overrides of `allBrands` (the brands in the caller's scope) */
    brands: z.record(z.string(), z.boolean()),
    /** while set, the secret before the last rotation is still accepted */
    previousSecretUntil: z.number().nullable(),
    updatedAt: z.number(),
  })
  .meta({ id: "GameProvider" });
export type ProviderView = z.infer<typeof providerView>;

export const gameView = z
  .object({
    provider: z.string(),
    code: z.string(),
    name: z.string(),
    category: gameCategorySchema,
    allBrands: z.boolean(),
    /** per-brand overrides of `allBrands` (the brands in the caller's scope) */
    brands: z.record(z.string(), z.boolean()),
    updatedAt: z.number(),
  })
  .meta({ id: "GameCatalogEntry" });
export type GameView = z.infer<typeof gameView>;

/** A registration or rotation: the only replies that carry the secret, shown once. */
export const providerWithSecret = z.object({ provider: providerView, secret: z.string() }).meta({ id: "GameProviderWithSecret" });

export const gameRegistryProtocol = {
  registerProvider: {
    body: z.object({
      code: providerCodeSchema,
      name,
      dialect: dialectSchema,
      secret: secretSchema.optional(),
      ipAllowList: allowList.default([]),
      allBrands: z.boolean().default(false),
      by,
    }),
    reply: providerWithSecret,
  },
  updateProvider: {
    body: z.object({
      code: providerCodeSchema,
      name: name.optional(),
      dialect: dialectSchema.optional(),
      ipAllowList: allowList.optional(),
      allBrands: z.boolean().optional(),
      by,
    }),
    reply: providerView,
  },
  /** a new secret (given or generated); the old one stays valid for `graceSeconds` */
  rotateSecret: {
    body: z.object({
      code: providerCodeSchema,
      secret: secretSchema.optional(),
      graceSeconds: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400)
        .default(0),
      by,
    }),
    reply: providerWithSecret,
  },
  setProviderBrand: { body: z.object({ code: providerCodeSchema, brand: brandIdSchema, enabled: z.boolean(), by }), reply: providerView },
  upsertGame: {
    body: z.object({ provider: providerCodeSchema, code: gameCodeSchema, name, category: gameCategorySchema, allBrands: z.boolean().default(true), by }),
    reply: gameView,
  },
  setGameBrand: {
    body: z.object({ provider: providerCodeSchema, game: gameCodeSchema, brand: brandIdSchema, enabled: z.boolean(), by }),
    reply: gameView,
  },
} satisfies Protocol;

export const sessionView = z
  .object({
    session: z.string(),
    player: z.string(),
    provider: z.string(),
    game: z.string(),
    issuedAt: z.number(),
    expiresAt: z.number(),
    revokedAt: z.number().nullable(),
    revokedReason: z.string().nullable(),
  })
  .meta({ id: "GameSession" });
export type SessionView = z.infer<typeof sessionView>;

const money = z.string().regex(/^-?\d+$/);
export const roundEntryView = z.object({
  kind: z.enum(["bet", "win", "rollback"]),
  transactionUuid: z.string(),
  transactionId: z.string(),
  amount: money,
  at: z.number(),
});
export const roundView = z
  .object({
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
  })
  .meta({ id: "GameRound" });
export type RoundView = z.infer<typeof roundView>;
export const roundDetailView = roundView.extend({ entries: z.array(roundEntryView) }).meta({ id: "GameRoundDetail" });

// messages carry numbers (a query string's text is coerced at the edge)
const page = { cursor: bigintCursorSchema.optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50) };

export const launchReply = z
  .object({ token: z.string(), session: z.string(), player: z.string(), provider: z.string(), game: z.string(), expiresAt: z.number() })
  .meta({ id: "GameLaunch" });

export const gameProtocol = {
  /** a launch session and its signed player token */
  launch: {
    body: z.object({ player: playerIdSchema, provider: providerCodeSchema, game: gameCodeSchema, ttlSeconds: z.number().int().min(60).max(86_400).default(3600) }),
    reply: launchReply,
  },
  /** newest first; `cursor` is the `nextCursor` of the previous page */
  sessions: { body: z.object({ player: playerIdSchema.optional(), ...page }), reply: pageOf(sessionView) },
  /** newest first; `cursor` is the `nextCursor` of the previous page */
  rounds: {
    body: z.object({ player: playerIdSchema.optional(), provider: providerCodeSchema.optional(), status: z.enum(["open", "closed"]).optional(), ...page }),
    reply: pageOf(roundView),
  },
  round: { body: z.object({ provider: providerCodeSchema, round: roundIdSchema }), reply: roundDetailView },
} satisfies Protocol;

/** What the round projection reads from the wallet's provider events (amounts as strings). */
export const providerMoneyEvent = z.looseObject({
  player: z.string().min(1).max(200),
  transactionId: z.string(),
  idempotencyKey: z.string(),
  amount: money,
  provider: z.string(),
  round: z.string(),
  gameCode: z.string().nullable().optional(),
  roundFinished: z.boolean().optional(),
});
export type ProviderMoneyEvent = z.infer<typeof providerMoneyEvent>;
export const playerStatusEvent = z.looseObject({ playerId: z.string().min(1).max(200), reason: z.string().optional() });

export type GameRegistryProtocol = typeof gameRegistryProtocol;
export type GameProtocol = typeof gameProtocol;
