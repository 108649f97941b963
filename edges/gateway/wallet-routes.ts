import { Hono } from "hono";
import { z } from "zod";
import { playerFields as f } from "../../actors/player/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { requirePlayer, valueOf, type PlayerEnv } from "./player-access.ts";

/**
 * `/api/v1/wallet/*`: the player's money, all of it through `wallet@brand` (the one money
 * writer). Amounts are integer minor units, as JSON numbers or digit strings.
 */

export const amountInput = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().trim().regex(/^[1-9]\d{0,15}$/, "a whole number of minor units")])
  .transform((v) => String(v));
export const depositBody = z.object({ amount: amountInput, depositorName: f.bankSchema.shape.holder });
export const withdrawalBody = z.object({ amount: amountInput });
export const statementQuery = z.object({
  account: z.enum(["cash", "bonus", "locked"]).default("cash"),
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  /** page numbers for older clients; walks the cursors, so kept short */
  page: z.coerce.number().int().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const requestListQuery = z.object({ cursor: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "Idempotency-Key: 8-100 letters, digits, _ . : -");

const wallet = (ctx: EdgeContext, brand: string) => ctx.clients.wallet(brand);

export async function playerBalance(ctx: EdgeContext, brand: string, playerId: string) {
  return valueOf(await wallet(ctx, brand).balance({ owner: { kind: "player", id: playerId } }));
}

/** A retried request with the same Idempotency-Key is the same wallet request. */
function requestId(playerId: string, header: string | undefined): string {
  if (header === undefined) return crypto.randomUUID();
  const key = idempotencyKey.safeParse(header);
  if (!key.success) throw new PlatformError("validation_failed", key.error.issues[0]!.message);
  return `${playerId}:${key.data}`;
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

/** The player's own deposit or withdrawal requests, newest first. */
async function playerRequests(ctx: EdgeContext, brand: string, playerId: string, kind: "deposit" | "withdrawal", q: z.infer<typeof requestListQuery>) {
  return valueOf(await wallet(ctx, brand).playerRequests({ player: playerId, kind, ...q }));
}

export function walletRoutes(ctx: EdgeContext) {
  return new Hono<PlayerEnv>()
    .use("/wallet/*", requirePlayer(ctx))
    .get("/wallet/balance", async (c) => c.json(await playerBalance(ctx, c.var.brand.id, c.var.player.id)))
    .get("/wallet/transactions", validated(statementQuery, "query"), async (c) => c.json(await statement(ctx, c.var.brand.id, c.var.player.id, c.req.valid("query"))))
    .post("/wallet/deposits", validated(depositBody, "json"), async (c) => {
      const { amount, depositorName } = c.req.valid("json");
      const body = { requestId: requestId(c.var.player.id, c.req.header("idempotency-key")), player: c.var.player.id, amount, depositorName };
      return c.json(valueOf(await wallet(ctx, c.var.brand.id).depositRequest(body)), 201);
    })
    .get("/wallet/deposits", validated(requestListQuery, "query"), async (c) =>
      c.json(await playerRequests(ctx, c.var.brand.id, c.var.player.id, "deposit", c.req.valid("query"))),
    )
    .post("/wallet/withdrawals", validated(withdrawalBody, "json"), async (c) => {
      const brand = c.var.brand.id;
      const playerId = c.var.player.id;
      const profile = valueOf(await ctx.clients.player(brand).profile({ playerId }));
      const bankAccount = `${profile.bank.name} ${profile.bank.account} ${profile.bank.holder}`;
      const body = { requestId: requestId(playerId, c.req.header("idempotency-key")), player: playerId, amount: c.req.valid("json").amount, bankAccount };
      return c.json(valueOf(await wallet(ctx, brand).withdrawalRequest(body)), 201);
    })
    .get("/wallet/withdrawals", validated(requestListQuery, "query"), async (c) =>
      c.json(await playerRequests(ctx, c.var.brand.id, c.var.player.id, "withdrawal", c.req.valid("query"))),
    );
}
