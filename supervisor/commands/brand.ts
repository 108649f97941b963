import type { Brand } from "../../actors/catalog/index.ts";
import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

const USAGE = `supervisor brand create <id> --name <name> [--currency KRW] [--domain host[=gateway|agent|admin]]...
supervisor brand list [--json]
supervisor brand disable <id>
supervisor brand enable <id>`;

export const brand: Command = {
  name: "brand",
  summary: "create, list, disable or enable brands (through the running node)",
  usage: USAGE,
  async run({ config, args, flags, out }) {
    const ops = new OpsClient(config);
    const [action, id] = args;
    if (action === "list") {
      const { brands } = await ops.call<{ brands: Brand[] }>("GET", "/brands");
      if (flags.json) out(JSON.stringify(brands, null, 2));
      else for (const b of brands) out(`${b.id.padEnd(24)} ${b.status.padEnd(9)} ${b.currency}  ${b.domains.map((d) => `${d.domain}(${d.surface})`).join(" ")}`);
      return 0;
    }
    if (!id) throw new UsageError(USAGE);
    if (action === "create") {
      const domains = [flags.domain ?? []].flat().filter((d): d is string => typeof d === "string").map((d) => {
        const [domain, surface] = d.split("=");
        return { domain: domain!, surface: (surface ?? "gateway") as "gateway" };
      });
      const created = await ops.call<{ brand: Brand }>("POST", "/brands", {
        id,
        name: typeof flags.name === "string" ? flags.name : id,
        currency: typeof flags.currency === "string" ? flags.currency : undefined,
        domains,
      });
      out(`created brand ${created.brand.id} (${created.brand.currency})`);
      return 0;
    }
    if (action === "disable" || action === "enable") {
      await ops.call("POST", `/brands/${encodeURIComponent(id)}/${action}`);
      out(`brand ${id} ${action}d`);
      return 0;
    }
    throw new UsageError(USAGE);
  },
};

export class UsageError extends Error {}
