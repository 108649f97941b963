import { z } from "zod";
import { brandIdSchema } from "../runtime/address.ts";
import { newBrandSchema } from "./catalog.ts";

const surfaceSchema = z.enum(["gateway", "agent", "admin"]);
const brandReply = z.unknown();

/** `catalog`: the one writer of the brand catalog (brands, domains, brand_config, agent allow-list). */
export const catalogProtocol = {
  createBrand: { body: newBrandSchema, reply: brandReply },
  setBrandStatus: { body: z.object({ brand: brandIdSchema, status: z.enum(["active", "disabled"]) }), reply: brandReply },
  configureBrand: { body: z.object({ brand: brandIdSchema, patch: z.record(z.string(), z.unknown()) }), reply: brandReply },
  addDomain: { body: z.object({ brand: brandIdSchema, domain: z.string(), surface: surfaceSchema.default("gateway") }), reply: brandReply },
  removeDomain: { body: z.object({ brand: brandIdSchema, domain: z.string() }), reply: brandReply },
  allowAgent: { body: z.object({ brand: brandIdSchema, agentId: z.string().min(1).max(100) }), reply: z.object({ agentId: z.string(), brands: z.array(z.string()) }) },
  disallowAgent: { body: z.object({ brand: brandIdSchema, agentId: z.string().min(1).max(100) }), reply: z.object({ agentId: z.string(), brands: z.array(z.string()) }) },
} as const;
export type CatalogProtocol = typeof catalogProtocol;
