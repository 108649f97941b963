import { Hono } from "hono";
import { z } from "zod";
import { type GameEdgeView, providerCodeSchema } from "../../actors/game/index.ts";
import { can, type StaffPrincipal } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, validated } from "../shared/index.ts";
import { answerCallback, type ProviderOperation, parseCallbackBody, providerOperation } from "./callback-pipeline.ts";
import { callbackRefusal, renderJson } from "./dialects/index.ts";
import { actingFor, assertScope, requireStaff, type StaffEnv } from "./integration-access.ts";

const MAX_REPLAY_BYTES = 64 * 1024;
const encoder = new TextEncoder();

const replayBody = z
  .object({
    provider: providerCodeSchema,
    /** the dialect's operation, e.g. `transaction/bet` or `play` */
    operation: z
      .string()
      .max(100)
      .regex(/^[a-z]+(\/[a-z]+)*$/, "an operation path like transaction/bet"),
    /** the callback body as JSON, or `raw` exactly as a provider sent it */
    body: z.record(z.string(), z.unknown()).optional(),
    raw: z.string().max(MAX_REPLAY_BYTES).optional(),
    /** send a wrong signature, to certify the refusal */
    badSignature: z.boolean().default(false),
  })
  .refine((b) => (b.body === undefined) !== (b.raw === undefined), "give either body or raw");

const replayReply = z.object({
  request: z.object({ path: z.string(), body: z.string().describe("exactly the bytes signed and sent (UTF-8)") }),
  response: z.object({ status: z.number().int(), body: z.union([z.record(z.string(), z.unknown()), callbackRefusal]), ms: z.number() }),
});

/**
 * `POST /integration/replay`: a callback signed with the provider's current secret and run
 * through this node's own callback pipeline, exactly as the provider's call would be (minus
 * the IP allow-list: no provider address takes part); answers what was sent and what the
 * provider would have got. Never a network call, so no request header can send it elsewhere,
 * and never the signature, so nothing it answers is usable outside the replay. Staff with
 * `games.write`, and `finance.write` for an operation that moves money (every one but a
 * balance read): the wallet audits what the replay moves as `wallet.callback_replay`, by the
 * member, in the commit that moves it. A member scoped to some brands replays only a body
 * whose operation's fields parse and whose genuine player token names one of their brands.
 */
export function replayRoutes(ctx: EdgeContext) {
  const game = ctx.game;
  const log = ctx.log.child({ edge: "callback", tool: "replay" });
  return new Hono<StaffEnv>().post(
    "/integration/replay",
    describe({
      summary: "Replay a provider callback through this node's callback pipeline",
      tags: ["integration"],
      responses: { 200: replayReply },
      errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "validation_failed", "bad_request", "not_found"],
    }),
    requireStaff(ctx, "games.write"),
    validated(replayBody, "json"),
    async (c) => {
      await game.whenReady();
      const input = c.req.valid("json");
      const target = providerOperation(game, input.provider, input.operation);
      if (!target.operation.readOnly && !can(c.var.staff.role, "finance.write")) {
        throw new PlatformError("forbidden", `role ${c.var.staff.role} lacks finance.write: replaying ${input.operation} moves money`);
      }
      const text = input.raw ?? JSON.stringify(input.body);
      const raw = encoder.encode(text);
      if (raw.byteLength > MAX_REPLAY_BYTES) throw new PlatformError("validation_failed", `body: at most ${MAX_REPLAY_BYTES} bytes`);
      await assertReplayScope(game, c.var.staff, target, raw);
      const signature = input.badSignature ? "0".repeat(64) : await game.registry.signAsProvider(target.provider.code, raw);
      const started = performance.now();
      const reply = await answerCallback(ctx, target, raw, signature, log, c.var.requestId, actingFor(c));
      return c.json({
        request: { path: `/callbacks/${target.provider.code}/${target.path}`, body: text },
        response: { status: reply.http, body: JSON.parse(renderJson(reply.body)) as Record<string, unknown>, ms: Math.round((performance.now() - started) * 10) / 10 },
      });
    },
  );
}

/**
 * A brand-scoped member replays only what provably belongs to their brands: the body read
 * exactly as the callback will read it, its player token genuine and naming a brand in scope.
 * When the brand cannot be told (the body does not parse, the token is missing or forged),
 * the replay is refused.
 */
async function assertReplayScope(game: GameEdgeView, staff: StaffPrincipal, target: ProviderOperation, raw: Uint8Array): Promise<void> {
  if (staff.brands === null) return;
  const parsed = parseCallbackBody(raw, target.operation.schema);
  const token = "value" in parsed ? (parsed.value as { token?: unknown }).token : undefined;
  const check = typeof token === "string" ? await game.tokens.check(token) : undefined;
  if (!check?.genuine)
    throw new PlatformError("forbidden", "cannot tell which brand this callback is for: a brand-scoped member replays only a valid body with a genuine player token");
  assertScope(staff, check.claims.brand);
}
