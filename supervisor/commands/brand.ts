import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

const USAGE = `supervisor brand create <id> --name <name> [--currency KRW] [--domain host[=gateway|agent|admin]]...
supervisor brand list [--json]
supervisor brand disable <id>
supervisor brand enable <id>`;

const SURFACES = ["gateway", "agent", "admin"] as const;
type Surface = (typeof SURFACES)[number];

/** `host` or `host=surface`; a surface the catalog does not know is the caller's mistake. */
function domainOf(flag: string): { domain: string; surface: Surface } {
  const [domain = "", surface = "gateway"] = flag.split("=");
  if (!(SURFACES as readonly string[]).includes(surface)) throw new UsageError(`--domain ${flag}: the surface is one of ${SURFACES.join(", ")}\n${USAGE}`);
  return { domain, surface: surface as Surface };
}

export const brand: Command = {
  name: "brand",
  summary: "create, list, disable or enable brands (through the running node; audited as the operator)",
  usage: USAGE,
  async run({ config, args, flags, out }) {
    const ops = new OpsClient(config);
    const [action, id] = args;
    if (action === "list") {
      const brands = await ops.all((cursor) => ops.answer(ops.api.brands.$get({ query: { cursor, limit: "200" } })));
      if (flags.json) out(JSON.stringify(brands, null, 2));
      else for (const b of brands) out(`${b.id.padEnd(24)} ${b.status.padEnd(9)} ${b.currency}  ${b.domains.map((d) => `${d.domain}(${d.surface})`).join(" ")}`);
      return 0;
    }
    if (!id) throw new UsageError(USAGE);
    if (action === "create") {
      const domains = [flags.domain ?? []]
        .flat()
        .filter((d): d is string => typeof d === "string")
        .map(domainOf);
      const json = { id, name: typeof flags.name === "string" ? flags.name : id, currency: typeof flags.currency === "string" ? flags.currency : undefined, domains };
      const created = await ops.answer(ops.api.brands.$post({ json }));
      out(`created brand ${created.brand.id} (${created.brand.currency})`);
      return 0;
    }
    if (action === "disable" || action === "enable") {
      await ops.answer(ops.api.brands[":id"][action].$post({ param: { id } }));
      out(`brand ${id} ${action}d`);
      return 0;
    }
    throw new UsageError(USAGE);
  },
};

export class UsageError extends Error {}
