import { Hono, type Context } from "hono";
import { z } from "zod";
import { brandIdSchema } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { validated } from "../shared/index.ts";
import { valueOf } from "../shared/outcome.ts";

/**
 * `/internal/wallet/*` for other services and migration tooling (the internal edge checks the
 * service token and the brand): balances, statements, and the deposit and withdrawal flows,
 * every one through `wallet@brand`. The brand is the `X-Brand-Id` header. Mounted under
 * `/internal/wallet`:
 *
 *   GET  /players/:id/balance, /players/:id/transactions?account&cursor&limit (and /agents/:id/...)
 *   POST /deposits, /withdrawals                         a request (201); the request id is its idempotency key
 *   GET  /deposits, /withdrawals?cursor&limit            the pending queue, oldest first
 *   POST /{deposits,withdrawals}/:requestId/{approve,reject}
 */

const id = z.string().trim().min(1).max(200);
const amount = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,17}$/, "a whole number of minor units")]);
const page = { cursor: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) };
const statementQuery = z.object({ account: z.enum(["cash", "bonus", "locked"]).default("cash"), ...page });
const ownerParam = z.object({ ownerId: id });
const requestParam = z.object({ requestId: id });
const depositBody = z.object({ requestId: id, player: id, amount, depositorName: z.string().trim().min(1).max(100).optional() });
const withdrawalBody = z.object({ requestId: id, player: id, amount, bankAccount: z.string().trim().max(200).optional() });
const approveBody = z.object({ staffId: id.optional(), source: z.enum(["staff", "recon"]).optional() });
const rejectBody = z.object({ staffId: id.optional(), reason: z.string().trim().min(1).max(500) });


export function walletRoutes(ctx: EdgeContext) {
  const app = new Hono();
  const wallet = (c: Context) => ctx.clients.wallet(brandOf(c));

  for (const [path, kind] of [["players", "player"], ["agents", "agent"]] as const) {
    app.get(`/${path}/:ownerId/balance`, validated(ownerParam, "param"), async (c) => c.json(valueOf(await wallet(c).balance({ owner: { kind, id: c.req.valid("param").ownerId } }))));
    app.get(`/${path}/:ownerId/transactions`, validated(ownerParam, "param"), validated(statementQuery, "query"), async (c) =>
      c.json(valueOf(await wallet(c).transactions({ owner: { kind, id: c.req.valid("param").ownerId }, ...c.req.valid("query") }))),
    );
  }

  app.post("/deposits", validated(depositBody, "json"), async (c) => c.json(valueOf(await wallet(c).depositRequest(c.req.valid("json"))), 201));
  app.post("/withdrawals", validated(withdrawalBody, "json"), async (c) => c.json(valueOf(await wallet(c).withdrawalRequest(c.req.valid("json"))), 201));
  for (const kind of ["deposit", "withdrawal"] as const) {
    app.get(`/${kind}s`, validated(z.object(page), "query"), async (c) => c.json(valueOf(await wallet(c).pendingRequests({ kind, ...c.req.valid("query") }))));
    app.post(`/${kind}s/:requestId/approve`, validated(requestParam, "param"), validated(approveBody, "json"), async (c) =>
      c.json(valueOf(await wallet(c)[`${kind}Approve`]({ ...c.req.valid("param"), ...c.req.valid("json") }))),
    );
    app.post(`/${kind}s/:requestId/reject`, validated(requestParam, "param"), validated(rejectBody, "json"), async (c) =>
      c.json(valueOf(await wallet(c)[`${kind}Reject`]({ ...c.req.valid("param"), ...c.req.valid("json") }))),
    );
  }
  return app;
}

function brandOf(c: Context): string {
  const brand = brandIdSchema.safeParse(c.req.header("x-brand-id"));
  if (!brand.success) throw new PlatformError("validation_failed", "X-Brand-Id: a brand id is required");
  return brand.data;
}
