import { z } from "zod";
import { brandIdSchema } from "../runtime/address.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { PlatformError } from "../runtime/errors.ts";
import type { CatalogChanges } from "./changes.ts";

export type BrandStatus = "active" | "disabled";
export type Surface = "gateway" | "agent" | "admin";

export type Brand = {
  id: string;
  name: string;
  currency: string;
  status: BrandStatus;
  config: Record<string, unknown>;
  configVersion: number;
  domains: { domain: string; surface: Surface }[];
};

export const hostSchema = z
  .string()
  .toLowerCase()
  .regex(/^[a-z0-9.-]{1,253}$/, "a host name like play.acme.example");

export const newBrandSchema = z.object({
  id: brandIdSchema,
  name: z.string().min(1).max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code like KRW").default("KRW"),
  domains: z.array(z.object({ domain: hostSchema, surface: z.enum(["gateway", "agent", "admin"]).default("gateway") })).default([]),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type NewBrand = z.input<typeof newBrandSchema>;

/**
 * The brand catalog as every edge sees it: an in-memory copy of brands, domains and
 * brand_config, reloaded whenever any node announces a change (no restart needed).
 */
/** What edges read of the catalog: this node's copy, never a query per request. */
export type BrandDirectory = Pick<BrandCatalog, "get" | "list" | "active" | "byHost" | "agentsOf" | "agentBrands">;

export class BrandCatalog {
  private brands = new Map<string, Brand>();
  private hosts = new Map<string, { brandId: string; surface: Surface }>();
  private brandsOfAgent = new Map<string, string[]>();
  private agentsOfBrand = new Map<string, string[]>();
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

  /** `listener` runs after every reload; a reload (and so a catalog write) waits for it. */
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

  async reload(): Promise<void> {
    const rows = await this.store.query<{ id: string; name: string; currency: string; status: BrandStatus; config: Record<string, unknown> | null; version: number | null }>(
      `select b.id, b.name, b.currency, b.status, c.config, c.version
         from brands b left join brand_config c on c.brand_id = b.id`,
    );
    const domains = await this.store.query<{ domain: string; brand_id: string; surface: Surface }>(
      "select domain, brand_id, surface from brand_domains",
    );
    const allowList = await this.store.query<{ agent_id: string; brand_id: string }>("select agent_id, brand_id from agent_brand order by agent_id, brand_id");
    const brands = new Map<string, Brand>();
    for (const r of rows) {
      brands.set(r.id, { id: r.id, name: r.name, currency: r.currency, status: r.status, config: r.config ?? {}, configVersion: r.version ?? 0, domains: [] });
    }
    const hosts = new Map<string, { brandId: string; surface: Surface }>();
    for (const d of domains) {
      brands.get(d.brand_id)?.domains.push({ domain: d.domain, surface: d.surface });
      hosts.set(d.domain, { brandId: d.brand_id, surface: d.surface });
    }
    this.brands = brands;
    this.hosts = hosts;
    this.brandsOfAgent = groupBy(allowList, (r) => r.agent_id, (r) => r.brand_id);
    this.agentsOfBrand = groupBy(allowList, (r) => r.brand_id, (r) => r.agent_id);
    await Promise.all([...this.listeners].map((listener) => listener()));
  }

  async create(input: NewBrand): Promise<Brand> {
    const brand = newBrandSchema.parse(input);
    await this.store.transaction(async (tx) => {
      const existing = await tx.query("select 1 from brands where id = $1", [brand.id]);
      if (existing.length > 0) throw new PlatformError("conflict", `brand ${brand.id} already exists`);
      await tx.query("insert into brands (id, name, currency) values ($1, $2, $3)", [brand.id, brand.name, brand.currency]);
      await tx.query("insert into brand_config (brand_id, config) values ($1, $2::jsonb)", [brand.id, JSON.stringify(brand.config)]);
      for (const d of brand.domains) await this.insertDomain(tx, brand.id, d.domain, d.surface);
    });
    await this.changed();
    return this.get(brand.id)!;
  }

  async setStatus(id: string, status: BrandStatus): Promise<Brand> {
    const rows = await this.store.query("update brands set status = $2, updated_at = now() where id = $1 returning id", [id, status]);
    if (rows.length === 0) throw new PlatformError("brand_not_found", `no brand ${id}`);
    await this.changed();
    return this.get(id)!;
  }

  /** Merge a patch into brand_config (null removes a key) and bump its version. */
  async configure(id: string, patch: Record<string, unknown>): Promise<Brand> {
    const rows = await this.store.query(
      `update brand_config set config = jsonb_strip_nulls(config || $2::jsonb), version = version + 1, updated_at = now()
        where brand_id = $1 returning brand_id`,
      [id, JSON.stringify(patch)],
    );
    if (rows.length === 0) throw new PlatformError("brand_not_found", `no brand ${id}`);
    await this.changed();
    return this.get(id)!;
  }

  async addDomain(id: string, domain: string, surface: Surface = "gateway"): Promise<Brand> {
    if (!this.brands.has(id)) await this.reload();
    if (!this.brands.has(id)) throw new PlatformError("brand_not_found", `no brand ${id}`);
    await this.insertDomain(this.store, id, hostSchema.parse(domain), surface);
    await this.changed();
    return this.get(id)!;
  }

  async removeDomain(domain: string): Promise<void> {
    await this.store.query("delete from brand_domains where domain = $1", [domain.toLowerCase()]);
    await this.changed();
  }

  async allowAgent(agentId: string, brandId: string): Promise<void> {
    await this.store.query("insert into agent_brand (agent_id, brand_id) values ($1, $2) on conflict do nothing", [agentId, brandId]);
    await this.changed();
  }

  async disallowAgent(agentId: string, brandId: string): Promise<void> {
    await this.store.query("delete from agent_brand where agent_id = $1 and brand_id = $2", [agentId, brandId]);
    await this.changed();
  }

  /** The brands the allow-list lets an agent act in. */
  agentBrands(agentId: string): string[] {
    return [...(this.brandsOfAgent.get(agentId) ?? [])];
  }

  /** The agents the allow-list lets act in a brand. */
  agentsOf(brandId: string): string[] {
    return [...(this.agentsOfBrand.get(brandId) ?? []).toSorted()];
  }

  private async insertDomain(tx: Pick<CentralStore, "query">, brandId: string, domain: string, surface: Surface) {
    const taken = await tx.query<{ brand_id: string }>("select brand_id from brand_domains where domain = $1", [domain]);
    if (taken.length > 0) throw new PlatformError("conflict", `domain ${domain} already belongs to brand ${taken[0]!.brand_id}`);
    await tx.query("insert into brand_domains (domain, brand_id, surface) values ($1, $2, $3)", [domain, brandId, surface]);
  }

  private async changed() {
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
