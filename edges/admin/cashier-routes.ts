import { Hono } from "hono";
import { z } from "zod";
import { actingAs } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { externalIdSchema, freeText, moneyInput, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { idempotencyKeyHeader, idempotentId } from "../shared/idempotency-key.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const requestParam = brandParam.extend({ requestId: externalIdSchema });
const playerParam = brandParam.extend({ playerId: externalIdSchema });
const rejectBody = z.object({ reason: freeText(500, { multiline: true }) });
const adjustmentBody = z.object({
  amount: moneyInput({ signed: true }).describe("minor units; negative takes money away"),
  account: z.enum(["cash", "bonus"]).default("cash"),
  reason: freeText(500, { multiline: true }),
});
const statementQuery = pageQuerySchema.extend({ account: z.enum(["cash", "bonus", "locked"]).default("cash") });
const idempotencyHeader = idempotencyKeyHeader("a retry with the same key is the same adjustment");

const reply = walletProtocol;
const describeCashier = describeWith({
  tags: ["cashier"],
  errors: ["unauthorized", "invalid_token", "token_expired", "password_change_required", "forbidden", "validation_failed", "brand_not_found", "brand_disabled", "brand_mismatch"],
});
const KINDS = ["deposit", "withdrawal"] as const;

/**
 * `/api/v1/brands/:brand/{deposits,withdrawals,players/:id/adjustments,reconciliation}`: the
 * cashier queues and balance adjustments, all through `wallet@brand`, which audits each
 * change in the commit that makes it (who acted, before and after as it decided them).
 */
export function cashierRoutes(ctx: EdgeContext) {
  const wallet = ctx.clients.wallet;
  const app = new Hono<StaffBrandEnv>();
  for (const kind of KINDS) {
    app
      .get(
        `/brands/:brand/${kind}s`,
        describeCashier({ summary: `Pending ${kind}s, oldest first`, responses: { 200: reply.pendingRequests.reply } }),
        staffGuard(ctx, "read", "brand"),
        validated(brandParam, "param"),
        validated(pageQuerySchema, "query"),
        async (c) => c.json(valueOf(await wallet(c.var.brand.id).pendingRequests({ kind, ...c.req.valid("query") }))),
      )
      .post(
        `/brands/:brand/${kind}s/:requestId/approve`,
        describeCashier({
          summary: `Approve a ${kind}`,
          description: "Approving an approved request again answers it with `replayed: true` and changes nothing.",
          responses: { 200: reply[`${kind}Approve`].reply },
          errors: ["not_found", "invalid_state"],
        }),
        staffGuard(ctx, "finance.write", "brand"),
        validated(requestParam, "param"),
        async (c) => c.json(valueOf(await wallet(c.var.brand.id)[`${kind}Approve`]({ requestId: c.req.valid("param").requestId, by: actingAs(c.var.staff) }))),
      )
      .post(
        `/brands/:brand/${kind}s/:requestId/reject`,
        describeCashier({ summary: `Reject a ${kind}`, responses: { 200: reply[`${kind}Reject`].reply }, errors: ["not_found", "invalid_state"] }),
        staffGuard(ctx, "finance.write", "brand"),
        validated(requestParam, "param"),
        validated(rejectBody, "json"),
        async (c) => {
          const body = { requestId: c.req.valid("param").requestId, reason: c.req.valid("json").reason, by: actingAs(c.var.staff) };
          return c.json(valueOf(await wallet(c.var.brand.id)[`${kind}Reject`](body)));
        },
      );
  }
  return app
    .get(
      "/brands/:brand/players/:playerId/balance",
      describeCashier({ summary: "A player's balances", responses: { 200: reply.balance.reply } }),
      staffGuard(ctx, "read", "brand"),
      validated(playerParam, "param"),
      async (c) => c.json(valueOf(await wallet(c.var.brand.id).balance({ owner: { kind: "player", id: c.req.valid("param").playerId } }))),
    )
    .get(
      "/brands/:brand/players/:playerId/transactions",
      describeCashier({ summary: "A player's statement, newest first", responses: { 200: reply.transactions.reply } }),
      staffGuard(ctx, "read", "brand"),
      validated(playerParam, "param"),
      validated(statementQuery, "query"),
      async (c) => c.json(valueOf(await wallet(c.var.brand.id).transactions({ owner: { kind: "player", id: c.req.valid("param").playerId }, ...c.req.valid("query") }))),
    )
    .post(
      "/brands/:brand/players/:playerId/adjustments",
      describeCashier({
        summary: "Adjust a player's balance against the house",
        responses: { 201: reply.adjust.reply },
        headers: idempotencyHeader,
        errors: ["insufficient_funds", "duplicate_request", "amount_out_of_range"],
      }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(playerParam, "param"),
      validated(adjustmentBody, "json"),
      async (c) => {
        const owner = { kind: "player" as const, id: c.req.valid("param").playerId };
        const adjustmentId = idempotentId(`staff:${c.var.staff.staffId}`, c.req.header("idempotency-key"));
        const adjusted = valueOf(await wallet(c.var.brand.id).adjust({ adjustmentId, owner, ...c.req.valid("json"), by: actingAs(c.var.staff) }));
        return c.json(adjusted, 201);
      },
    )
    .post(
      "/brands/:brand/reconciliation/run",
      describeCashier({ summary: "Check the brand's ledger now: balances against postings, transactions against zero", responses: { 200: reply.reconcile.reply } }),
      staffGuard(ctx, "finance.write", "brand"),
      validated(brandParam, "param"),
      async (c) => c.json(valueOf(await wallet(c.var.brand.id).reconcile({ by: actingAs(c.var.staff) }))),
    );
}
