import type { CentralStore } from "../runtime/central-store.ts";
import { type Brand, type BrandStatus, readCatalog, type Surface } from "./brand-rows.ts";
import type { CatalogChanges } from "./changes.ts";

export type { Brand, BrandStatus, Surface };

/** What edges and other domains read of the catalog: this node's copy, never a query per request. */
export type BrandDirectory = Pick<BrandCatalog, "get" | "list" | "active" | "byHost" | "agentsOf" | "agentBrands">;

/**
 * The brand catalog as every node sees it: an in-memory copy of brands, domains, brand_config
 * and the agent allow-list, reloaded whenever any node announces a change (no restart
 * needed). It only reads: the `catalog` actor is the one writer of these tables, and
 * announces each change after its commit.
 */
export class BrandCatalog {
  private brands = new Map<string, Brand>();
  private hosts = new Map<string, { brandId: string; surface: Surface }>();
  private brandsOfAgent = new Map<string, string[]>();
  private agentsOfBrand = new Map<string, string[]>();
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private listeners = new Set<() => void | Promise<void>>();
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private store: CentralStore,
    private changes: CatalogChanges,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.unsubscribe = await this.changes.subscribe(() => this.reload());
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** `listener` runs after every reload; a reload (and so a catalog change's announcement) waits for it. */
  onChange(listener: () => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Brand | undefined {
    return this.brands.get(id);
  }

  list(): Brand[] {
    return [...this.brands.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  active(): Brand[] {
    return this.list().filter((b) => b.status === "active");
  }

  /** The brand that owns a Host header (port and case ignored). */
  byHost(host: string): { brand: Brand; surface: Surface } | undefined {
    const name = host.toLowerCase().replace(/:\d+$/, "");
    const hit = this.hosts.get(name);
    const brand = hit && this.brands.get(hit.brandId);
    return brand && hit ? { brand, surface: hit.surface } : undefined;
  }

  /** The brands the allow-list lets an agent act in. */
  agentBrands(agentId: string): string[] {
    return [...(this.brandsOfAgent.get(agentId) ?? [])];
  }

  /** The agents the allow-list lets act in a brand. */
  agentsOf(brandId: string): string[] {
    return [...(this.agentsOfBrand.get(brandId) ?? [])];
  }

  /**
   * Read the tables again. Reloads run one at a time, in call order (an older read finishing
   * after a newer one must never win): each call gets a reload that starts after it, and calls
   * made while one waits to start share it.
   */
  reload(): Promise<void> {
    if (!this.queued) {
      const next = this.running
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          return this.load();
        });
      this.queued = next;
      this.running = next;
    }
    return this.queued;
  }

  private async load(): Promise<void> {
    const { brands, allowList } = await readCatalog(this.store);
    const hosts = new Map<string, { brandId: string; surface: Surface }>();
    for (const b of brands) for (const d of b.domains) hosts.set(d.domain, { brandId: b.id, surface: d.surface });
    this.brands = new Map(brands.map((b) => [b.id, b]));
    this.hosts = hosts;
    this.brandsOfAgent = groupBy(
      allowList,
      (r) => r.agentId,
      (r) => r.brandId,
    );
    this.agentsOfBrand = groupBy(
      allowList,
      (r) => r.brandId,
      (r) => r.agentId,
    );
    await Promise.all([...this.listeners].map((listener) => listener()));
  }

  /** After a committed change: reload this node's copy, then tell every other node to reload theirs. */
  async announce(): Promise<void> {
    await this.reload();
    await this.changes.publish();
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string, value: (row: T) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(value(row));
    else groups.set(k, [value(row)]);
  }
  return groups;
}
