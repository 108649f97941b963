import type { PlacementStatus } from "../../actors/runtime/operations.ts";
import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

export const status: Command = {
  name: "status",
  summary: "the running node's actors (state, restarts, mailbox lag, pending, dead letters) and which node serves which brands",
  usage: "supervisor status [--json] [--brand <id>]",
  async run({ config, flags, out }) {
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api.status.$get());
    if (flags.json) {
      out(JSON.stringify(reply, null, 2));
      return 0;
    }
    out(`node ${reply.node}  ready=${reply.ready}  mailboxes=${reply.transport}  store=${reply.store}  brands=${reply.brands.length}`);
    for (const line of placementLines(reply.placement)) out(line);
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

/** Each node with the units it holds and their lease ages: `node-a (this node)  3 unit(s)  acme 2m10s, ...`. */
function placementLines(placement: PlacementStatus): string[] {
  if (placement.mode === "every-brand") return ["placement: every brand on this node (no Redis, no leases)"];
  const lines = [`placement: leases (as seen ${Math.max(0, Date.now() - placement.seenAt)} ms ago)`];
  for (const node of placement.nodes) {
    const tags = [node.node === placement.node ? "this node" : "", node.draining ? "draining" : ""].filter(Boolean).join(", ");
    const units = node.units.map((u) => `${u.unit} ${age(u.ageMs)}`).join(", ");
    lines.push(`  ${node.node}${tags ? ` (${tags})` : ""}  ${node.units.length} unit(s)${units ? `  ${units}` : ""}`);
  }
  if (placement.unplaced.length > 0) lines.push(`  unplaced: ${placement.unplaced.join(", ")}`);
  return lines;
}

function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}
