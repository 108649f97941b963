import { Hono } from "hono";
import { z } from "zod";
import { sourceIdSchema } from "../../actors/recon/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { exceedsJsonDepth, externalIdSchema, freeText } from "../../actors/runtime/fields.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, validated, type EdgeEnv } from "../shared/index.ts";
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
const encoder = new TextEncoder();
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

/**
 * `POST /recon/webhook/:brand/:sourceId` on the callback edge, the edge for machines outside
 * that sign what they send (as game providers do): an SMS-forwarding app posts one notice,
 * signed with the secret recon made for the source. A wrong or missing signature is 401 and
 * stores nothing; a paused source is 409 (the forwarder retries later).
 */
export function reconWebhookRoutes(ctx: EdgeContext) {
  return new Hono<EdgeEnv>().post(
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
      if (!ctx.brands.get(brand)) throw new PlatformError("brand_not_found", `no brand ${brand}`);
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const source = valueOf(await ctx.clients.recon(brand).webhookSource({ sourceId }));
      const secret = source.kind === "webhook" ? await ctx.recon.open(source.secret, brand, sourceId) : undefined;
      if (secret === undefined || !(await signed(secret, c.req.header("x-recon-signature"), raw))) {
        throw new PlatformError("unauthorized", "X-Recon-Signature is missing or is not this source's signature of the body");
      }
      const body = notice.safeParse(parseJson(raw));
      if (!body.success) throw new PlatformError("validation_failed", body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      const { id, text, sender, receivedAt } = body.data;
      const item = { externalId: id, text, sender, receivedAt: receivedAt ?? Date.now() };
      // the forwarder's id names the message, so its retry is applied once (hashed: ids are long)
      const messageId = `webhook:${new Bun.CryptoHasher("sha256").update(`${sourceId}\n${id}`).digest("hex")}`;
      const reply = valueOf(await ctx.clients.recon(brand).ingest({ sourceId, items: [item] }, { id: messageId }));
      const { messageId: stored, state, replayed } = reply.stored[0]!;
      return c.json({ messageId: stored, state, replayed });
    },
  );
}

async function signed(secret: string, signature: string | undefined, body: Uint8Array): Promise<boolean> {
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), HMAC, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, Uint8Array.fromHex(signature) as BufferSource, body as BufferSource);
}

function parseJson(raw: Uint8Array): unknown {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    if (exceedsJsonDepth(text)) throw new Error("too deep");
    return JSON.parse(text);
  } catch {
    throw new PlatformError("validation_failed", "the body is not UTF-8 JSON");
  }
}
