export { BrandCatalog, newBrandSchema, hostSchema, type Brand, type BrandStatus, type NewBrand, type Surface } from "./catalog.ts";
export { LocalCatalogChanges, RedisCatalogChanges, type CatalogChanges } from "./changes.ts";
export * as catalogTables from "./schema.ts";
