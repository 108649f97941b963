import type { Handler } from "hono";
import { parseAddress } from "../../actors/runtime/address.ts";
import type { EdgeContext } from "./edge-context.ts";

/** Scrape cost stays bounded however many actors a node hosts. */
const MAX_MAILBOXES = 10_000;
const STATS_IN_FLIGHT = 16;

type Totals = { lag: number; pending: number; deadLetters: number };

/** Sum the mailbox stats of the node's hosted actors per domain into the mailbox gauges. */
async function refreshMailboxGauges(ctx: EdgeContext): Promise<void> {
  const addresses = ctx.operations.hosted().slice(0, MAX_MAILBOXES);
  const totals = new Map<string, Totals>();
  for (let i = 0; i < addresses.length; i += STATS_IN_FLIGHT) {
    const stats = await Promise.all(addresses.slice(i, i + STATS_IN_FLIGHT).map((a) => ctx.operations.mailboxStats(a)));
    for (const s of stats) {
      const { domain } = parseAddress(s.address);
      const t = totals.get(domain) ?? { lag: 0, pending: 0, deadLetters: 0 };
      totals.set(domain, { lag: t.lag + s.lag, pending: t.pending + s.pending, deadLetters: t.deadLetters + s.deadLetters });
    }
  }
  const { mailboxLag, mailboxPending, deadLetters } = ctx.metrics;
  // reset and set without an await in between: a domain no longer hosted drops out
  for (const gauge of [mailboxLag, mailboxPending, deadLetters]) gauge.reset();
  for (const [domain, t] of totals) {
    mailboxLag.set({ domain }, t.lag);
    mailboxPending.set({ domain }, t.pending);
    deadLetters.set({ domain }, t.deadLetters);
  }
}

/** Placement gauges from the node's last view of the leases: units per node, live nodes, its own lease ages. */
function refreshPlacementGauges(ctx: EdgeContext): void {
  const placement = ctx.operations.placement();
  const { placementUnits, placementNodes, placementUnplaced, leaseAge } = ctx.metrics;
  for (const gauge of [placementUnits, placementNodes, leaseAge]) gauge.reset();
  for (const node of placement.nodes) placementUnits.set({ node: node.node }, node.units.length);
  placementNodes.set({ state: "serving" }, placement.nodes.filter((n) => !n.draining).length);
  placementNodes.set({ state: "draining" }, placement.nodes.filter((n) => n.draining).length);
  placementUnplaced.set(placement.unplaced.length);
  for (const unit of placement.nodes.find((n) => n.node === placement.node)?.units ?? []) leaseAge.set({ unit: unit.unit }, unit.ageMs / 1000);
}

/**
 * GET /metrics in the Prometheus text format: mailbox lag, pending and dead letters
 * (refreshed at scrape time), placement (units per node, lease ages), actor turn latency,
 * restarts, degradation, HTTP latency.
 * Concurrent scrapes share one refresh.
 */
export function metricsEndpoint(ctx: EdgeContext): Handler {
  let refreshing: Promise<void> | undefined;
  return async (c) => {
    refreshing ??= refreshMailboxGauges(ctx).finally(() => (refreshing = undefined));
    await refreshing;
    refreshPlacementGauges(ctx);
    return c.body(await ctx.metrics.registry.metrics(), 200, { "Content-Type": ctx.metrics.registry.contentType });
  };
}
