import { z } from "zod";
import { externalIdSchema, freeText } from "../runtime/fields.ts";
import { isDay } from "../settlement/index.ts";

/**
 * What an agent or staff type about agents. Structured fields are allow-lists; free text is
 * bounded and free of control characters. Rates are whole basis points (1/100 of a percent),
 * so commission is integer arithmetic on minor units.
 */

export const agentIdSchema = z.string().uuid();
/** an id as other domains hold it (the catalog's allow-list, the wallet's accounts) */
export const anyAgentIdSchema = externalIdSchema;

export const loginNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{4,20}$/, "a login name is 4-20 letters, digits or underscores");

export const agentPasswordSchema = z.string().min(8, "a password has at least 8 characters").max(128, "a password has at most 128 characters");

export const agentNameSchema = freeText(50);

/** The code players sign up with (the same shape the player domain takes), kept in capitals. */
export const agentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{2,32}$/, "a code is 2-32 letters, digits, dashes or underscores")
  .transform((c) => c.toUpperCase());

/** 1 bp = 0.01 %: 150 is 1.5 %, 10000 is all of it */
export const basisPointsSchema = z.number().int().min(0).max(10_000);
const categorySchema = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "a game category like slots");

export const ratesSchema = z
  .object({
    rolling: z
      .record(categorySchema, basisPointsSchema)
      .refine((r) => Object.keys(r).length <= 50, "at most 50 categories")
      .default({})
      .describe("rolling commission per game category, in basis points of turnover (a category not named earns nothing)"),
    losing: basisPointsSchema.default(0).describe("losing commission, in basis points of the players' net loss"),
  })
  .meta({ id: "AgentRates" });
export type Rates = z.output<typeof ratesSchema>;

export const agentStatusSchema = z.enum(["active", "suspended"]);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const reasonSchema = freeText(500);
/** a local day of the brand, `YYYY-MM-DD` */
export const daySchema = z.string().refine((d) => isDay(d) && d >= "2000-01-01" && d <= "2999-12-31", "a day like 2024-05-06");
/** the longest span of days one activity read covers */
export const MAX_SPAN_DAYS = 400;
/** `from`..`to` in order and at most MAX_SPAN_DAYS long */
export const daysInOrder = (range: { from: string; to: string }) => range.from <= range.to && Date.parse(range.to) - Date.parse(range.from) <= (MAX_SPAN_DAYS - 1) * 86_400_000;
export const DAYS_IN_ORDER = { message: `from must not be after to, and a span is at most ${MAX_SPAN_DAYS} days`, path: ["to"] };
/** a player's username as the player domain keeps it */
export const playerUsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{4,20}$/, "a username is 4-20 letters, digits or underscores");
export const playerIdSchema = z.string().uuid();
export const searchSchema = freeText(40);
/** an argon2id PHC string from Bun.password.hash */
export const passwordHashSchema = z.string().startsWith("$argon2").max(200);
export const jtiSchema = z.string().min(1).max(100);
