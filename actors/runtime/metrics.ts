import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** The node's Prometheus registry and the runtime's own series. One per node. */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly turnSeconds = new Histogram({
    name: "actor_turn_seconds",
    help: "Duration of one actor turn (a batch of messages)",
    labelNames: ["domain"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly turnMessages = new Counter({
    name: "actor_messages_total",
    help: "Messages processed by actors",
    labelNames: ["domain", "result"],
    registers: [this.registry],
  });
  readonly localAsks = new Counter({
    name: "actor_local_asks_total",
    help: "Asks delivered in process to an actor hosted on the asking node (no mailbox entry)",
    labelNames: ["domain"],
    registers: [this.registry],
  });
  readonly restarts = new Counter({
    name: "actor_restarts_total",
    help: "Actor restarts after a crash",
    labelNames: ["domain", "brand"],
    registers: [this.registry],
  });
  readonly dependencyWaits = new Counter({
    name: "actor_dependency_waits_total",
    help: "Turns that failed because PostgreSQL or Redis was away (retried, not counted as crashes)",
    labelNames: ["domain", "brand"],
    registers: [this.registry],
  });
  readonly degraded = new Gauge({
    name: "actor_degraded",
    help: "1 while a brand's domain is degraded after too many restarts",
    labelNames: ["domain", "brand"],
    registers: [this.registry],
  });
  readonly mailboxLag = new Gauge({
    name: "mailbox_lag",
    help: "Messages not yet delivered, summed per domain",
    labelNames: ["domain"],
    registers: [this.registry],
  });
  readonly mailboxPending = new Gauge({
    name: "mailbox_pending",
    help: "Messages delivered and not yet acknowledged, summed per domain",
    labelNames: ["domain"],
    registers: [this.registry],
  });
  readonly deadLetters = new Gauge({
    name: "mailbox_dead_letters",
    help: "Messages in dead-letter streams, summed per domain",
    labelNames: ["domain"],
    registers: [this.registry],
  });
  readonly projectionMissing = new Gauge({
    name: "projection_missing_transactions",
    help: "Ledger transactions of the last hour that the game rounds do not hold, per brand, at the last check",
    labelNames: ["brand"],
    registers: [this.registry],
  });
  readonly projectionGaps = new Counter({
    name: "projection_gaps_total",
    help: "Projection checks that found game rounds missing ledger transactions",
    labelNames: ["brand"],
    registers: [this.registry],
  });
  readonly projectionReplays = new Counter({
    name: "projection_replays_total",
    help: "Replays of a brand's wallet events to close a gap in the game rounds",
    labelNames: ["brand"],
    registers: [this.registry],
  });
  readonly placementChanges = new Counter({
    name: "placement_changes_total",
    help: "Placement units (brands, _global) this node took (acquired), handed over (released) or lost (a lease not renewed in time)",
    labelNames: ["change"],
    registers: [this.registry],
  });
  readonly placementUnits = new Gauge({
    name: "placement_node_units",
    help: "Placement units (brands, _global) each live node holds, as this node last saw the leases",
    labelNames: ["node"],
    registers: [this.registry],
  });
  readonly placementNodes = new Gauge({
    name: "placement_nodes",
    help: "Live nodes, by whether they take brands or drain",
    labelNames: ["state"],
    registers: [this.registry],
  });
  readonly placementUnplaced = new Gauge({
    name: "placement_unplaced_units",
    help: "Placement units no live node holds (a dead node's until its leases expire)",
    registers: [this.registry],
  });
  readonly leaseAge = new Gauge({
    name: "placement_lease_age_seconds",
    help: "How long this node has held each of its units' leases",
    labelNames: ["unit"],
    registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: "http_request_seconds",
    help: "HTTP request latency per edge",
    labelNames: ["edge", "method", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults) collectDefaultMetrics({ register: this.registry });
  }
}
