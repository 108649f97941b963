import type { NodeParts } from "./node-parts.ts";

/**
 * Which actors a node hosts: every global kind, and every brand-scoped kind for each brand
 * of the catalog. A disabled brand keeps its actors: edges refuse its players, but money
 * already in play (a provider's win or rollback) must still settle. Follows catalog changes:
 * a new brand gets its actors at once. Without `followCatalog` (tests that share one store)
 * only the brands given to `hostBrand` are hosted.
 */
export class Placement {
  private stopListening: (() => void) | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private brands = new Set<string>();
  private listeners = new Set<(brand: string, hosted: boolean) => void | Promise<void>>();

  constructor(
    private parts: Pick<NodeParts, "system" | "catalog" | "log">,
    private options: { followCatalog: boolean } = { followCatalog: true },
  ) {}

  async start(): Promise<void> {
    for (const domain of this.domains("global")) await this.parts.system.host(domain, null);
    if (!this.options.followCatalog) return;
    await this.sync();
    // a catalog write returns once this node hosts what it changed (a new brand's actors)
    this.stopListening = this.parts.catalog.onChange(() => {
      this.syncing = this.syncing.then(() => this.sync()).catch((error) => this.parts.log.error("placement sync failed", { error }));
      return this.syncing;
    });
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    await this.syncing;
  }

  /** Host every brand-scoped kind for `brand`. */
  async hostBrand(brand: string): Promise<string[]> {
    const hosted: string[] = [];
    for (const domain of this.domains("brand")) hosted.push(await this.parts.system.host(domain, brand));
    if (!this.brands.has(brand)) {
      this.brands.add(brand);
      await this.announce(brand, true);
    }
    return hosted;
  }

  /** The brands this node hosts. */
  hosted(): string[] {
    return [...this.brands];
  }

  /** Told each brand this node starts or stops hosting (per-brand node services follow it: recon's intake loops). */
  onChange(listener: (brand: string, hosted: boolean) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async announce(brand: string, hosted: boolean): Promise<void> {
    for (const listener of this.listeners) {
      await Promise.resolve(listener(brand, hosted)).catch((error) => this.parts.log.error("placement listener failed", { brand, hosted, error }));
    }
  }

  private async sync(): Promise<void> {
    const wanted = new Set<string>();
    const brands = this.parts.catalog.list().map((b) => b.id);
    for (const brand of brands) for (const address of await this.hostBrand(brand)) wanted.add(address);
    for (const address of this.parts.system.hosted()) {
      if (address.includes("@") && !wanted.has(address)) await this.parts.system.unhost(address);
    }
    for (const brand of [...this.brands].filter((b) => !brands.includes(b))) {
      this.brands.delete(brand);
      await this.announce(brand, false);
    }
  }

  private domains(scope: "brand" | "global"): string[] {
    return this.parts.system.kinds().filter((k) => k.scope === scope).map((k) => k.domain);
  }
}
