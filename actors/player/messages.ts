import { z } from "zod";
import type { Protocol } from "../runtime/actor.ts";
import { freeText, pageOf, pageQuerySchema } from "../runtime/fields.ts";
import {
  actingStaff,
  bankSchema,
  nicknameSchema,
  passwordHashSchema,
  phoneSchema,
  playerIdSchema,
  reasonSchema,
  recordIdSchema,
  searchSchema,
  sessionIdSchema,
  signupCodeSchema,
  textBodySchema,
  titleSchema,
  tokenHashSchema,
  usernameSchema,
} from "./fields.ts";

/**
 * What `player@brand` takes and answers. Passwords and refresh tokens never travel here:
 * the caller sends argon2id hashes and sha-256 token hashes (see auth-flow.ts), so neither
 * the mailbox nor the actor journal ever holds a secret a player typed.
 */

const playerRef = z.object({ playerId: playerIdSchema });
const jtiSchema = z.string().min(1).max(100);
const newTokens = z.object({ refreshTokenHash: tokenHashSchema, expiresAt: z.number().int(), accessJti: jtiSchema });
const newSession = newTokens.extend({ sessionId: sessionIdSchema });
const accessRef = z.object({ playerId: playerIdSchema, jti: jtiSchema });
const playerSummary = z.object({ id: z.string(), username: z.string(), nickname: z.string() });

export const playerStatus = z.enum(["active", "suspended"]);
export const inquiryStatus = z.enum(["open", "answered"]);

export const profileView = z.object({
  id: z.string(),
  username: z.string(),
  nickname: z.string(),
  phone: z.string(),
  bank: bankSchema,
  referralCode: z.string(),
  signupCode: z.string().nullable(),
  status: playerStatus,
  createdAt: z.number(),
  lastLoginAt: z.number().nullable(),
});
export type ProfileView = z.infer<typeof profileView>;

