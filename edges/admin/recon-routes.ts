import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { messageIdSchema, newWebhookSecret, reconProtocol as p, SOURCE_KINDS, sourceIdSchema, sourceSettingsSchema, sourceView } from "../../actors/recon/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { externalIdSchema, freeText, pageQuerySchema } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const messageParam = brandParam.extend({ messageId: messageIdSchema });
const sourceParam = brandParam.extend({ sourceId: sourceIdSchema });
const messagesQuery = pageQuerySchema.extend({ state: p.messages.body.shape.state, kind: p.messages.body.shape.kind, sourceId: sourceIdSchema.optional() });
const matchBody = z.object({ requestId: externalIdSchema, rememberAlias: z.boolean().default(false) });
const reasonBody = z.object({ reason: freeText(500, { multiline: true }) });
/** a Pushbullet access token or a Telegram bot token as the upstream issued it */
const upstreamToken = z.string().regex(/^[A-Za-z0-9:._-]{16,200}$/, "a token as Pushbullet or Telegram issued it");
const sourceBody = z.object({
  kind: z.enum(SOURCE_KINDS),
  label: freeText(100),
  settings: sourceSettingsSchema.default(sourceSettingsSchema.parse({})),
  token: upstreamToken.optional(),
});
const sourcePatch = z.object({ label: freeText(100).optional(), status: z.enum(["active", "paused"]).optional(), settings: sourceSettingsSchema.optional() });
const rotateBody = z.object({ token: upstreamToken.optional() });
/** a webhook source's secret, shown in this reply and never again */
const withSecret = sourceView.extend({ webhookSecret: z.string().nullable() });

const STAFF_ERRORS = [
  "unauthorized",
  "invalid_token",
  "token_expired",
  "password_change_required",
  "forbidden",
  "validation_failed",
  "brand_not_found",
  "brand_disabled",
  "brand_mismatch",
] as const;
const describeRecon = describeWith({ tags: ["recon"], errors: STAFF_ERRORS });

/**
 * `/api/v1/brands/:brand/recon/*`: bank notices with their parse and match, the review queue,
 * manual match, unmatch and dismiss (finance), and the brand's intake sources with their loops'
 * health (admins). Every change is audited by `recon@brand` in its commit. Secrets go in
 * (sealed here with the node's recon key) and never come out, except a webhook secret recon
 * makes, shown once in the reply that made it.
 */
