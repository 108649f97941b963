import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { catalogProtocol } from "./messages.ts";

export { BrandCatalog, type BrandDirectory } from "./catalog.ts";
export { brandSchema, surfaceSchema, type Brand, type BrandStatus, type Surface } from "./brand-rows.ts";
export { LocalCatalogChanges, RedisCatalogChanges, type CatalogChanges } from "./changes.ts";
export * as catalogTables from "./schema.ts";
export { catalogKind, CATALOG_ADDRESS, type CatalogDeps } from "./actor.ts";
export { catalogProtocol, newBrandSchema, hostSchema, agentIdSchema, type CatalogProtocol, type NewBrand } from "./messages.ts";
export { brandConfigSchema, brandConfigPatchSchema, gameLaunchUrlSchema, isTimeZone, type BrandConfig, type BrandConfigPatch } from "./brand-config.ts";
export { brandSettings, DEFAULT_AGENT_DEPTH, DEFAULT_GAME_LAUNCH_URL, DEFAULT_TIME_ZONE, type BrandSettings } from "./brand-settings.ts";

/** Typed asks to the global `catalog` actor, the one writer of the brand catalog. */
export const catalogClient = (messenger: Messenger): CatalogClient => protocolClient(messenger, catalogProtocol, "catalog", null);
export type CatalogClient = Client<typeof catalogProtocol>;
