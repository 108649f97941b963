import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import { brandIdSchema } from "../runtime/address.ts";
import { freeText } from "../runtime/fields.ts";
import { brandConfigPatchSchema, brandConfigSchema } from "./brand-config.ts";
import { brandSchema, surfaceSchema } from "./brand-rows.ts";

/** A host name a brand answers on: dot-separated labels of letters, digits and inner dashes. */
export const hostSchema = z
  .string()
  .max(253, "at most 253 characters")
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, "a host name like play.acme.example");

/** An agent's id as the agent domain will issue it: printable, no spaces. */
export const agentIdSchema = z
  .string()
  .min(1)
  .max(100, "at most 100 characters")
  .regex(/^[\x21-\x7E]+$/, "printable characters without spaces");

export const newBrandSchema = z.object({
  id: brandIdSchema,
  name: freeText(100),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "an ISO 4217 code like KRW")
    .default("KRW"),
  domains: z
    .array(z.object({ domain: hostSchema, surface: surfaceSchema.default("gateway") }))
    .max(20, "at most 20 domains")
    .default([]),
  config: brandConfigSchema.default({}),
});
export type NewBrand = z.input<typeof newBrandSchema>;

const by = actingStaffSchema;
const brandChange = { brand: brandIdSchema, by };
const allowListReply = z.object({
  agentId: z.string(),
  /** the brands that allow the agent, after the change */
  brands: z.array(z.string()),
  /** the agents the brand allows, after the change */
  agents: z.array(z.string()),
});

/**
 * `catalog`: the one writer of the brand catalog (brands, domains, brand_config, the agent
 * allow-list). Every command carries who asked (`by`); the change, its audit event and the
 * message's outcome commit together.
 */
export const catalogProtocol = {
  createBrand: { body: newBrandSchema.extend({ by }), reply: brandSchema },
  setBrandStatus: { body: z.object({ ...brandChange, status: z.enum(["active", "disabled"]) }), reply: brandSchema },
  configureBrand: { body: z.object({ ...brandChange, patch: brandConfigPatchSchema }), reply: brandSchema },
  addDomain: { body: z.object({ ...brandChange, domain: hostSchema, surface: surfaceSchema.default("gateway") }), reply: brandSchema },
  removeDomain: { body: z.object({ ...brandChange, domain: hostSchema }), reply: brandSchema },
  allowAgent: { body: z.object({ ...brandChange, agentId: agentIdSchema }), reply: allowListReply },
  disallowAgent: { body: z.object({ ...brandChange, agentId: agentIdSchema }), reply: allowListReply },
} as const;
export type CatalogProtocol = typeof catalogProtocol;