export function reconRoutes(ctx: EdgeContext) {
  const recon = (c: SignedInAtBrand) => ctx.clients.recon(c.var.brand.id);

  /** the secret a source uses: the upstream's token for a loop, or a secret recon makes for what is pushed to it */
  const secretFor = (kind: (typeof SOURCE_KINDS)[number], mode: "polling" | "webhook", token: string | undefined) => {
    if (kind === "webhook" || mode === "webhook") return { plain: newWebhookSecret(), shown: true };
    if (token === undefined) throw new PlatformError("validation_failed", `token: a ${kind} source needs the token ${kind === "telegram" ? "BotFather" : "Pushbullet"} issued`);
    return { plain: token, shown: false };
  };

  /** a source's URLs name only hosts its token may go to (the public services, or what the operator allowed) */
  const allowedUpstreams = (kind: (typeof SOURCE_KINDS)[number], settings: { apiUrl?: string; streamUrl?: string }) => {
    const refused = ctx.recon.upstreamRefusal(kind, settings);
    if (refused) throw new PlatformError("validation_failed", refused);
  };

  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/recon/messages",
      describeRecon({ summary: "Bank notices, newest first, with their parse and match", responses: { 200: p.messages.reply } }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      validated(messagesQuery, "query"),
      async (c) => c.json(valueOf(await recon(c).messages(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/recon/messages/:messageId",
      describeRecon({ summary: "One notice, with its candidates while under review", responses: { 200: p.message.reply }, errors: ["recon_message_not_found"] }),
      staffGuard(ctx, "read", "brand"),
      validated(messageParam, "param"),
      async (c) => c.json(valueOf(await recon(c).message({ messageId: c.req.valid("param").messageId }))),
    )
    .get(
      "/brands/:brand/recon/review",
      describeRecon({
        summary: "The review queue: deposits no request matched alone and unreadable notices, oldest first, with candidates",
        responses: { 200: p.reviewQueue.reply },
      }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await recon(c).reviewQueue(c.req.valid("query")))),
    )
    .post(
      "/brands/:brand/recon/messages/:messageId/match",
      describeRecon({
        summary: "Match a notice under review to a pending deposit request; the wallet approves it",
        responses: { 200: p.matchManually.reply },
        errors: ["recon_message_not_found", "recon_request_not_pending", "recon_amount_mismatch", "invalid_state"],
      }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(messageParam, "param"),
      validated(matchBody, "json"),
      async (c) => c.json(valueOf(await recon(c).matchManually({ messageId: c.req.valid("param").messageId, ...c.req.valid("json"), by: actingAs(c.var.staff) }))),
    )
    .post(
      "/brands/:brand/recon/messages/:messageId/unmatch",
      describeRecon({
        summary: "Undo a match the wallet did not approve (an approved deposit is corrected with an adjustment)",
        responses: { 200: p.unmatch.reply },
        errors: ["recon_message_not_found", "invalid_state"],
      }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(messageParam, "param"),
      validated(reasonBody, "json"),
      async (c) => c.json(valueOf(await recon(c).unmatch({ messageId: c.req.valid("param").messageId, reason: c.req.valid("json").reason, by: actingAs(c.var.staff) }))),
    )
    .post(
      "/brands/:brand/recon/messages/:messageId/dismiss",
      describeRecon({
        summary: "Take a notice that is no player's deposit out of the review queue",
        responses: { 200: p.dismiss.reply },
        errors: ["recon_message_not_found", "invalid_state"],
      }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(messageParam, "param"),
      validated(reasonBody, "json"),
      async (c) => c.json(valueOf(await recon(c).dismiss({ messageId: c.req.valid("param").messageId, reason: c.req.valid("json").reason, by: actingAs(c.var.staff) }))),
    )
    .get(
      "/brands/:brand/recon/sources",
      describeRecon({ summary: "Intake sources with their loops' health (connected, last message, last error); never a secret", responses: { 200: p.sources.reply } }),
      staffGuard(ctx, "read", "brand"),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await recon(c).sources({}))),
    )
    .post(
      "/brands/:brand/recon/sources",
      describeRecon({
        summary: "Add an intake source: a Pushbullet account, a Telegram bot (polled, or pushing to its webhook), or a signed webhook",
        description: "A secret recon makes (a webhook's, a Telegram webhook's secret token) is in this reply only.",
        responses: { 201: withSecret },
        errors: ["conflict"],
      }),
      staffGuard(ctx, "brands.write", "brand"),
      validated(brandParam, "param"),
      validated(sourceBody, "json"),
      async (c) => {
        const { kind, label, settings, token } = c.req.valid("json");
        allowedUpstreams(kind, settings);
        const sourceId = `${kind}-${crypto.randomUUID().slice(0, 8)}`;
        const { plain, shown } = secretFor(kind, settings.mode, token);
        const secret = await ctx.recon.seal(plain, c.var.brand.id, sourceId);
        const made = valueOf(await recon(c).createSource({ sourceId, kind, label, secret, settings, by: actingAs(c.var.staff) }));
        return c.json({ ...made, webhookSecret: shown ? plain : null }, 201);
      },
    )
    .patch(
      "/brands/:brand/recon/sources/:sourceId",
      describeRecon({
        summary: "Rename, pause or resume a source, or change what it accepts (its loop restarts)",
        responses: { 200: p.updateSource.reply },
        errors: ["recon_source_not_found", "invalid_state"],
      }),
      staffGuard(ctx, "brands.write", "brand"),
      validated(sourceParam, "param"),
      validated(sourcePatch, "json"),
      async (c) => {
        const { sourceId } = c.req.valid("param");
        const patch = c.req.valid("json");
        if (patch.settings) {
          const current = valueOf(await recon(c).sources({})).items.find((s) => s.id === sourceId);
          if (!current) throw new PlatformError("recon_source_not_found", `no recon source ${sourceId}`);
          allowedUpstreams(current.kind, patch.settings);
        }
        return c.json(valueOf(await recon(c).updateSource({ sourceId, ...patch, by: actingAs(c.var.staff) })));
      },
    )
    .post(
      "/brands/:brand/recon/sources/:sourceId/rotate-secret",
      describeRecon({
        summary: "Replace a source's secret: a new upstream token, or a new webhook secret shown in this reply only",
        responses: { 200: withSecret },
        errors: ["recon_source_not_found"],
      }),
      staffGuard(ctx, "brands.write", "brand"),
      validated(sourceParam, "param"),
      validated(rotateBody, "json"),
      async (c) => {
        const { sourceId } = c.req.valid("param");
        const current = valueOf(await recon(c).sources({})).items.find((s) => s.id === sourceId);
        if (!current) throw new PlatformError("recon_source_not_found", `no recon source ${sourceId}`);
        const { plain, shown } = secretFor(current.kind, current.settings.mode, c.req.valid("json").token);
        const secret = await ctx.recon.seal(plain, c.var.brand.id, sourceId);
        const rotated = valueOf(await recon(c).rotateSecret({ sourceId, secret, by: actingAs(c.var.staff) }));
        return c.json({ ...rotated, webhookSecret: shown ? plain : null });
      },
    );
}
