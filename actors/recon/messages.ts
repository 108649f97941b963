import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { bigintCursorSchema, externalIdSchema, freeText, pageLimitSchema, pageOf } from "../runtime/fields.ts";

/** The `recon@brand` protocol: for each command and query its body and its reply. */

export const SOURCE_KINDS = ["pushbullet", "telegram", "webhook"] as const;
export const MESSAGE_STATES = ["matched", "review", "ignored", "duplicate", "dismissed"] as const;
export const NOTICE_KINDS = ["deposit", "withdrawal", "other", "unparsed"] as const;

export const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a source id is a lowercase slug");
export const messageIdSchema = z.string().uuid("a message id is a UUID");
/** a sealed secret as SecretBox writes it; never the secret itself */
const sealedSecret = z.string().regex(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,2000}$/, "a sealed secret");
/** a bank's text: several lines, bounded; a NUL or other control character is no bank's */
const noticeText = freeText(2000, { multiline: true });
/** Telegram chat ids (negative for groups and channels), Pushbullet device idens, bank sender numbers */
const allowListEntry = z.string().regex(/^-?[A-Za-z0-9_.:+-]{1,64}$/, "an id, a device iden or a phone number");

/**
 * How a sender is compared: a phone number by its digits (`1588-2100` is `15882100`), any other
 * name (an app's package, a short code with letters) as written, case aside. Two entries with
 * one key are one entry.
 */
export function senderKey(sender: string): string {
  return /^\+?[0-9][0-9 .+-]*$/.test(sender) ? sender.replace(/[^0-9]/g, "") : sender.toLowerCase();
}

/** An allow-list: each entry once (by `key`), at most 50. */
const allowList = (key: (v: string) => string = (v) => v) =>
  z
    .array(allowListEntry)
    .max(50)
    .default([])
    .refine((list) => new Set(list.map(key)).size === list.length, "each entry once (the same phone number written two ways is one entry)");
const httpUrl = z.url({ protocol: /^https?$/ }).max(300);

export const sourceSettingsSchema = z
  .object({
    /** Telegram: the chats whose posts are bank notices (none: every chat the bot sees, whose sender lines vouch for nothing) */
    chatIds: allowList(),
    /** Pushbullet: the phones whose SMS are mirrored (none: every device of the account) */
    deviceIdens: allowList(),
    /**
     * The bank's senders: phone numbers, or an app's package for a mirrored app notification.
     * Only a deposit notice from one of them is matched automatically; any other (none listed,
     * an unknown or unlisted sender) waits in review for staff.
     */
    senders: allowList(senderKey),
    /** the upstream's base URLs; the public services by default */
    apiUrl: httpUrl.optional(),
    streamUrl: z
      .url({ protocol: /^wss?$/ })
      .max(300)
      .optional(),
    /**
     * Telegram: `polling` (recon asks `getUpdates` with the bot token) or `webhook` (Telegram
     * posts each update to recon with a secret token recon made; staff register it with
     * `setWebhook`). Set when the source is made.
     */
    mode: z.enum(["polling", "webhook"]).default("polling"),
  })
  .strict();
export type SourceSettings = z.infer<typeof sourceSettingsSchema>;

/** A source's stored settings, read with today's defaults; entries stored twice before lists were checked are read once. */
export function storedSettings(text: string): SourceSettings {
  const json = JSON.parse(text) as Record<string, unknown>;
  for (const [field, key] of [
    ["chatIds", (v: string) => v],
    ["deviceIdens", (v: string) => v],
    ["senders", senderKey],
  ] as const) {
    const list = json[field];
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    json[field] = list.filter((v) => typeof v !== "string" || (!seen.has(key(v)) && seen.add(key(v))));
  }
  return sourceSettingsSchema.parse(json);
}

