import { PlatformError } from "../actors/runtime/errors.ts";
import type { DrainReport, PlacementStatus } from "../actors/runtime/operations.ts";
import { GLOBAL_UNIT } from "./balance.ts";
import type { NodeParts } from "./node-parts.ts";

/** How a node decides which actors it hosts: every brand (one node), or brands placed by leases (several). */
export interface NodePlacement {
  start(): Promise<void>;
  /** hand over what can be handed over, then stop following changes */
  stop(): Promise<void>;
  status(): PlacementStatus;
  /** the units (brands, and `_global`) whose actors this node hosts now */
  servedUnits(): string[];
  drain(): Promise<DrainReport>;
  /** true once `drain` ran: the node serves its edges but hosts no brand */
  readonly drained: boolean;
  /** the brands whose actors this node hosts now */
  hosted(): string[];
  /** told each brand this node starts or stops hosting (per-brand node services follow it: recon's intake loops) */
  onChange(listener: (brand: string, hosted: boolean) => void | Promise<void>): () => void;
}

/**
 * Which actors a node hosts when it is the only one (no Redis, so no leases): every global
 * kind, and every brand-scoped kind for each brand of the catalog. A disabled brand keeps its
 * actors: edges refuse its players, but money already in play (a provider's win or rollback)
 * must still settle. Follows catalog changes: a new brand gets its actors at once. Without
 * `followCatalog` (tests that share one store) only the brands given to `hostBrand` are hosted.
 */
export class Placement implements NodePlacement {
  readonly drained = false;
  private stopListening: (() => void) | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private brands = new Set<string>();
  private listeners = new Set<(brand: string, hosted: boolean) => void | Promise<void>>();
  private hostedAt = new Map<string, number>();

  constructor(
    private parts: Pick<NodeParts, "system" | "catalog" | "log" | "config">,
    private options: { followCatalog: boolean } = { followCatalog: true },
  ) {}

  async start(): Promise<void> {
    for (const domain of this.domains("global")) await this.parts.system.host(domain, null);
    this.hostedAt.set(GLOBAL_UNIT, Date.now());
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
    if (!this.hostedAt.has(brand)) this.hostedAt.set(brand, Date.now());
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

  status(): PlacementStatus {
    const now = Date.now();
    const units = [...this.hostedAt].map(([unit, at]) => ({ unit, ageMs: now - at, expiresInMs: 0 })).sort((a, b) => (a.unit < b.unit ? -1 : 1));
    return {
      mode: "every-brand",
      node: this.parts.config.NODE_ID,
      draining: false,
      seenAt: now,
      nodes: [{ node: this.parts.config.NODE_ID, draining: false, units }],
      unplaced: [],
    };
  }

  servedUnits(): string[] {
    return [...this.hostedAt.keys()];
  }

  async drain(): Promise<DrainReport> {
    throw new PlatformError("invalid_state", "this node hosts every brand (brands are placed by leases only with REDIS_URL): there is no other node to hand them to");
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
      if (address.includes("@") && !wanted.has(address)) {
        await this.parts.system.unhost(address);
        this.hostedAt.delete(address.slice(address.indexOf("@") + 1));
      }
    }
    for (const brand of [...this.brands].filter((b) => !brands.includes(b))) {
      this.brands.delete(brand);
      await this.announce(brand, false);
    }
  }

  private domains(scope: "brand" | "global"): string[] {
    return this.parts.system
      .kinds()
      .filter((k) => k.scope === scope)
      .map((k) => k.domain);
  }
}
