import { Counter, Histogram, type Registry } from "prom-client";

/** The promotion domain's series on the node's registry (made once per registry). */
export type PromotionMetrics = ReturnType<typeof promotionMetrics>;

export function promotionMetrics(registry: Registry) {
  const once = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    credited: once(
      "promotion_credited_minor_units_total",
      () =>
        new Counter({
          name: "promotion_credited_minor_units_total",
          help: "Rebate and lossback the wallet credited to players, in minor units, as the promotion domain marked the lines paid",
          labelNames: ["brand", "kind"],
          registers: [registry],
        }),
    ),
    lines: once(
      "promotion_settlement_lines_total",
      () =>
        new Counter({
          name: "promotion_settlement_lines_total",
          help: "Settlement lines by how the wallet answered them (paid, refused)",
          labelNames: ["brand", "kind", "result"],
          registers: [registry],
        }),
    ),
    settlementSeconds: once(
      "promotion_settlement_seconds",
      () =>
        new Histogram({
          name: "promotion_settlement_seconds",
          help: "From a settlement's snapshot to its last line paid",
          labelNames: ["kind"],
          buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21_600],
          registers: [registry],
        }),
    ),
  };
}

/** What one batch observed, recorded on the series only once its transaction committed. */
export type Observations = {
  credited(kind: string, amount: bigint): void;
  refused(kind: string): void;
  settled(kind: string, seconds: number): void;
};

export function observationsOf(metrics: PromotionMetrics | undefined, brand: string) {
  let pending: (() => void)[] = [];
  const observe: Observations = {
    credited: (kind, amount) =>
      pending.push(() => {
        metrics?.credited.inc({ brand, kind }, Number(amount));
        metrics?.lines.inc({ brand, kind, result: "paid" });
      }),
    refused: (kind) => pending.push(() => metrics?.lines.inc({ brand, kind, result: "refused" })),
    settled: (kind, seconds) => pending.push(() => metrics?.settlementSeconds.observe({ kind }, seconds)),
  };
  return {
    observe,
    committed: () => {
      for (const record of pending) record();
      pending = [];
    },
    discarded: () => {
      pending = [];
    },
  };
}
