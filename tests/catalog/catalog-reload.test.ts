import { expect, test } from "bun:test";
import { BrandCatalog, LocalCatalogChanges } from "../../actors/catalog/index.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { waitFor } from "../support/services.ts";

/**
 * A store whose brand reads answer when the test says: the first read is held while a second
 * reload is asked for, so without ordering the older read would land last and win.
 */
function heldStore() {
  let version = 0;
  const held: (() => void)[] = [];
  const store = {
    kind: "pglite",
    async query(text: string) {
      if (!text.includes("from brands")) return [];
      const seen = ++version;
      if (seen === 1) await new Promise<void>((release) => held.push(release));
      return [{ id: "b1", name: `version ${seen}`, currency: "KRW", status: "active", config: {}, version: seen }];
    },
  } as unknown as CentralStore;
  return { store, release: () => held.splice(0).forEach((r) => r()), reads: () => version };
}

test("reloads apply in call order: an older read that finishes late never overwrites a newer copy", async () => {
  const { store, release, reads } = heldStore();
  const catalog = new BrandCatalog(store, new LocalCatalogChanges());
  const first = catalog.reload();
  await waitFor(() => reads() === 1, { what: "the first read to start" });
  const second = catalog.reload();
  const third = catalog.reload();
  // the second and third share one reload, which starts only after the first is done
  expect(reads()).toBe(1);
  release();
  await Promise.all([first, second, third]);
  expect(reads()).toBe(2);
  expect(catalog.get("b1")?.name).toBe("version 2");
});
