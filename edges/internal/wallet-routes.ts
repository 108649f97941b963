import { type Context, Hono } from "hono";
import { z } from "zod";
import { externalIdSchema, freeText, moneyInput, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { type BrandedEnv, describeWith, requireBrand, validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";
import { actingStaffOf } from "./acting-staff.ts";

/**
 * `/internal/wallet/*` for other services and migration tooling (the internal edge checks the
 * service token and the brand, named by `X-Brand-Id`): balances, statements, and the deposit
 * and withdrawal flows, every one through `wallet@brand`. Mounted under `/internal/wallet`:
 *
 *   GET  /players/:id/balance, /players/:id/transactions?account&cursor&limit (and /agents/:id/...)
 *   POST /deposits, /withdrawals                         a request (201); the request id is its idempotency key
 *   GET  /deposits, /withdrawals?cursor&limit            the pending queue, oldest first
 *   POST /{deposits,withdrawals}/:requestId/{approve,reject}
 *
 * A decision is made by the staff member whose token the caller forwards (`X-Access-Token`,
 * who needs finance.write within the brand), else by the calling service (`service:<staffId>`
 * when the caller names its job); the wallet audits it.
 */

const statementQuery = pageQuerySchema.extend({ account: z.enum(["cash", "bonus", "locked"]).default("cash") });
const ownerParam = z.object({ ownerId: externalIdSchema });
const requestParam = z.object({ requestId: externalIdSchema });
const depositBody = z.object({ requestId: externalIdSchema, player: externalIdSchema, amount: moneyInput(), depositorName: freeText(100).optional() });
const withdrawalBody = z.object({ requestId: externalIdSchema, player: externalIdSchema, amount: moneyInput() });
const staffIdField = externalIdSchema.optional().describe("the calling job's name when no staff token is forwarded (audited as service:<name>)");
const approveBody = z.object({ staffId: staffIdField, source: z.enum(["staff", "recon"]).optional() });
const rejectBody = z.object({ staffId: staffIdField, reason: freeText(500, { multiline: true }) });

const reply = walletProtocol;
const describeWallet = describeWith({ tags: ["wallet"], errors: ["unauthorized", "validation_failed", "brand_not_found", "brand_disabled", "brand_mismatch"] });
const DECISION_REFUSALS = ["not_found", "invalid_state", "invalid_token"] as const;

export function walletRoutes(ctx: EdgeContext) {
  const app = new Hono<BrandedEnv>().use("*", requireBrand());
  const wallet = (c: Context<BrandedEnv>) => ctx.clients.wallet(c.var.brand.id);

  for (const [path, kind] of [
    ["players", "player"],
    ["agents", "agent"],
  ] as const) {
    app.get(
      `/${path}/:ownerId/balance`,
      describeWallet({ summary: `A${kind === "agent" ? "n" : ""} ${kind}'s balances`, responses: { 200: reply.balance.reply } }),
      validated(ownerParam, "param"),
      async (c) => c.json(valueOf(await wallet(c).balance({ owner: { kind, id: c.req.valid("param").ownerId } }))),
    );
    app.get(
      `/${path}/:ownerId/transactions`,
      describeWallet({ summary: `A${kind === "agent" ? "n" : ""} ${kind}'s statement, newest first`, responses: { 200: reply.transactions.reply } }),
      validated(ownerParam, "param"),
      validated(statementQuery, "query"),
      async (c) => c.json(valueOf(await wallet(c).transactions({ owner: { kind, id: c.req.valid("param").ownerId }, ...c.req.valid("query") }))),
    );
  }

  app.post(
    "/deposits",
    describeWallet({
      summary: "Open a deposit request",
      responses: { 201: reply.depositRequest.reply },
      errors: ["duplicate_request", "amount_below_minimum", "amount_above_maximum"],
    }),
    validated(depositBody, "json"),
    async (c) => c.json(valueOf(await wallet(c).depositRequest(c.req.valid("json"))), 201),
  );
  app.post(
    "/withdrawals",
    describeWallet({
      summary: "Open a withdrawal request (the amount is held at once; it goes to the player's bank account on file)",
      responses: { 201: reply.withdrawalRequest.reply },
      errors: [
        "insufficient_funds",
        "duplicate_request",
        "bank_account_required",
        "amount_below_minimum",
        "amount_above_maximum",
        "daily_withdrawal_count_limit",
        "daily_withdrawal_limit",
        "rolling_open",
        "unavailable",
      ],
    }),
    validated(withdrawalBody, "json"),
    async (c) => c.json(valueOf(await wallet(c).withdrawalRequest(c.req.valid("json"))), 201),
  );
  for (const kind of ["deposit", "withdrawal"] as const) {
    app.get(
      `/${kind}s`,
      describeWallet({ summary: `Pending ${kind}s, oldest first`, responses: { 200: reply.pendingRequests.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await wallet(c).pendingRequests({ kind, ...c.req.valid("query") }))),
    );
    app.post(
      `/${kind}s/:requestId/approve`,
      describeWallet({ summary: `Approve a ${kind}`, responses: { 200: reply[`${kind}Approve`].reply }, errors: DECISION_REFUSALS }),
      validated(requestParam, "param"),
      validated(approveBody, "json"),
      async (c) => {
        const { staffId, source } = c.req.valid("json");
        const body = { requestId: c.req.valid("param").requestId, by: await actingStaffOf(ctx, c, "finance.write", staffId), ...(source ? { source } : {}) };
        return c.json(valueOf(await wallet(c)[`${kind}Approve`](body)));
      },
    );
    app.post(
      `/${kind}s/:requestId/reject`,
      describeWallet({ summary: `Reject a ${kind}`, responses: { 200: reply[`${kind}Reject`].reply }, errors: DECISION_REFUSALS }),
      validated(requestParam, "param"),
      validated(rejectBody, "json"),
      async (c) => {
        const { staffId, reason } = c.req.valid("json");
        return c.json(valueOf(await wallet(c)[`${kind}Reject`]({ requestId: c.req.valid("param").requestId, reason, by: await actingStaffOf(ctx, c, "finance.write", staffId) })));
      },
    );
  }
  return app;
}
