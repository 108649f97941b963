import { z } from "zod";
import { newBrandSchema } from "../catalog/index.ts";
import { brandIdSchema } from "../runtime/address.ts";
import { fedEventBody, TOP_INFO_EVENT_TYPES } from "./top-info-events.ts";
import { topInfoCountersSchema } from "./top-info.ts";
import { playerNoteBody, playerNoteView } from "./player-notes.ts";

/** `admin@<brand>`: the brand's top-info counters and staff notes on players. Domain events arrive under their own types. */
export const topInfoProtocol = {
  "topInfo.get": { body: z.object({}), reply: z.object({ counters: topInfoCountersSchema, version: z.number() }) },
  "alarms.acknowledge": { body: z.object({ by: z.string() }), reply: z.object({ cleared: z.number() }) },
  "playerNote.add": { body: playerNoteBody, reply: playerNoteView },
} as const;

export const topInfoSchemas = {
  ...Object.fromEntries(Object.entries(topInfoProtocol).map(([type, p]) => [type, p.body])),
  ...Object.fromEntries(TOP_INFO_EVENT_TYPES.map((type) => [type, fedEventBody])),
};

const surfaceSchema = z.enum(["gateway", "agent", "admin"]);
const brandReply = z.unknown();

/** `catalog`: the one writer of the brand catalog (brands, domains, brand_config, agent allow-list). */
export const catalogProtocol = {
  "brand.create": { body: newBrandSchema, reply: brandReply },
  "brand.setStatus": { body: z.object({ brand: brandIdSchema, status: z.enum(["active", "disabled"]) }), reply: brandReply },
  "brand.configure": { body: z.object({ brand: brandIdSchema, patch: z.record(z.string(), z.unknown()) }), reply: brandReply },
  "brand.addDomain": { body: z.object({ brand: brandIdSchema, domain: z.string(), surface: surfaceSchema.default("gateway") }), reply: brandReply },
  "brand.removeDomain": { body: z.object({ brand: brandIdSchema, domain: z.string() }), reply: brandReply },
  "agent.allow": { body: z.object({ brand: brandIdSchema, agentId: z.string().min(1).max(100) }), reply: z.object({ agentId: z.string(), brands: z.array(z.string()) }) },
  "agent.disallow": { body: z.object({ brand: brandIdSchema, agentId: z.string().min(1).max(100) }), reply: z.object({ agentId: z.string(), brands: z.array(z.string()) }) },
} as const;
export type CatalogProtocol = typeof catalogProtocol;
