import { z } from "zod";

/**
 * The shapes of what a player types. Structured fields are allow-lists (letters, digits and
 * a few marks), so quotes, semicolons and comment markers never reach the shard; free text
 * (message and inquiry bodies) is bounded in length and always bound as a parameter.
 */

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{4,20}$/, "a username is 4-20 letters, digits or underscores");

export const passwordSchema = z
  .string()
  .min(8, "a password has at least 8 characters")
  .max(128, "a password has at most 128 characters");

export const nicknameSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_]{2,16}$/u, "a nickname is 2-16 letters, digits or underscores");

export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9-]{6,18}[0-9]$/, "a phone number is 8-20 digits, dashes allowed");

export const bankSchema = z.object({
  name: z.string().trim().regex(/^[\p{L}\p{N} ]{2,30}$/u, "a bank name is 2-30 letters or digits"),
  account: z.string().trim().regex(/^[0-9][0-9-]{4,28}[0-9]$/, "an account number is 6-30 digits, dashes allowed"),
  holder: z.string().trim().regex(/^[\p{L} ]{2,30}$/u, "an account holder is 2-30 letters"),
});
export type BankAccount = z.infer<typeof bankSchema>;

/** an agent or referral code given at sign-up */
export const signupCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{2,32}$/, "a code is 2-32 letters, digits, dashes or underscores");

export const playerIdSchema = z.string().uuid();
export const sessionIdSchema = z.string().uuid();
/** a sha-256 hex digest */
export const tokenHashSchema = z.string().regex(/^[0-9a-f]{64}$/);
/** an argon2id PHC string from Bun.password.hash */
export const passwordHashSchema = z.string().startsWith("$argon2").max(200);

export const titleSchema = z.string().trim().min(1, "a title is required").max(200, "a title has at most 200 characters");
export const textBodySchema = z.string().trim().min(1, "a text is required").max(5000, "a text has at most 5000 characters");
export const staffIdSchema = z.string().min(1).max(64);
export const recordIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const pageSchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type Page = z.infer<typeof pageSchema>;
