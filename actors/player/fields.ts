import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import { freeText } from "../runtime/fields.ts";

/**
 * The shapes of what a player types. Structured fields are allow-lists (letters, digits and
 * a few marks), so quotes, semicolons and comment markers never reach the shard; free text
 * (message and inquiry bodies, content, reasons) is bounded in length, holds no control
 * characters (a NUL would break the PostgreSQL audit row that records it) and is always bound
 * as a parameter.
 */

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{4,20}$/, "a username is 4-20 letters, digits or underscores");

export const passwordSchema = z.string().min(8, "a password has at least 8 characters").max(128, "a password has at most 128 characters");

export const nicknameSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_]{2,16}$/u, "a nickname is 2-16 letters, digits or underscores");

export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9-]{6,18}[0-9]$/, "a phone number is 8-20 digits, dashes allowed");

export const bankSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N} ]{2,30}$/u, "a bank name is 2-30 letters or digits"),
  account: z
    .string()
    .trim()
    .regex(/^[0-9][0-9-]{4,28}[0-9]$/, "an account number is 6-30 digits, dashes allowed"),
  holder: z
    .string()
    .trim()
    .regex(/^[\p{L} ]{2,30}$/u, "an account holder is 2-30 letters"),
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

export const titleSchema = freeText(200);
export const textBodySchema = freeText(5000, { multiline: true });
/** why staff suspend a player: shown to staff, kept with the player */
export const reasonSchema = freeText(500);
/** a staff member's id or name as an internal caller gives it */
export const staffIdSchema = z
  .string()
  .min(1)
  .max(64, "at most 64 characters")
  .regex(/^[\x21-\x7E]+$/, "printable ASCII without spaces");
export const recordIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** a player search: part of a username or nickname */
export const searchSchema = freeText(40);

/** Who acted, as a staff command carries it: bounded, printable, so the audit row can hold it. */
export const actingStaff = actingStaffSchema.extend({
  staffId: staffIdSchema.nullable(),
  username: freeText(100),
  ip: z.string().max(64).nullable().optional(),
});
