import type { DeadLetter } from "../../actors/runtime/envelope.ts";
import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";
import { UsageError } from "./brand.ts";

const USAGE = `supervisor dlq list [--address wallet@acme] [--json]
supervisor dlq replay <address> <stream-id>`;

export const dlq: Command = {
  name: "dlq",
  summary: "list dead letters, or replay one into its mailbox",
  usage: USAGE,
  async run({ config, args, flags, out }) {
    const ops = new OpsClient(config);
    const [action, address, streamId] = args;
    if (action === "list") {
      const query = typeof flags.address === "string" ? `?address=${encodeURIComponent(flags.address)}` : "";
      const { deadLetters } = await ops.call<{ deadLetters: DeadLetter[] }>("GET", `/dlq${query}`);
      if (flags.json) out(JSON.stringify(deadLetters, null, 2));
      else {
        for (const d of deadLetters) out(`${d.address.padEnd(28)} ${d.streamId.padEnd(18)} ${d.envelope.type.padEnd(20)} x${d.deliveryCount}  ${d.reason}`);
        out(`${deadLetters.length} dead letter(s)`);
      }
      return 0;
    }
    if (action === "replay" && address && streamId) {
      await ops.call("POST", "/dlq/replay", { address, streamId });
      out(`replayed ${streamId} into ${address}`);
      return 0;
    }
    throw new UsageError(USAGE);
  },
};
