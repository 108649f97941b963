import { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";

export const surfaceSchema = z.enum(["gateway", "agent", "admin"]);
export type Surface = z.infer<typeof surfaceSchema>;
export type BrandStatus = "active" | "disabled";

/** A brand as the catalog holds it; `config` is brand_config (read it through `brandSettings`). */
export const brandSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    status: z.enum(["active", "disabled"]),
    config: z.record(z.string(), z.unknown()),
    configVersion: z.number().int(),
    domains: z.array(z.object({ domain: z.string(), surface: surfaceSchema })),
  })
  .meta({ id: "Brand" });
export type Brand = z.infer<typeof brandSchema>;

type BrandRow = { id: string; name: string; currency: string; status: BrandStatus; config: Record<string, unknown> | null; version: number | null };
type DomainRow = { domain: string; brand_id: string; surface: Surface };

const BRANDS = `select b.id, b.name, b.currency, b.status, c.config, c.version from brands b left join brand_config c on c.brand_id = b.id`;
// in the order they were added, so a brand's domain list reads the same on every node
const DOMAINS = "select domain, brand_id, surface from brand_domains";
const DOMAIN_ORDER = "order by created_at, domain";

function assemble(rows: BrandRow[], domains: DomainRow[]): Brand[] {
  const brands = new Map<string, Brand>(
    rows.map((r) => [r.id, { id: r.id, name: r.name, currency: r.currency, status: r.status, config: r.config ?? {}, configVersion: r.version ?? 0, domains: [] }]),
  );
  for (const d of domains) brands.get(d.brand_id)?.domains.push({ domain: d.domain, surface: d.surface });
  return [...brands.values()];
}

/** Every brand with its domains and config, and the agent allow-list: what each node keeps a copy of. */
export async function readCatalog(db: SqlExecutor): Promise<{ brands: Brand[]; allowList: { agentId: string; brandId: string }[] }> {
  const rows = await db.query<BrandRow>(BRANDS);
  const domains = await db.query<DomainRow>(`${DOMAINS} ${DOMAIN_ORDER}`);
  const allowList = await db.query<{ agent_id: string; brand_id: string }>("select agent_id, brand_id from agent_brand order by agent_id, brand_id");
  return { brands: assemble(rows, domains), allowList: allowList.map((r) => ({ agentId: r.agent_id, brandId: r.brand_id })) };
}

/** One brand as the transaction sees it. */
export async function readBrand(tx: SqlExecutor, id: string): Promise<Brand | undefined> {
  const rows = await tx.query<BrandRow>(`${BRANDS} where b.id = $1`, [id]);
  const domains = await tx.query<DomainRow>(`${DOMAINS} where brand_id = $1 ${DOMAIN_ORDER}`, [id]);
  return assemble(rows, domains)[0];
}

/** The brand that owns a host, if any. */
export async function ownerOfDomain(tx: SqlExecutor, domain: string): Promise<string | undefined> {
  const rows = await tx.query<{ brand_id: string }>("select brand_id from brand_domains where domain = $1", [domain]);
  return rows[0]?.brand_id;
}

export async function agentsOfBrand(tx: SqlExecutor, brandId: string): Promise<string[]> {
  const rows = await tx.query<{ agent_id: string }>("select agent_id from agent_brand where brand_id = $1 order by agent_id", [brandId]);
  return rows.map((r) => r.agent_id);
}

export async function brandsOfAgent(tx: SqlExecutor, agentId: string): Promise<string[]> {
  const rows = await tx.query<{ brand_id: string }>("select brand_id from agent_brand where agent_id = $1 order by brand_id", [agentId]);
  return rows.map((r) => r.brand_id);
}

export async function insertBrand(tx: SqlExecutor, brand: { id: string; name: string; currency: string; config: Record<string, unknown> }): Promise<void> {
  await tx.query("insert into brands (id, name, currency) values ($1, $2, $3)", [brand.id, brand.name, brand.currency]);
  await tx.query("insert into brand_config (brand_id, config) values ($1, $2::jsonb)", [brand.id, JSON.stringify(brand.config)]);
}

export async function insertDomain(tx: SqlExecutor, brandId: string, domain: string, surface: Surface): Promise<void> {
  // clock_timestamp: domains added in one transaction keep the order they were added in
  await tx.query("insert into brand_domains (domain, brand_id, surface, created_at) values ($1, $2, $3, clock_timestamp())", [domain, brandId, surface]);
}

export async function deleteDomain(tx: SqlExecutor, domain: string): Promise<void> {
  await tx.query("delete from brand_domains where domain = $1", [domain]);
}

export async function updateStatus(tx: SqlExecutor, id: string, status: BrandStatus): Promise<void> {
  await tx.query("update brands set status = $2, updated_at = now() where id = $1", [id, status]);
}

/** The stored config, locked until the transaction ends. */
export async function configForUpdate(tx: SqlExecutor, id: string): Promise<Record<string, unknown> | undefined> {
  const rows = await tx.query<{ config: Record<string, unknown> }>("select config from brand_config where brand_id = $1 for update", [id]);
  return rows[0]?.config;
}

export async function replaceConfig(tx: SqlExecutor, id: string, config: Record<string, unknown>): Promise<void> {
  await tx.query("update brand_config set config = $2::jsonb, version = version + 1, updated_at = now() where brand_id = $1", [id, JSON.stringify(config)]);
}

export async function insertAgent(tx: SqlExecutor, agentId: string, brandId: string): Promise<void> {
  await tx.query("insert into agent_brand (agent_id, brand_id) values ($1, $2) on conflict do nothing", [agentId, brandId]);
}

export async function deleteAgent(tx: SqlExecutor, agentId: string, brandId: string): Promise<void> {
  await tx.query("delete from agent_brand where agent_id = $1 and brand_id = $2", [agentId, brandId]);
}
