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
    return hosted;
  }

  private async sync(): Promise<void> {
    const wanted = new Set<string>();
    for (const brand of this.parts.catalog.list()) for (const address of await this.hostBrand(brand.id)) wanted.add(address);
    for (const address of this.parts.system.hosted()) {
      if (address.includes("@") && !wanted.has(address)) await this.parts.system.unhost(address);
    }
  }

  private domains(scope: "brand" | "global"): string[] {
    return this.parts.system.kinds().filter((k) => k.scope === scope).map((k) => k.domain);
  }
}
