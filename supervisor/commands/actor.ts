import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";
import { UsageError } from "./brand.ts";

const USAGE = "supervisor actor restart <domain> <brand|_>   (_ for a global actor)";

export const actor: Command = {
  name: "actor",
  summary: "restart an actor (clears its degraded state)",
  usage: USAGE,
  async run({ config, args, out }) {
    const [action, domain, brand] = args;
    if (action !== "restart" || !domain || !brand) throw new UsageError(USAGE);
    const reply = await new OpsClient(config).call<{ restarted: string }>("POST", `/actors/${domain}/${brand}/restart`);
    out(`restarted ${reply.restarted}`);
    return 0;
  },
};
