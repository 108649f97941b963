import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { catalogProtocol } from "./messages.ts";

export { BrandCatalog, type BrandDirectory, newBrandSchema, hostSchema, type Brand, type BrandStatus, type NewBrand, type Surface } from "./catalog.ts";
export { LocalCatalogChanges, RedisCatalogChanges, type CatalogChanges } from "./changes.ts";
export * as catalogTables from "./schema.ts";
export { catalogKind, CATALOG_ADDRESS } from "./actor.ts";
export { catalogProtocol, type CatalogProtocol } from "./messages.ts";

/** Typed asks to the global `catalog` actor, the one writer of the brand catalog. */
export const catalogClient = (messenger: Messenger): CatalogClient => protocolClient(messenger, catalogProtocol, "catalog", null);
export type CatalogClient = Client<typeof catalogProtocol>;
export { brandConfigPatchSchema, isTimeZone, type BrandConfigPatch } from "./brand-config.ts";
