import { BrandCatalog, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import { openCentralStore } from "../../actors/runtime/central-store.ts";
import { openShard } from "../../shards/index.ts";
import type { Command } from "./types.ts";

export const migrate: Command = {
  name: "migrate",
  summary: "migrate the central store, then every brand's shard, with progress",
  usage: "supervisor migrate   (run it with no node started on the same embedded DATA_DIR)",
  async run({ config, out }) {
    const store = await openCentralStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    try {
      out(`central store (${store.kind}): migrating`);
      await store.migrate();
      out("central store: up to date");
      const catalog = new BrandCatalog(store, new LocalCatalogChanges());
      await catalog.reload();
      const brands = catalog.list();
      brands.forEach((brand, i) => {
        const shard = openShard(config.DATA_DIR, brand.id);
        shard.sqlite.close();
        out(`[${i + 1}/${brands.length}] shard ${brand.id}: up to date`);
      });
      out(`migrated the central store and ${brands.length} shard(s)`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
