import { Hono } from "hono";
import { z } from "zod";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { audit, staffGuard, valueOf, type SignedInAtBrand, type StaffBrandEnv } from "./staff-access.ts";

const pageQuery = z.object({ cursor: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const requestParam = z.object({ brand: z.string(), requestId: z.string().min(1).max(200) });
const playerParam = z.object({ brand: z.string(), playerId: z.string().min(1).max(200) });
const rejectBody = z.object({ reason: z.string().trim().min(1).max(500) });
const adjustmentBody = z.object({
  amount: z.union([z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^-?\d{1,19}$/)]).transform(String).refine((v) => !/^-?0+$/.test(v), "must not be zero"),
  account: z.enum(["cash", "bonus"]).default("cash"),
  reason: z.string().trim().min(1).max(500),
});
const statementQuery = pageQuery.extend({ account: z.enum(["cash", "bonus", "locked"]).default("cash") });
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "Idempotency-Key: 8-100 letters, digits, _ . : -");

type Kind = "deposit" | "withdrawal";
const DECISIONS = {
  deposit: { approve: "depositApprove", reject: "depositReject" },
  withdrawal: { approve: "withdrawalApprove", reject: "withdrawalReject" },
} as const;

/**
 * `/api/v1/brands/:brand/{deposits,withdrawals,players/:id/adjustments,reconciliation}`: the
 * cashier queues and balance adjustments, all through `wallet@brand`, each change audited.
 */
export function cashierRoutes(ctx: EdgeContext) {
  const wallet = ctx.clients.wallet;

  async function decide(c: SignedInAtBrand, kind: Kind, verdict: "approve" | "reject", requestId: string, reason?: string) {
    const type = DECISIONS[kind][verdict];
    const body = verdict === "approve" ? { requestId, staffId: c.var.staff.staffId } : { requestId, staffId: c.var.staff.staffId, reason: reason! };
    const decided = valueOf(await wallet(c.var.brand.id)[type](body as never));
    if (!decided.replayed) {
      await audit(ctx, c, { action: `${kind}.${verdict}`, brand: c.var.brand.id, target: `${kind}:${requestId}`, before: { status: "pending" }, after: { ...decided, reason } });
    }
    return decided;
  }

  const app = new Hono<StaffBrandEnv>();
  for (const kind of ["deposit", "withdrawal"] as const) {
    app
      .get(`/brands/:brand/${kind}s`, staffGuard(ctx, "read", "brand"), validated(pageQuery, "query"), async (c) =>
        c.json(valueOf(await wallet(c.var.brand.id).pendingRequests({ kind, ...c.req.valid("query") }))),
      )
      .post(`/brands/:brand/${kind}s/:requestId/approve`, staffGuard(ctx, "finance.write", "brand"), validated(requestParam, "param"), async (c) =>
        c.json(await decide(c, kind, "approve", c.req.valid("param").requestId)),
      )
      .post(`/brands/:brand/${kind}s/:requestId/reject`, staffGuard(ctx, "finance.write", "brand"), validated(requestParam, "param"), validated(rejectBody, "json"), async (c) =>
        c.json(await decide(c, kind, "reject", c.req.valid("param").requestId, c.req.valid("json").reason)),
      );
  }
  return app
    .get("/brands/:brand/players/:playerId/balance", staffGuard(ctx, "read", "brand"), validated(playerParam, "param"), async (c) =>
      c.json(valueOf(await wallet(c.var.brand.id).balance({ owner: { kind: "player", id: c.req.valid("param").playerId } }))),
    )
    .get("/brands/:brand/players/:playerId/transactions", staffGuard(ctx, "read", "brand"), validated(playerParam, "param"), validated(statementQuery, "query"), async (c) =>
      c.json(valueOf(await wallet(c.var.brand.id).transactions({ owner: { kind: "player", id: c.req.valid("param").playerId }, ...c.req.valid("query") }))),
    )
    .post("/brands/:brand/players/:playerId/adjustments", staffGuard(ctx, "finance.write", "brand"), validated(playerParam, "param"), validated(adjustmentBody, "json"), async (c) => {
      const { playerId } = c.req.valid("param");
      const { amount, account, reason } = c.req.valid("json");
      const w = wallet(c.var.brand.id);
      const owner = { kind: "player" as const, id: playerId };
      const before = valueOf(await w.balance({ owner }));
      const adjustmentId = adjustmentKey(c.var.staff.staffId, c.req.header("idempotency-key"));
      const adjusted = valueOf(await w.adjust({ adjustmentId, owner, account, amount, reason, staffId: c.var.staff.staffId }));
      if (!adjusted.replayed) {
        await audit(ctx, c, { action: "wallet.adjust", brand: c.var.brand.id, target: `player:${playerId}`, before, after: { ...adjusted.balance, amount, account, reason, transactionId: adjusted.transactionId } });
      }
      return c.json(adjusted, 201);
    })
    .post("/brands/:brand/reconciliation/run", staffGuard(ctx, "finance.write", "brand"), async (c) => {
      const report = valueOf(await wallet(c.var.brand.id).reconcile({}));
      await audit(ctx, c, { action: "wallet.reconcile", brand: c.var.brand.id, target: `brand:${c.var.brand.id}`, after: { ok: report.ok, accountsChecked: report.accountsChecked } });
      return c.json(report);
    });
}

/** A retried adjustment with the same Idempotency-Key is the same adjustment. */
function adjustmentKey(staffId: string, header: string | undefined): string {
  if (header === undefined) return `staff:${staffId}:${crypto.randomUUID()}`;
  const key = idempotencyKey.safeParse(header);
  if (!key.success) throw new PlatformError("validation_failed", key.error.issues[0]!.message);
  return `staff:${staffId}:${key.data}`;
}
