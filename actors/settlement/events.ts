import { z } from "zod";
import { externalIdSchema } from "../runtime/fields.ts";

/**
 * The events a settlement travels by. An owning domain asks for each line's credit with
 * `settlement.credit_requested` (one outbox event per line, in the commit that stores the
 * line); the wallet credits it under the line's id and answers with `wallet.settlement_credited`
 * (also when asked again for a line it already paid) or `wallet.settlement_refused`; the owner
 * marks the line from those. `source` names the owning domain, so each owner takes its own.
 */
export const SETTLEMENT_EVENTS = {
  creditRequested: "settlement.credit_requested",
  credited: "wallet.settlement_credited",
  refused: "wallet.settlement_refused",
} as const;

/** What the owner publishes when a settlement is fully paid, or a line is past its retries. */
export const settlementReportTypes = (domain: string) => ({ completed: `${domain}.settlement_completed`, lineStalled: `${domain}.settlement_line_stalled` });

export const ownerSchema = z.object({ kind: z.enum(["player", "agent"]), id: externalIdSchema });
export type CreditOwner = z.infer<typeof ownerSchema>;
const sourceSchema = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, "a domain name");

/** `settlement.credit_requested`: credit `amount` from the house to the owner's account, once, under `lineId`. */
export const creditRequestSchema = z.object({
  lineId: externalIdSchema,
  source: sourceSchema,
  settlementId: externalIdSchema,
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
  owner: ownerSchema,
  account: z.enum(["cash", "bonus"]),
  /** minor units, more than zero */
  amount: z.string().regex(/^[1-9]\d{0,14}$/, "a positive whole number of minor units"),
});
export type CreditRequest = z.infer<typeof creditRequestSchema>;

/** `wallet.settlement_credited` */
export const creditedSchema = z.object({
  lineId: externalIdSchema,
  source: sourceSchema,
  settlementId: externalIdSchema,
  transactionId: z.string().min(1).max(100),
  amount: z.string().regex(/^\d{1,19}$/),
});
export type Credited = z.infer<typeof creditedSchema>;

/** `wallet.settlement_refused`: the wallet keeps the refusal under the line's id (asking again answers it again). */
export const refusedSchema = z.object({
  lineId: externalIdSchema,
  source: sourceSchema,
  settlementId: externalIdSchema,
  code: z.string().max(100),
  message: z.string().max(1000),
});
export type Refused = z.infer<typeof refusedSchema>;
