import type { ActorKind, Behavior, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import type { BrandCatalog } from "./catalog.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import { fail, ok, PlatformError, type Outcome } from "../runtime/errors.ts";
import { catalogProtocol } from "./messages.ts";

export const CATALOG_ADDRESS = "catalog";

/**
 * `catalog`: the global admin actor, the one writer of the brand catalog. It drives the
 * BrandCatalog, whose change notice reloads every node's copy (and so every edge's brand
 * resolution) without a restart. Replies are journaled in `admin_outcomes`.
 */
export function catalogKind(store: CentralStore, catalog: BrandCatalog): ActorKind {
  return {
    domain: "catalog",
    scope: "global",
    messages: schemasOf(catalogProtocol),
    create: (ctx) => catalogBehavior(store, catalog, ctx.address),
  };
}

function catalogBehavior(store: CentralStore, catalog: BrandCatalog, address: string): Behavior {
  return {
    async recall(ids) {
      const rows = await store.query<{ message_id: string; outcome: Outcome }>(
        "select message_id, outcome from admin_outcomes where address = $1 and message_id = any($2::text[])",
        [address, ids],
      );
      return new Map(rows.map((r) => [r.message_id, r.outcome]));
    },
    async receive(batch) {
      const outcomes: Outcome[] = [];
      for (const m of batch) {
        const outcome = await decide(catalog, m).catch(refusal);
        await store.query("insert into admin_outcomes (address, message_id, outcome) values ($1, $2, $3::jsonb) on conflict do nothing", [
          address,
          m.id,
          JSON.stringify(outcome),
        ]);
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}

async function decide(catalog: BrandCatalog, m: Incoming<any>): Promise<Outcome> {
  const b = m.body;
  switch (m.type) {
    case "createBrand":
      return ok(await catalog.create(b));
    case "setBrandStatus":
      return ok(await catalog.setStatus(b.brand, b.status));
    case "configureBrand": {
      const current = catalog.get(b.brand);
      if (!current) return fail("brand_not_found", `no brand ${b.brand}`);
      return ok(await catalog.configure(b.brand, mergeSections(current.config, b.patch)));
    }
    case "addDomain":
      return ok(await catalog.addDomain(b.brand, b.domain, b.surface));
    case "removeDomain": {
      const brand = catalog.get(b.brand);
      if (!brand) return fail("brand_not_found", `no brand ${b.brand}`);
      if (!brand.domains.some((d) => d.domain === b.domain.toLowerCase())) return fail("not_found", `brand ${b.brand} has no domain ${b.domain}`);
      await catalog.removeDomain(b.domain);
      return ok(catalog.get(b.brand));
    }
    case "allowAgent":
    case "disallowAgent": {
      if (!catalog.get(b.brand)) return fail("brand_not_found", `no brand ${b.brand}`);
      await (m.type === "allowAgent" ? catalog.allowAgent(b.agentId, b.brand) : catalog.disallowAgent(b.agentId, b.brand));
      return ok({ agentId: b.agentId, brands: catalog.agentBrands(b.agentId) });
    }
    case "timer":
      return ok({ ignored: true });
    default:
      return fail("unknown_message", `catalog does not take ${m.type} messages`);
  }
}

/**
 * brand_config merges at the top level; a section patch (`limits: { maxDeposit }`) keeps the
 * section's other keys. This actor is the catalog's one writer, so `current` is up to date.
 */
function mergeSections(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const isSection = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  return Object.fromEntries(
    Object.entries(patch).map(([key, value]) => [key, isSection(value) && isSection(current[key]) ? stripNulls({ ...current[key], ...value }) : value]),
  );
}

function stripNulls(section: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(section).filter(([, v]) => v !== null));
}

/** The catalog throws PlatformErrors (and zod errors) for what a caller got wrong: those are refusals. */
function refusal(error: unknown): Outcome {
  if (error instanceof PlatformError) return fail(error.code, error.message, error.details);
  if (error instanceof Error && error.name === "ZodError") return fail("validation_failed", error.message);
  throw error;
}
