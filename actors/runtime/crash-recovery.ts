import type { SupervisionPolicy } from "./supervision.ts";
import type { Cell } from "./cell.ts";
import type { Delivery } from "./envelope.ts";
import type { Logger } from "./log.ts";
import type { RuntimeMetrics } from "./metrics.ts";
import { retryAfterCrash } from "./refusals.ts";
import type { MailboxTransport } from "./transport.ts";

export type RecoveryContext = {
  transport: MailboxTransport;
  metrics: RuntimeMetrics;
  log: Logger;
  supervision: SupervisionPolicy;
  /** take the next turn, if any is due */
  resume(cell: Cell): void;
};

/**
 * A turn or its commit failed. The instance is replaced once every batch decided ahead of
 * it has settled (each commits and is answered, or fails too): the failed batches go back
 * to the front of the queue in their order, and the crash counts once.
 */
export function failed(ctx: RecoveryContext, cell: Cell, turn: number, batch: Delivery[], error: unknown) {
  cell.failed.push({ turn, batch });
  if (cell.recovery) return;
  cell.state = "restarting";
  cell.lastError = error instanceof Error ? error.message : String(error);
  ctx.log.error("actor crashed", { address: cell.address, error });
  cell.recovery = recover(ctx, cell).finally(() => (cell.recovery = undefined));
}

/** No turn running, no commit in flight, and a crash being handled has put its batches back. */
export async function quiesce(cell: Cell): Promise<void> {
  await cell.settled();
  await cell.recovery;
}

async function recover(ctx: RecoveryContext, cell: Cell) {
  await cell.settled();
  const behavior = cell.behavior;
  cell.behavior = undefined;
  await behavior?.passivate?.().catch(() => {});
  const batches = cell.failed.sort((a, b) => a.turn - b.turn).flatMap((f) => f.batch);
  cell.failed = [];
  cell.queue.unshift(...(await retryAfterCrash(ctx.transport, cell, batches)));
  const labels = { domain: cell.domain, brand: cell.brand ?? "" };
  const delay = cell.noteCrash(ctx.supervision, Date.now());
  ctx.metrics.restarts.inc(labels);
  if (cell.state === "degraded") {
    ctx.metrics.degraded.set(labels, 1);
    ctx.log.error("actor degraded: restart intensity exceeded", { address: cell.address, retryAfterMs: delay });
  }
  cell.clearTimers();
  cell.restartTimer = setTimeout(() => {
    cell.restartTimer = undefined;
    if (cell.state === "degraded") ctx.metrics.degraded.set(labels, 0);
    cell.state = "idle";
    ctx.resume(cell);
  }, delay);
  cell.restartTimer.unref?.();
}
