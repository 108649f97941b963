import type { z } from "zod";
import type { AuditEntry } from "../identity/index.ts";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { checkedConfig, mergeConfig } from "./brand-config.ts";
import type { Brand } from "./brand-rows.ts";
import * as rows from "./brand-rows.ts";
import { type CatalogProtocol, catalogProtocol } from "./messages.ts";

/** What one command decided: its outcome and, when it changed something, the audit of it. */
export type Decision = { outcome: Outcome; audit?: AuditEntry };

type Body<K extends keyof CatalogProtocol> = z.output<CatalogProtocol[K]["body"]>;
type Command<K extends keyof CatalogProtocol> = (tx: SqlExecutor, body: Body<K>) => Promise<Decision>;

const noBrand = (id: string): Decision => ({ outcome: fail("brand_not_found", `no brand ${id}`) });
const target = (id: string) => `brand:${id}`;

/** The brand after a change, as this transaction sees it (it exists: the change just touched it). */
const after = async (tx: SqlExecutor, id: string): Promise<Brand> => (await rows.readBrand(tx, id))!;

const createBrand: Command<"createBrand"> = async (tx, body) => {
  if (await rows.readBrand(tx, body.id)) return { outcome: fail("conflict", `brand ${body.id} already exists`) };
  for (const d of body.domains) {
    const owner = await rows.ownerOfDomain(tx, d.domain);
    if (owner) return { outcome: fail("conflict", `domain ${d.domain} already belongs to brand ${owner}`) };
  }
  if (new Set(body.domains.map((d) => d.domain)).size < body.domains.length) return { outcome: fail("validation_failed", "domains: a domain is named twice") };
  await rows.insertBrand(tx, body);
  for (const d of body.domains) await rows.insertDomain(tx, body.id, d.domain, d.surface);
  const brand = await after(tx, body.id);
  return { outcome: ok(brand), audit: { action: "brand.create", brand: brand.id, target: target(brand.id), after: brand } };
};

const setBrandStatus: Command<"setBrandStatus"> = async (tx, { brand: id, status }) => {
  const before = await rows.readBrand(tx, id);
  if (!before) return noBrand(id);
  await rows.updateStatus(tx, id, status);
  const action = status === "active" ? "brand.enable" : "brand.disable";
  return { outcome: ok(await after(tx, id)), audit: { action, brand: id, target: target(id), before: { status: before.status }, after: { status } } };
};

const configureBrand: Command<"configureBrand"> = async (tx, { brand: id, patch }) => {
  const before = await rows.configForUpdate(tx, id);
  if (!before) return noBrand(id);
  const merged = mergeConfig(before, patch);
  const checked = checkedConfig(merged);
  if (!checked.success) return { outcome: fail("validation_failed", checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")) };
  await rows.replaceConfig(tx, id, merged);
  const brand = await after(tx, id);
  return { outcome: ok(brand), audit: { action: "brand.configure", brand: id, target: target(id), before, after: brand.config } };
};

const addDomain: Command<"addDomain"> = async (tx, { brand: id, domain, surface }) => {
  const before = await rows.readBrand(tx, id);
  if (!before) return noBrand(id);
  const owner = await rows.ownerOfDomain(tx, domain);
  if (owner) return { outcome: fail("conflict", `domain ${domain} already belongs to brand ${owner}`) };
  await rows.insertDomain(tx, id, domain, surface);
  const brand = await after(tx, id);
  return { outcome: ok(brand), audit: { action: "brand.add_domain", brand: id, target: `domain:${domain}`, before: before.domains, after: brand.domains } };
};

const removeDomain: Command<"removeDomain"> = async (tx, { brand: id, domain }) => {
  const before = await rows.readBrand(tx, id);
  if (!before) return noBrand(id);
  if (!before.domains.some((d) => d.domain === domain)) return { outcome: fail("not_found", `brand ${id} has no domain ${domain}`) };
  await rows.deleteDomain(tx, domain);
  const brand = await after(tx, id);
  return { outcome: ok(brand), audit: { action: "brand.remove_domain", brand: id, target: `domain:${domain}`, before: before.domains, after: brand.domains } };
};

const allowList =
  (allow: boolean) =>
  async (tx: SqlExecutor, { brand: id, agentId }: Body<"allowAgent" | "disallowAgent">): Promise<Decision> => {
    if (!(await rows.readBrand(tx, id))) return noBrand(id);
    const before = await rows.agentsOfBrand(tx, id);
    await (allow ? rows.insertAgent(tx, agentId, id) : rows.deleteAgent(tx, agentId, id));
    const agents = await rows.agentsOfBrand(tx, id);
    const reply = { agentId, brands: await rows.brandsOfAgent(tx, agentId), agents };
    const action = allow ? "brand.allow_agent" : "brand.disallow_agent";
    return { outcome: ok(reply), audit: { action, brand: id, target: `agent:${agentId}`, before, after: agents } };
  };

const COMMANDS: { [K in keyof CatalogProtocol]: Command<K> } = {
  createBrand,
  setBrandStatus,
  configureBrand,
  addDomain,
  removeDomain,
  allowAgent: allowList(true),
  disallowAgent: allowList(false),
};

/** Decide one catalog command inside the transaction that will commit it. */
export function decideCatalogCommand(tx: SqlExecutor, type: string, body: unknown): Promise<Decision> {
  if (!Object.hasOwn(catalogProtocol, type)) return Promise.resolve({ outcome: fail("unknown_message", `catalog does not take ${type} messages`) });
  const command = COMMANDS[type as keyof CatalogProtocol] as Command<keyof CatalogProtocol>;
  // the runtime validated `body` against this type's schema before the turn
  return command(tx, body as never);
}
