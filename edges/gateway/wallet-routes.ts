import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f } from "../../actors/player/index.ts";
import { moneyInput, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { idempotencyKeyHeader, idempotentId } from "../shared/idempotency-key.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type PlayerEnv, requirePlayer, valueOf } from "./player-access.ts";

/**
 * `/api/v1/wallet/*`: the player's money, all of it through `wallet@brand` (the one money
 * writer). Amounts are integer minor units, as JSON numbers or digit strings.
 */

const depositBody = z.object({ amount: moneyInput(), depositorName: f.bankSchema.shape.holder });
const withdrawalBody = z.object({ amount: moneyInput() });
const statementQuery = pageQuerySchema.extend({
  account: z.enum(["cash", "bonus", "locked"]).default("cash"),
  /** page numbers for older clients; walks the cursors, so kept short */
  page: z.coerce.number().int().min(1).max(50).optional().describe("legacy page number (walks the cursors); prefer cursor"),
});
const idempotencyHeader = idempotencyKeyHeader("a retry with the same key is the same request");

const reply = walletProtocol;
const describeWallet = describeWith({ tags: ["wallet"], errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "brand_mismatch", "account_suspended"] });
const WITHDRAWAL_REFUSALS = [
  "insufficient_funds",
  "duplicate_request",
  "bank_account_required",
  "amount_below_minimum",
  "amount_above_maximum",
  "daily_withdrawal_count_limit",
  "daily_withdrawal_limit",
  "rolling_open",
  "unavailable",
  "validation_failed",
] as const;

const wallet = (ctx: EdgeContext, brand: string) => ctx.clients.wallet(brand);

export async function playerBalance(ctx: EdgeContext, brand: string, playerId: string) {
  return valueOf(await wallet(ctx, brand).balance({ owner: { kind: "player", id: playerId } }));
}

async function statement(ctx: EdgeContext, brand: string, playerId: string, q: z.infer<typeof statementQuery>) {
  const w = wallet(ctx, brand);
  const owner = { kind: "player" as const, id: playerId };
  let cursor = q.cursor;
  for (let page = 1; page < (q.page ?? 1); page++) {
    const skipped = valueOf(await w.transactions({ owner, account: q.account, cursor, limit: q.limit }));
    if (skipped.nextCursor === null) return { items: [], nextCursor: null };
    cursor = skipped.nextCursor;
  }
  return valueOf(await w.transactions({ owner, account: q.account, cursor, limit: q.limit }));
}

export function walletRoutes(ctx: EdgeContext) {
  const requestsOf = (kind: "deposit" | "withdrawal") =>
    [
      describeWallet({ summary: `Your ${kind} requests, newest first`, responses: { 200: reply.playerRequests.reply }, errors: ["validation_failed"] }),
      validated(pageQuerySchema, "query"),
    ] as const;
  return new Hono<PlayerEnv>()
    .use("/wallet/*", requirePlayer(ctx))
    .get("/wallet/balance", describeWallet({ summary: "Your balances", responses: { 200: reply.balance.reply } }), async (c) =>
      c.json(await playerBalance(ctx, c.var.brand.id, c.var.player.id)),
    )
    .get(
      "/wallet/transactions",
      describeWallet({ summary: "Your statement, newest first", responses: { 200: reply.transactions.reply }, errors: ["validation_failed"] }),
      validated(statementQuery, "query"),
      async (c) => c.json(await statement(ctx, c.var.brand.id, c.var.player.id, c.req.valid("query"))),
    )
    .post(
      "/wallet/deposits",
      describeWallet({
        summary: "Ask for a deposit",
        description: "Staff (or the bank's notice) approve it once the transfer arrives; nothing moves until then.",
        responses: { 201: reply.depositRequest.reply },
        headers: idempotencyHeader,
        errors: ["duplicate_request", "amount_below_minimum", "amount_above_maximum", "validation_failed"],
      }),
      validated(depositBody, "json"),
      async (c) => {
        const body = { requestId: idempotentId(c.var.player.id, c.req.header("idempotency-key")), player: c.var.player.id, ...c.req.valid("json") };
        return c.json(valueOf(await wallet(ctx, c.var.brand.id).depositRequest(body)), 201);
      },
    )
    .get("/wallet/deposits", ...requestsOf("deposit"), async (c) =>
      c.json(valueOf(await wallet(ctx, c.var.brand.id).playerRequests({ player: c.var.player.id, kind: "deposit", ...c.req.valid("query") }))),
    )
    .post(
      "/wallet/withdrawals",
      describeWallet({
        summary: "Ask for a withdrawal",
        description:
          "The amount is held at once; staff pay it to the bank account on file, or reject it and the hold returns. Refused `rolling_open` (with `details.remaining`) while a wagering requirement is open, and 503 `unavailable` (retry after `Retry-After`) while a new deposit or bonus is still being checked for one.",
        responses: { 201: reply.withdrawalRequest.reply },
        headers: idempotencyHeader,
        errors: WITHDRAWAL_REFUSALS,
      }),
      validated(withdrawalBody, "json"),
      async (c) => {
        const body = { requestId: idempotentId(c.var.player.id, c.req.header("idempotency-key")), player: c.var.player.id, ...c.req.valid("json") };
        return c.json(valueOf(await wallet(ctx, c.var.brand.id).withdrawalRequest(body)), 201);
      },
    )
    .get("/wallet/withdrawals", ...requestsOf("withdrawal"), async (c) =>
      c.json(valueOf(await wallet(ctx, c.var.brand.id).playerRequests({ player: c.var.player.id, kind: "withdrawal", ...c.req.valid("query") }))),
    );
}
