import { Hono } from "hono";
import { z } from "zod";
import { agentProtocol, agentFields as f } from "../../actors/agent/index.ts";
import { actingAs } from "../../actors/identity/index.ts";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { externalIdSchema, freeText, moneyInput, pageOf, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { idempotencyKeyHeader, idempotentId } from "../shared/idempotency-key.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type SignedInAtBrand, type StaffBrandEnv, staffGuard, valueOf } from "./staff-access.ts";

const brandParam = z.object({ brand: brandIdSchema });
const agentParam = brandParam.extend({ agentId: f.agentIdSchema });
const settlementParam = brandParam.extend({
  settlementId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7E]+$/, "a settlement id"),
});
const requestParam = brandParam.extend({ requestId: externalIdSchema });
const settlementsQuery = pageQuerySchema.extend({ status: agentProtocol.settlements.body.shape.status });
const runBody = z.object({ day: f.daySchema.describe("a day of the period to settle; the period must have ended") });
const rejectBody = z.object({ reason: freeText(500, { multiline: true }) });
const adjustmentBody = z.object({ amount: moneyInput({ signed: true }).describe("minor units; negative takes money away"), reason: freeText(500, { multiline: true }) });
const idempotencyHeader = idempotencyKeyHeader("a retry with the same key is the same adjustment");
const pendingAgentWithdrawal = z.object({ requestId: z.string(), agent: z.string(), amount: z.string(), at: z.string() }).meta({ id: "PendingAgentWithdrawal" });

const describeMoney = describeWith({
  tags: ["agents"],
  errors: ["validation_failed", "unauthorized", "invalid_token", "token_expired", "forbidden", "password_change_required", "brand_mismatch", "brand_not_found", "brand_disabled"],
});

/**
 * `/api/v1/brands/:brand/agent-settlements/*`, `/agent-withdrawals/*`, an agent's statement
 * and adjustments of its cash: commission settlements (history, per-line detail, a run of an ended period, a
 * retry of stalled lines) through `agent@brand`, and agents' withdrawals through
 * `wallet@brand`, each change audited by the actor that makes it.
 */
export function agentMoneyRoutes(ctx: EdgeContext) {
  const agents = (c: SignedInAtBrand) => ctx.clients.agent(c.var.brand.id);
  const wallet = (c: SignedInAtBrand) => ctx.clients.wallet(c.var.brand.id);
  const by = (c: SignedInAtBrand) => actingAs(c.var.staff);
  const read = staffGuard(ctx, "read", "brand");
  const finance = staffGuard(ctx, "finance.write", "brand");
  return new Hono<StaffBrandEnv>()
    .get(
      "/brands/:brand/agent-tree/:agentId/transactions",
      describeMoney({ summary: "An agent's statement, newest first", responses: { 200: walletProtocol.transactions.reply } }),
      read,
      validated(agentParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await wallet(c).transactions({ owner: { kind: "agent", id: c.req.valid("param").agentId }, account: "cash", ...c.req.valid("query") }))),
    )
    .post(
      "/brands/:brand/agent-tree/:agentId/adjustments",
      describeMoney({
        summary: "Adjust an agent's cash against the house (its float)",
        responses: { 201: walletProtocol.adjust.reply },
        headers: idempotencyHeader,
        errors: ["insufficient_funds", "duplicate_request", "amount_out_of_range"],
      }),
      finance,
      validated(agentParam, "param"),
      validated(adjustmentBody, "json"),
      async (c) => {
        const owner = { kind: "agent" as const, id: c.req.valid("param").agentId };
        const adjustmentId = idempotentId(`staff:${c.var.staff.staffId}`, c.req.header("idempotency-key"));
        return c.json(valueOf(await wallet(c).adjust({ adjustmentId, owner, account: "cash", ...c.req.valid("json"), by: by(c) })), 201);
      },
    )
    .get(
      "/brands/:brand/agent-settlements",
      describeMoney({ summary: "Commission settlements, newest first", responses: { 200: agentProtocol.settlements.reply } }),
      read,
      validated(brandParam, "param"),
      validated(settlementsQuery, "query"),
      async (c) => c.json(valueOf(await agents(c).settlements(c.req.valid("query")))),
    )
    .get(
      "/brands/:brand/agent-settlements/:settlementId/lines",
      describeMoney({ summary: "A settlement's lines: who gets what, how it was computed, whether it is paid", responses: { 200: agentProtocol.settlementLines.reply } }),
      read,
      validated(settlementParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await agents(c).settlementLines({ ...c.req.valid("query"), settlementId: c.req.valid("param").settlementId }))),
    )
    .post(
      "/brands/:brand/agent-settlements/run",
      describeMoney({
        summary: "Settle an ended period now",
        description: "What the settlement timer does by itself after each period. A period settles once: running it again answers the same settlement.",
        responses: { 200: agentProtocol.runSettlement.reply },
        errors: ["period_open"],
      }),
      finance,
      validated(brandParam, "param"),
      validated(runBody, "json"),
      async (c) => c.json(valueOf(await agents(c).runSettlement({ day: c.req.valid("json").day, by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-settlements/:settlementId/requeue",
      describeMoney({ summary: "Ask the wallet again for a settlement's stalled lines", responses: { 200: agentProtocol.requeueSettlement.reply }, errors: ["not_found"] }),
      finance,
      validated(settlementParam, "param"),
      async (c) => c.json(valueOf(await agents(c).requeueSettlement({ settlementId: c.req.valid("param").settlementId, by: by(c) }))),
    )
    .get(
      "/brands/:brand/agent-withdrawals",
      describeMoney({ summary: "Agents' pending withdrawals, oldest first", responses: { 200: pageOf(pendingAgentWithdrawal) } }),
      read,
      validated(brandParam, "param"),
      validated(pageQuerySchema, "query"),
      async (c) => {
        const page = valueOf(await wallet(c).pendingRequests({ kind: "agent_withdrawal", ...c.req.valid("query") }));
        // the wallet's queue names an agent's request's holder `player`
        return c.json({ items: page.items.map((r) => ({ requestId: r.requestId, agent: r.player, amount: r.amount, at: r.at })), nextCursor: page.nextCursor });
      },
    )
    .post(
      "/brands/:brand/agent-withdrawals/:requestId/approve",
      describeMoney({
        summary: "Pay an agent's withdrawal out",
        description: "Approving it again answers `replayed: true`.",
        responses: { 200: walletProtocol.agentWithdrawalApprove.reply },
        errors: ["not_found", "invalid_state"],
      }),
      finance,
      validated(requestParam, "param"),
      async (c) => c.json(valueOf(await wallet(c).agentWithdrawalApprove({ requestId: c.req.valid("param").requestId, by: by(c) }))),
    )
    .post(
      "/brands/:brand/agent-withdrawals/:requestId/reject",
      describeMoney({
        summary: "Return an agent's held withdrawal to its cash",
        responses: { 200: walletProtocol.agentWithdrawalReject.reply },
        errors: ["not_found", "invalid_state"],
      }),
      finance,
      validated(requestParam, "param"),
      validated(rejectBody, "json"),
      async (c) => c.json(valueOf(await wallet(c).agentWithdrawalReject({ requestId: c.req.valid("param").requestId, reason: c.req.valid("json").reason, by: by(c) }))),
    );
}
