import { timingSafeEqual } from "node:crypto";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { chatSender, sourceIdSchema } from "../../actors/recon/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { exceedsJsonDepth, externalIdSchema, freeText } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, type EdgeEnv, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

const params = z.object({ brand: brandIdSchema, sourceId: sourceIdSchema });
const signatureHeader = z.object({ "x-recon-signature": z.string().describe("lowercase hex HMAC-SHA256 of the raw body with the source's webhook secret") });
const notice = z.object({
  /** the forwarder's own id of the message: a retry with the same id is stored once */
  id: externalIdSchema,
  text: freeText(2000, { multiline: true }),
  sender: freeText(100).nullable().default(null),
  /** when the phone received it, UTC ms; now when absent */
  receivedAt: z.number().int().min(0).max(8_640_000_000_000_000).optional(),
});
const stored = z.object({ messageId: z.string(), state: z.string(), replayed: z.boolean() });
const secretTokenHeader = z.object({ "x-telegram-bot-api-secret-token": z.string().describe("the secret token recon made for the source, given to setWebhook") });
const telegramMessage = z.object({
  message_id: z.number().int().min(0),
  date: z.number().int().min(0),
  text: z.string().optional(),
  caption: z.string().optional(),
  chat: z.object({ id: z.union([z.number().int(), z.string().max(64)]) }),
});
/** the part of Telegram's `Update` recon reads; other update kinds are answered and dropped */
const telegramUpdate = z.object({ update_id: z.number().int().min(0), message: telegramMessage.optional(), channel_post: telegramMessage.optional() });
const telegramAnswer = z.object({ ok: z.literal(true), messageId: z.string().nullable(), state: z.string().nullable() });
const encoder = new TextEncoder();
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

/**
 * What is pushed to recon, on the callback edge (the edge for machines outside that prove
 * what they send, as game providers do): `POST /recon/webhook/:brand/:sourceId`, one notice
 * from an SMS-forwarding app signed with the secret recon made for the source; and
 * `POST /recon/telegram/:brand/:sourceId`, Telegram's updates for a bot in webhook mode, with
 * the secret token recon made. A wrong or missing proof is 401 and stores nothing; a paused
 * source is 409 (the sender retries later).
 */
export function reconWebhookRoutes(ctx: EdgeContext) {
  /** the pushed source a call names, with its secret opened; anything else refuses as the route says */
  const pushedSource = async (brand: string, sourceId: string, kind: "webhook" | "telegram") => {
    if (!ctx.brands.get(brand)) throw new PlatformError("brand_not_found", `no brand ${brand}`);
    const source = valueOf(await ctx.clients.recon(brand).webhookSource({ sourceId }));
    const pushed = source.kind === kind && (kind === "webhook" || source.settings.mode === "webhook");
    return { source, secret: pushed ? await ctx.recon.open(source.secret, brand, sourceId) : undefined };
  };
  const ingest = async (brand: string, sourceId: string, externalId: string, item: { text: string; sender: string | null; receivedAt: number }) => {
    // the caller's id names the message, so its retry is applied once (hashed: ids are long)
    const messageId = `pushed:${new Bun.CryptoHasher("sha256").update(`${sourceId}\n${externalId}`).digest("hex")}`;
    return valueOf(await ctx.clients.recon(brand).ingest({ sourceId, items: [{ externalId, ...item }] }, { id: messageId })).stored[0]!;
  };

  return new Hono<EdgeEnv>()
    .post(
      "/recon/webhook/:brand/:sourceId",
      describe({
        summary: "A forwarded bank notice for recon, signed with the source's webhook secret",
        tags: ["recon"],
        headers: signatureHeader,
        body: { mediaType: "application/json", description: "the raw JSON body the signature covers", schema: notice },
        responses: { 200: stored },
        errors: ["validation_failed", "unauthorized", "brand_not_found", "recon_source_not_found", "recon_source_paused", "unavailable"],
      }),
      validated(params, "param"),
      async (c) => {
        const { brand, sourceId } = c.req.valid("param");
        const raw = new Uint8Array(await c.req.arrayBuffer());
        const { secret } = await pushedSource(brand, sourceId, "webhook");
        if (secret === undefined || !(await signed(secret, c.req.header("x-recon-signature"), raw))) {
          throw new PlatformError("unauthorized", "X-Recon-Signature is missing or is not this source's signature of the body");
        }
        const { id, text, sender, receivedAt } = parsed(notice, raw);
        const { messageId, state, replayed } = await ingest(brand, sourceId, id, { text, sender, receivedAt: receivedAt ?? Date.now() });
        return c.json({ messageId, state, replayed });
      },
    )
    .post(
      "/recon/telegram/:brand/:sourceId",
      describe({
        summary: "A Telegram update pushed to a bot in webhook mode (setWebhook with the source's secret token)",
        description: "Telegram retries any answer but 2xx. Updates without text, and posts from chats the source does not accept, are answered and dropped.",
        tags: ["recon"],
        headers: secretTokenHeader,
        body: { mediaType: "application/json", description: "a Telegram Update", schema: telegramUpdate },
        responses: { 200: telegramAnswer },
        errors: ["validation_failed", "unauthorized", "brand_not_found", "recon_source_not_found", "recon_source_paused", "unavailable"],
      }),
      validated(params, "param"),
      async (c) => {
        const { brand, sourceId } = c.req.valid("param");
        const raw = new Uint8Array(await c.req.arrayBuffer());
        const { source, secret } = await pushedSource(brand, sourceId, "telegram");
        if (secret === undefined || !sameSecret(secret, c.req.header("x-telegram-bot-api-secret-token"))) {
          throw new PlatformError("unauthorized", "X-Telegram-Bot-Api-Secret-Token is missing or is not this source's");
        }
        const update = parsed(telegramUpdate, raw);
        const message = update.message ?? update.channel_post;
        const text = message?.text ?? message?.caption;
        const chats = source.settings.chatIds;
        if (!message || !text || (chats.length > 0 && !chats.includes(String(message.chat.id)))) return dropped(c);
        const sender = chatSender(text, chats);
        const { messageId, state } = await ingest(brand, sourceId, `${message.chat.id}:${message.message_id}`, { text, sender, receivedAt: message.date * 1000 });
        return c.json({ ok: true as const, messageId, state });
      },
    );
}

function dropped(c: Context) {
  return c.json({ ok: true as const, messageId: null, state: null });
}

/** Equal secrets, compared in constant time. */
function sameSecret(secret: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = encoder.encode(secret);
  const b = encoder.encode(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function signed(secret: string, signature: string | undefined, body: Uint8Array): Promise<boolean> {
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), HMAC, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, Uint8Array.fromHex(signature) as BufferSource, body as BufferSource);
}

/** The body as `schema` reads it: UTF-8 JSON within the depth bound, or 400 naming the field. */
function parsed<T extends z.ZodType>(schema: T, raw: Uint8Array): z.infer<T> {
  let json: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    if (exceedsJsonDepth(text)) throw new Error("too deep");
    json = JSON.parse(text);
  } catch {
    throw new PlatformError("validation_failed", "the body is not UTF-8 JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new PlatformError("validation_failed", result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return result.data;
}
