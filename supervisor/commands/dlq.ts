import { OpsClient } from "../ops-client.ts";
import { UsageError } from "./brand.ts";
import type { Command } from "./types.ts";

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
      const only = typeof flags.address === "string" ? flags.address : undefined;
      const deadLetters = await ops.all((cursor) => ops.answer(ops.api.dlq.$get({ query: { address: only, cursor, limit: "200" } })));
      if (flags.json) out(JSON.stringify(deadLetters, null, 2));
      else {
        for (const d of deadLetters) out(`${d.address.padEnd(28)} ${d.streamId.padEnd(18)} ${d.envelope.type.padEnd(20)} x${d.deliveryCount}  ${d.reason}`);
        out(`${deadLetters.length} dead letter(s)`);
      }
      return 0;
    }
    if (action === "replay" && address && streamId) {
      await ops.answer(ops.api.dlq.replay.$post({ json: { address, streamId } }));
      out(`replayed ${streamId} into ${address}`);
      return 0;
    }
    throw new UsageError(USAGE);
  },
};
