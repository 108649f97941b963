import type { ProjectionReport } from "../../actors/runtime/operations.ts";
import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

export const projectionCheck: Command = {
  name: "projection-check",
  summary: "check the game rounds of the last hour against the ledger; a gap is replayed",
  usage: "supervisor projection-check [--brand <id>] [--json]   (exit code 3 when rounds miss ledger transactions)",
  async run({ config, flags, out }) {
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api["projection-check"].$post({ query: { brand: typeof flags.brand === "string" ? flags.brand : undefined } }));
    if (flags.json) {
      out(JSON.stringify(reply, null, 2));
      return reply.ok ? 0 : 3;
    }
    for (const r of reply.reports) out(describe(r));
    out(reply.ok ? `checked ${reply.reports.length} brand(s): the rounds hold every ledger transaction` : "gaps found: run the check again in a moment to see a replay close them");
    return reply.ok ? 0 : 3;
  },
};

function describe(r: ProjectionReport): string {
  const money = (m: ProjectionReport["ledger"]) => `bets ${m.bets} wins ${m.wins} refunds ${m.refunds}`;
  if (r.ok) return `${r.brand.padEnd(24)} ok  transactions ${r.ledger.transactions}`;
  const done = r.action === "replayed" ? `replayed ${r.events} event(s) from ${r.firstMissingAt}` : "STILL MISSING after a replay: the events are gone, see the wallet's outbox";
  return `${r.brand.padEnd(24)} GAP  missing ${r.missing}  ledger ${money(r.ledger)}  rounds ${money(r.rounds)}\n  ${done}`;
}
