import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

export const drain: Command = {
  name: "drain",
  summary: "hand the running node's brands over to the other nodes before it is stopped (leases only)",
  usage: `supervisor drain [--json]

The node stops taking brands, finishes the turns it runs, and releases each brand's lease; the
other live nodes take them at once. It keeps serving its edges (through the nodes that took its
brands) and answers /readyz with 503, until it is stopped (SIGTERM) or restarted.`,
  async run({ config, flags, out }) {
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api.drain.$post());
    if (flags.json) {
      out(JSON.stringify(reply, null, 2));
      return 0;
    }
    out(`node ${reply.node} drained in ${reply.ms} ms: handed over ${reply.released.length} unit(s)${reply.released.length > 0 ? `: ${reply.released.join(", ")}` : ""}`);
    return 0;
  },
};
