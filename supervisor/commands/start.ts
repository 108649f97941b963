import { buildNode } from "../node.ts";
import type { Command } from "./types.ts";

export const start: Command = {
  name: "start",
  summary: "boot a node: stores, migrations, the actors of the brands placed on it (every brand when alone), all edges",
  usage: "supervisor start",
  async run({ config, out }) {
    const node = await buildNode({ config, serve: true });
    for (const edge of node.servers) out(`${edge.name.padEnd(9)} ${edge.url}`);
    out(`node ${config.NODE_ID} ready (${node.parts.store.kind}, ${node.parts.system.transport.kind} mailboxes); SIGTERM drains`);
    await new Promise<void>((resolve) => {
      const drain = async (signal: string) => {
        out(`${signal}: draining`);
        // whatever is down, the node exits in time; what it had not acknowledged stays pending for its next start
        const deadline = setTimeout(() => {
          out(`drain still running after ${config.DRAIN_TIMEOUT_MS} ms; exiting, unacknowledged messages stay pending`);
          resolve();
        }, config.DRAIN_TIMEOUT_MS);
        await node.stop().catch((error) => out(`drain failed: ${error instanceof Error ? error.message : String(error)}`));
        clearTimeout(deadline);
        resolve();
      };
      process.once("SIGTERM", () => void drain("SIGTERM"));
      process.once("SIGINT", () => void drain("SIGINT"));
    });
    return 0;
  },
};
