import { z } from "zod";

const placedUnitSchema = z.object({ unit: z.string(), ageMs: z.number(), expiresInMs: z.number() });

/** Which node serves which brands (actors/runtime/operations.ts `PlacementStatus`). */
export const placementStatusSchema = z.object({
  mode: z.enum(["leases", "every-brand"]),
  node: z.string(),
  draining: z.boolean(),
  seenAt: z.number(),
  nodes: z.array(z.object({ node: z.string(), draining: z.boolean(), units: z.array(placedUnitSchema) })),
  unplaced: z.array(z.string()),
});

/** What `POST /internal/ops/drain` answers. */
export const drainReportSchema = z.object({ node: z.string(), released: z.array(z.string()), ms: z.number() });

/** What `GET /internal/ops/status` answers (actors/runtime/operations.ts `NodeStatus`, plus the brands and their placement). */
export const nodeStatusSchema = z.object({
  node: z.string(),
  ready: z.boolean(),
  transport: z.enum(["memory", "redis"]),
  store: z.enum(["postgres", "pglite"]),
  actors: z.array(
    z.object({
      address: z.string(),
      domain: z.string(),
      brand: z.string().nullable(),
      state: z.string(),
      queued: z.number(),
      restarts: z.number(),
      degradedUntil: z.number().nullable(),
      lastError: z.string().optional(),
      mailbox: z.object({ address: z.string(), length: z.number(), pending: z.number(), lag: z.number(), deadLetters: z.number() }),
    }),
  ),
  brands: z.array(z.object({ id: z.string(), status: z.enum(["active", "disabled"]) })),
  placement: placementStatusSchema,
});

const SECRET_FIELD = /secret|token|password/i;

/** A dead letter as the CLI lists it: any field of its body named like a secret (a provider's given secret, a token, a password hash) reads `[redacted]`. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) && v !== null && v !== undefined ? "[redacted]" : withoutSecrets(v)])) as T;
}

/** A message that failed too often (or was refused for overload), kept for replay. */
export const deadLetterSchema = z.object({
  streamId: z.string(),
  address: z.string(),
  envelope: z.object({ id: z.string(), to: z.string(), type: z.string(), body: z.unknown(), brand: z.string().nullable() }).loose(),
  reason: z.string(),
  deliveryCount: z.number(),
  deadAt: z.number(),
});

const providerMoneySchema = z.object({ bets: z.string(), wins: z.string(), refunds: z.string(), transactions: z.number().int() });

/** A brand's game rounds against its ledger, and what the check did about a gap (NodeOperations.projectionCheck). */
export const projectionReportSchema = z.object({
  brand: z.string(),
  since: z.string(),
  ledger: providerMoneySchema,
  rounds: providerMoneySchema,
  missing: z.number().int(),
  firstMissingAt: z.string().nullable(),
  ok: z.boolean(),
  action: z.enum(["none", "replayed", "alarm"]),
  events: z.number().int(),
});