export const messageView = z.object({ id: z.number(), title: z.string(), body: z.string(), broadcast: z.boolean(), createdAt: z.number(), readAt: z.number().nullable() });
export const inquiryView = z.object({
  id: z.number(),
  playerId: z.string(),
  title: z.string(),
  body: z.string(),
  status: inquiryStatus,
  createdAt: z.number(),
  answeredAt: z.number().nullable(),
  replies: z.array(z.object({ id: z.number(), staffId: z.string(), body: z.string(), createdAt: z.number() })).optional(),
});
export const contentKind = z.enum(["notice", "banner", "faq"]);
const urlSchema = freeText(500).refine((u) => URL.canParse(u) && /^https?:\/\//i.test(u), "an http(s) URL");
export const contentInput = z.object({
  kind: contentKind,
  title: titleSchema,
  body: freeText(20_000, { min: 0, multiline: true }).default(""),
  imageUrl: urlSchema.nullish(),
  linkUrl: urlSchema.nullish(),
  category: freeText(50).nullish(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  published: z.boolean().default(true),
});
export const contentView = contentInput.extend({ id: z.number(), createdAt: z.number(), updatedAt: z.number() }).meta({ id: "SiteContent" });
export type ContentView = z.infer<typeof contentView>;

// what a setting may hold: JSON whose strings and keys are text without control characters
type SettingValue = string | number | boolean | null | SettingValue[] | { [key: string]: SettingValue };
const settingKey = freeText(64);
const settingValue: z.ZodType<SettingValue> = z.lazy(() =>
  z.union([freeText(2000, { min: 0, multiline: true }), z.number(), z.boolean(), z.null(), z.array(settingValue).max(200), z.record(settingKey, settingValue)]),
);
const settingsSchema = z
  .record(z.string().regex(/^[a-z][a-zA-Z0-9_.]{0,63}$/, "a setting key is a letter, then letters, digits, dots or underscores"), settingValue)
  .refine((s) => JSON.stringify(s).length <= 20_000, "settings are at most 20000 characters of JSON");
const settingsReply = z.object({ settings: z.record(z.string(), z.unknown()) });

/** Replies whose refusal must still write (a revoked family) are ok values. */
const refreshResult = z.discriminatedUnion("status", [
  z.object({ status: z.literal("rotated"), player: playerSummary, sessionId: z.string() }),
  z.object({ status: z.literal("reused") }),
]);

export const playerProtocol = {
  // auth
  register: {
    body: z.object({
      username: usernameSchema,
      passwordHash: passwordHashSchema,
      nickname: nicknameSchema,
      phone: phoneSchema,
      bank: bankSchema,
      code: signupCodeSchema.optional(),
    }),
    reply: playerSummary,
  },
  /** the stored hash of `username`, null when no player has it (the caller verifies against a decoy then) */
  loginChallenge: { body: z.object({ username: usernameSchema }), reply: z.object({ playerId: z.string(), passwordHash: z.string(), passwordVersion: z.number() }).nullable() },
  /** a login whose password checked out against `passwordVersion`: the session opens unless the player is suspended */
  loginResult: {
    body: z.object({ playerId: playerIdSchema, passwordVersion: z.number().int(), session: newSession }),
    reply: z.object({ player: playerSummary, sessionId: z.string() }),
  },
  refresh: { body: z.object({ playerId: playerIdSchema, tokenHash: tokenHashSchema, next: newTokens }), reply: refreshResult },
  logout: { body: accessRef, reply: z.object({ loggedOut: z.boolean() }) },
  sessionCheck: { body: accessRef, reply: z.object({ sessionId: z.string() }) },
  credentials: { body: playerRef, reply: z.object({ username: z.string(), passwordHash: z.string(), passwordVersion: z.number() }) },
  changePassword: {
    body: z.object({ playerId: playerIdSchema, passwordVersion: z.number().int(), passwordHash: passwordHashSchema, keepJti: jtiSchema.optional() }),
    reply: z.object({ passwordVersion: z.number() }),
  },
  // staff actions on a player
  suspend: { body: z.object({ playerId: playerIdSchema, reason: reasonSchema, by: actingStaff }), reply: profileView },
  reinstate: { body: z.object({ playerId: playerIdSchema, by: actingStaff }), reply: profileView },
  resetPassword: { body: z.object({ playerId: playerIdSchema, passwordHash: passwordHashSchema, by: actingStaff }), reply: z.object({ passwordVersion: z.number() }) },
  listPlayers: {
    body: pageQuerySchema.extend({ status: playerStatus.optional(), search: searchSchema.optional() }),
    reply: pageOf(profileView),
  },
  // profile
  profile: { body: playerRef, reply: profileView },
  updateProfile: { body: z.object({ playerId: playerIdSchema, nickname: nicknameSchema.optional(), phone: phoneSchema.optional() }), reply: profileView },
  changeBank: { body: z.object({ playerId: playerIdSchema, passwordVersion: z.number().int(), bank: bankSchema }), reply: profileView },
  // messages and inquiries
  sendMessage: { body: z.object({ playerId: playerIdSchema.nullable(), title: titleSchema, body: textBodySchema, by: actingStaff }), reply: z.object({ messageId: z.number() }) },
  listMessages: {
    body: pageQuerySchema.extend({ playerId: playerIdSchema }),
    reply: pageOf(messageView).extend({ total: z.number().int().describe("messages in the inbox"), unread: z.number().int().describe("of them not read yet") }),
  },
  getMessage: { body: z.object({ playerId: playerIdSchema, messageId: recordIdSchema }), reply: messageView },
  readMessage: { body: z.object({ playerId: playerIdSchema, messageId: recordIdSchema }), reply: messageView },
  unreadCounts: { body: playerRef, reply: z.object({ messages: z.number(), openInquiries: z.number() }) },
  createInquiry: { body: z.object({ playerId: playerIdSchema, title: titleSchema, body: textBodySchema }), reply: inquiryView },
  listInquiries: {
    body: pageQuerySchema.extend({ playerId: playerIdSchema.optional(), status: inquiryStatus.optional() }),
    reply: pageOf(inquiryView),
  },
  getInquiry: { body: z.object({ playerId: playerIdSchema.optional(), inquiryId: recordIdSchema }), reply: inquiryView },
  replyInquiry: { body: z.object({ inquiryId: recordIdSchema, body: textBodySchema, by: actingStaff }), reply: inquiryView },
  // public content
  listContent: { body: pageQuerySchema.extend({ kind: contentKind, includeHidden: z.boolean().default(false) }), reply: pageOf(contentView) },
  putContent: { body: contentInput.extend({ id: recordIdSchema.optional(), by: actingStaff }), reply: contentView },
  deleteContent: { body: z.object({ id: recordIdSchema, kind: contentKind.optional(), by: actingStaff }), reply: z.object({ deleted: z.boolean() }) },
  siteSettings: { body: z.object({}), reply: settingsReply },
  putSiteSettings: { body: z.object({ settings: settingsSchema, by: actingStaff }), reply: settingsReply },
} satisfies Protocol;

export type PlayerProtocol = typeof playerProtocol;
export type PlayerMessageType = keyof PlayerProtocol;

/**
 * Reads that change nothing: answered outside the journal (no idempotency needed, and
 * journaling every inbox view or credential lookup would bloat the shard and keep copies
 * of password hashes after they change).
 */
export const PLAYER_QUERIES: ReadonlySet<string> = new Set<PlayerMessageType>([
  "loginChallenge",
  "sessionCheck",
  "credentials",
  "listPlayers",
  "profile",
  "listMessages",
  "getMessage",
  "unreadCounts",
  "listInquiries",
  "getInquiry",
  "listContent",
  "siteSettings",
]);

/** What a handler of `type` receives: the body after its schema parsed it. */
export type PlayerBody<K extends PlayerMessageType> = z.output<PlayerProtocol[K]["body"]>;
