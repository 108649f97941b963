import { OpsClient } from "../ops-client.ts";
import { UsageError } from "./brand.ts";
import type { Command } from "./types.ts";

const USAGE = "supervisor actor restart <domain> <brand|_>   (_ for a global actor)";

export const actor: Command = {
  name: "actor",
  summary: "restart an actor (clears its degraded state)",
  usage: USAGE,
  async run({ config, args, out }) {
    const [action, domain, brand] = args;
    if (action !== "restart" || !domain || !brand) throw new UsageError(USAGE);
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api.actors[":domain"][":brand"].restart.$post({ param: { domain, brand } }));
    out(`restarted ${reply.restarted}`);
    return 0;
  },
};
