import { OpsClient } from "../ops-client.ts";
import type { Command } from "./types.ts";

export const reconcile: Command = {
  name: "reconcile",
  summary: "check every ledger account against its postings and every transaction sums to zero",
  usage: "supervisor reconcile [--brand <id>] [--json]   (exit code 3 when a mismatch is found)",
  async run({ config, flags, out }) {
    const ops = new OpsClient(config);
    const reply = await ops.answer(ops.api.reconcile.$post({ query: { brand: typeof flags.brand === "string" ? flags.brand : undefined } }));
    if (flags.json) {
      out(JSON.stringify(reply, null, 2));
      return reply.ok ? 0 : 3;
    }
    for (const r of reply.reports) {
      const brand = r.brands.join(",");
      out(`${brand.padEnd(24)} ${r.ok ? "ok" : "MISMATCH"}  accounts ${r.accountsChecked}  transactions ${r.transactionsChecked}`);
      for (const m of r.accountMismatches) out(`  account ${m.accountId}: balance ${m.balance} but postings sum to ${m.postings}`);
      for (const t of r.unbalancedTransactions) out(`  transaction ${t.transactionId}: postings sum to ${t.sum}, not 0`);
    }
    out(reply.ok ? `reconciled ${reply.reports.length} brand(s): no mismatch` : "mismatches found: they are reported as wallet.reconciliation_mismatch events");
    return reply.ok ? 0 : 3;
  },
};