export const sourceView = z.object({
  id: z.string(),
  kind: z.enum(SOURCE_KINDS),
  label: z.string(),
  status: z.enum(["active", "paused"]),
  settings: sourceSettingsSchema,
  secretVersion: z.number().int(),
  loop: z.object({
    connected: z.boolean(),
    down: z.boolean(),
    failures: z.number().int(),
    lastMessageAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SourceView = z.infer<typeof sourceView>;

const amountText = z.string().describe("minor units");
const candidateView = z.object({
  requestId: z.string(),
  player: z.string(),
  amount: amountText,
  depositor: z.string().nullable(),
  requestedAt: z.string(),
  nameRelation: z.enum(["same", "masked", "truncated", "alias", "different"]),
});
export const messageView = z.object({
  id: z.string(),
  cursor: z.string(),
  sourceId: z.string(),
  externalId: z.string(),
  text: z.string(),
  sender: z.string().nullable(),
  receivedAt: z.string(),
  state: z.enum(MESSAGE_STATES),
  duplicateOf: z.string().nullable(),
  note: z.string().nullable(),
  parsed: z.object({
    kind: z.enum(NOTICE_KINDS),
    bank: z.string().nullable(),
    amount: amountText.nullable(),
    depositor: z.string().nullable(),
    bankTime: z.string().nullable(),
    bankAt: z.string(),
    balance: amountText.nullable(),
    balanceGap: z.boolean(),
  }),
  match: z
    .object({
      requestId: z.string(),
      player: z.string(),
      how: z.enum(["auto", "manual"]),
      state: z.enum(["approving", "approved", "refused"]),
      matchedBy: z.string(),
      matchedAt: z.string(),
      refusal: z.string().nullable(),
    })
    .nullable(),
  /** for a notice under review: pending requests of the same amount in the window, best first */
  candidates: z.array(candidateView).optional(),
});
export type MessageView = z.infer<typeof messageView>;

const intakeItem = z.object({
  /** the source's own id of the message (update id, push iden, forwarder's id) */
  externalId: externalIdSchema,
  text: noticeText,
  sender: freeText(100).nullable().default(null),
  /** when the upstream received it, UTC ms */
  receivedAt: z.number().int().min(0).max(8_640_000_000_000_000),
});
export type IntakeItem = z.infer<typeof intakeItem>;

const page = { cursor: bigintCursorSchema.optional(), limit: pageLimitSchema };
const by = actingStaffSchema;
const reason = freeText(500, { multiline: true });

export const reconProtocol = {
  /** a loop's or a webhook's messages; `cursor` is where the loop resumes, stored with them */
  ingest: {
    body: z.object({ sourceId: sourceIdSchema, items: z.array(intakeItem).max(100), cursor: z.string().max(100).optional() }),
    reply: z.object({ stored: z.array(z.object({ externalId: z.string(), messageId: z.string(), state: z.enum(MESSAGE_STATES), replayed: z.boolean() })) }),
  },
  loopStatus: {
    body: z.object({ sourceId: sourceIdSchema, connected: z.boolean(), error: freeText(500).nullable().default(null), at: z.number().int().min(0) }),
    reply: z.object({ down: z.boolean() }),
  },
  createSource: {
    body: z.object({ sourceId: sourceIdSchema, kind: z.enum(SOURCE_KINDS), label: freeText(100), secret: sealedSecret, settings: sourceSettingsSchema, by }),
    reply: sourceView,
  },
  updateSource: {
    body: z.object({ sourceId: sourceIdSchema, label: freeText(100).optional(), status: z.enum(["active", "paused"]).optional(), settings: sourceSettingsSchema.optional(), by }),
    reply: sourceView,
  },
  rotateSecret: { body: z.object({ sourceId: sourceIdSchema, secret: sealedSecret, by }), reply: sourceView },
  matchManually: {
    body: z.object({ messageId: messageIdSchema, requestId: externalIdSchema, rememberAlias: z.boolean().default(false), by }),
    reply: messageView,
  },
  unmatch: { body: z.object({ messageId: messageIdSchema, reason, by }), reply: messageView },
  dismiss: { body: z.object({ messageId: messageIdSchema, reason, by }), reply: messageView },
  /** the approval service's word that the wallet refused a match's approval */
  approvalRefused: {
    body: z.object({ messageId: messageIdSchema, requestId: externalIdSchema, code: z.string().max(100), message: z.string().max(500) }),
    reply: z.object({ state: z.enum(MESSAGE_STATES) }),
  },
  // queries
  sources: { body: z.object({}), reply: z.object({ items: z.array(sourceView) }) },
  /** for the intake loops on the hosting node: active sources with their sealed secret and resume point */
  intakeSources: {
    body: z.object({}),
    reply: z.object({
      items: z.array(
        z.object({ id: z.string(), kind: z.enum(SOURCE_KINDS), secret: z.string(), secretVersion: z.number(), settings: sourceSettingsSchema, cursor: z.string().nullable() }),
      ),
    }),
  },
  /** a pushed source's sealed secret, state and settings, to check a call at the edge */
  webhookSource: {
    body: z.object({ sourceId: sourceIdSchema }),
    reply: z.object({ id: z.string(), kind: z.enum(SOURCE_KINDS), status: z.enum(["active", "paused"]), secret: z.string(), settings: sourceSettingsSchema }),
  },
  messages: {
    body: z.object({ ...page, state: z.enum(MESSAGE_STATES).optional(), kind: z.enum(NOTICE_KINDS).optional(), sourceId: sourceIdSchema.optional() }),
    reply: pageOf(messageView),
  },
  message: { body: z.object({ messageId: messageIdSchema }), reply: messageView },
  reviewQueue: { body: z.object(page), reply: pageOf(messageView) },
} satisfies Protocol;

export type ReconProtocol = typeof reconProtocol;
export type ReconMessageType = keyof ReconProtocol;
export type Body<K extends ReconMessageType> = z.infer<ReconProtocol[K]["body"]>;

export const RECON_QUERIES: ReadonlySet<string> = new Set(["sources", "intakeSources", "webhookSource", "messages", "message", "reviewQueue"]);

/** The wallet's events recon keeps its projection of pending deposits from. */
export const walletDepositEvent = z.object({
  requestId: z.string().min(1).max(200),
  player: z.string().min(1).max(200).nullable().optional(),
  amount: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  depositorName: z.string().max(200).optional(),
  source: z.string().optional(),
  /** when the wallet recorded it, UTC ms */
  at: z.number().int().min(0).optional(),
});
