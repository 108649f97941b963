import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

export const status: Command = {
  name: "status",
  summary: "actors of the running node: state, restarts, mailbox lag, pending, dead letters",
  usage: "supervisor status [--json] [--brand <id>]",
  async run({ config, flags, out }) {
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api.status.$get());
    if (flags.json) {
      out(JSON.stringify(reply, null, 2));
      return 0;
    }
    out(`node ${reply.node}  ready=${reply.ready}  mailboxes=${reply.transport}  store=${reply.store}  brands=${reply.brands.length}`);
    const rows = reply.actors.filter((a) => !flags.brand || a.brand === flags.brand);
    out(["actor".padEnd(32), "state".padEnd(11), "restarts", "lag", "pending", "dead", "last error"].join("  "));
    for (const a of rows) {
      out(
        [
          a.address.padEnd(32),
          a.state.padEnd(11),
          String(a.restarts).padStart(8),
          String(a.mailbox.lag).padStart(3),
          String(a.mailbox.pending).padStart(7),
          String(a.mailbox.deadLetters).padStart(4),
          a.lastError ?? "",
        ].join("  "),
      );
    }
    return 0;
  },
};
