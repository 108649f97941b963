import type { NodeContext } from "./context.ts";

/**
 * Which actors this node hosts: every global kind, and every brand-scoped kind for each
 * brand of the catalog. A disabled brand keeps its actors: edges refuse its players, but
 * money already in play (a provider's win or rollback) must still settle. Follows catalog
 * changes: a new brand gets its actors at once.
 */
export class Placement {
  private stopListening: (() => void) | undefined;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private ctx: NodeContext) {}

  async start(): Promise<void> {
    for (const domain of this.globalDomains()) await this.ctx.system.host(domain, null);
    await this.sync();
    // a catalog write returns once this node hosts what it changed (a new brand's actors)
    this.stopListening = this.ctx.catalog.onChange(() => {
      this.syncing = this.syncing.then(() => this.sync()).catch((error) => this.ctx.log.error("placement sync failed", { error }));
      return this.syncing;
    });
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    await this.syncing;
  }

  private async sync(): Promise<void> {
    const wanted = new Set<string>();
    for (const brand of this.ctx.catalog.list()) {
      for (const domain of this.brandDomains()) wanted.add(await this.ctx.system.host(domain, brand.id));
    }
    for (const address of this.ctx.system.hosted()) {
      if (address.includes("@") && !wanted.has(address)) await this.ctx.system.unhost(address);
    }

  }

  private brandDomains(): string[] {
    return this.ctx.system.kinds().filter((k) => k.scope === "brand").map((k) => k.domain);
  }

  private globalDomains(): string[] {
    return this.ctx.system.kinds().filter((k) => k.scope === "global").map((k) => k.domain);
  }
}
