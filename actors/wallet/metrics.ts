import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The wallet's series on the node's registry (made once per registry). */
export type WalletMetrics = ReturnType<typeof walletMetrics>;

export function walletMetrics(registry: Registry) {
  const once = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    batchMessages: once(
      "wallet_batch_messages",
      () =>
        new Histogram({
          name: "wallet_batch_messages",
          help: "Messages decided and committed together in one wallet batch",
          buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
          registers: [registry],
        }),
    ),
    commitSeconds: once(
      "wallet_commit_seconds",
      () =>
        new Histogram({
          name: "wallet_commit_seconds",
          help: "Duration of one wallet batch transaction",
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
          registers: [registry],
        }),
    ),
    fenced: once(
      "wallet_fenced_total",
      () =>
        new Counter({
          name: "wallet_fenced_total",
          help: "Batches refused because a newer writer took the brand's epoch",
          labelNames: ["brand"],
          registers: [registry],
        }),
    ),
    mismatches: once(
      "wallet_reconciliation_mismatches",
      () =>
        new Gauge({
          name: "wallet_reconciliation_mismatches",
          help: "Accounts and transactions that failed the last reconciliation (0 is healthy)",
          labelNames: ["brand"],
          registers: [registry],
        }),
    ),
    staleRollings: once(
      "wallet_rolling_awaited_stale",
      () =>
        new Gauge({
          name: "wallet_rolling_awaited_stale",
          help: "Credits whose wagering requirement the rolling domain has not answered for an hour (withdrawals of their players wait; 0 is healthy)",
          labelNames: ["brand"],
          registers: [registry],
        }),
    ),
    reconciliations: once(
      "wallet_reconciliations_total",
      () =>
        new Counter({
          name: "wallet_reconciliations_total",
          help: "Reconciliation runs by result",
          labelNames: ["brand", "result"],
          registers: [registry],
        }),
    ),
  };
}
