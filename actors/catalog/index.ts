import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { catalogProtocol } from "./messages.ts";

export { CATALOG_ADDRESS, type CatalogDeps, catalogKind } from "./actor.ts";
export { type BrandConfig, type BrandConfigPatch, brandConfigPatchSchema, brandConfigSchema, gameLaunchUrlSchema, isTimeZone } from "./brand-config.ts";
export { type Brand, type BrandStatus, brandSchema, type Surface, surfaceSchema } from "./brand-rows.ts";
export { type BrandSettings, brandSettings, DEFAULT_AGENT_DEPTH, DEFAULT_GAME_LAUNCH_URL, DEFAULT_TIME_ZONE } from "./brand-settings.ts";
export { BrandCatalog, type BrandDirectory } from "./catalog.ts";
export { type CatalogChanges, LocalCatalogChanges, RedisCatalogChanges } from "./changes.ts";
export { agentIdSchema, type CatalogProtocol, catalogProtocol, hostSchema, type NewBrand, newBrandSchema } from "./messages.ts";
export * as catalogTables from "./schema.ts";

/** Typed asks to the global `catalog` actor, the one writer of the brand catalog. */
export const catalogClient = (messenger: Messenger): CatalogClient => protocolClient(messenger, catalogProtocol, "catalog", null);
export type CatalogClient = Client<typeof catalogProtocol>;
