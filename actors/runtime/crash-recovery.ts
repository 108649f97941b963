import type { Cell } from "./cell.ts";
import type { Delivery } from "./envelope.ts";
import { classifyFailure, describeFailure } from "./failure-class.ts";
import type { Logger } from "./log.ts";
import type { RuntimeMetrics } from "./metrics.ts";
import { refusePoison, refuseUnavailable, retryAfterCrash } from "./refusals.ts";
import type { SupervisionPolicy } from "./supervision.ts";
import type { Acknowledger, TurnOutlet } from "./transport.ts";

export type RecoveryContext = {
  transport: TurnOutlet;
  consumer(): Acknowledger | undefined;
  metrics: RuntimeMetrics;
  log: Logger;
  supervision: SupervisionPolicy;
  /** take the next turn, if any is due; `probe` makes a fresh instance even with nothing queued */
  resume(cell: Cell, options?: { probe?: boolean }): void;
};

/** Retries while a dependency is away: soon enough that work resumes within a second of its return. */
const DEPENDENCY_BACKOFF_MS = [25, 50, 100, 200, 400];

/**
 * A turn or its commit failed. The instance is replaced once every batch decided ahead of
 * it has settled (each commits and is answered, or fails too); then the first failure's
 * class decides what happens to the failed batches (`classifyFailure`).
 */
export function failed(ctx: RecoveryContext, cell: Cell, turn: number, batch: Delivery[], error: unknown) {
  cell.failed.push({ turn, batch });
  if (cell.recovery) return;
  cell.cause = error;
  cell.state = "restarting";
  cell.lastError = describeFailure(error);
  cell.recovery = recover(ctx, cell).finally(() => (cell.recovery = undefined));
}

/** No turn running, no commit in flight, and a failure being handled has put its batches back. */
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
  const cause = cell.cause;
  cell.cause = undefined;
  const failure = classifyFailure(cause);
  if (failure === "dependency") return waitForDependency(ctx, cell, batches);
  if (failure === "poison" && batches.length > 0) return isolatePoison(ctx, cell, batches);
  ctx.log.error("actor crashed", { address: cell.address, error: cause });
  return restartAfterCrash(ctx, cell, batches);
}

/**
 * A dependency failed: no crash is counted and nothing is dead-lettered. The failed batches
 * wait at the front of the queue (their outcome may be unknown: their askers hear from the
 * retry or time out); the other queued asks are answered `unavailable` at once.
 */
async function waitForDependency(ctx: RecoveryContext, cell: Cell, batches: Delivery[]) {
  const first = cell.dependencyWaits === 0;
  const delay = DEPENDENCY_BACKOFF_MS[Math.min(cell.dependencyWaits, DEPENDENCY_BACKOFF_MS.length - 1)]!;
  cell.dependencyWaits += 1;
  cell.state = "waiting";
  if (first) ctx.log.warn("actor waiting for a dependency", { address: cell.address, error: cell.lastError });
  ctx.metrics.dependencyWaits.inc({ domain: cell.domain, brand: cell.brand ?? "" });
  const queued = cell.queue;
  cell.queue = batches.map(asRedelivery);
  for (const delivery of queued) {
    if (delivery.envelope.replyTo) await refuseUnavailable(ctx.transport, ctx.consumer(), cell, delivery).catch(() => {});
    else cell.queue.push(delivery);
  }
  schedule(cell, delay, () => {
    cell.state = "idle";
    ctx.resume(cell, { probe: true });
  });
}

/**
 * A message failed by itself. Alone in its batch it is refused; with others, the batch is
 * split in two and each half taken alone, until the failing message is alone and refused
 * and the others have committed. No crash is counted.
 */
async function isolatePoison(ctx: RecoveryContext, cell: Cell, batches: Delivery[]) {
  const reason = cell.lastError ?? "it fails every time";
  if (batches.length === 1) {
    ctx.log.warn("message refused: it fails by itself", { address: cell.address, type: batches[0]!.envelope.type, error: reason });
    ctx.metrics.turnMessages.inc({ domain: cell.domain, result: "poison" });
    await refusePoison(ctx.transport, ctx.consumer(), cell, batches[0]!, reason).catch((error) =>
      ctx.log.warn("refusing a message failed; it will be redelivered", { address: cell.address, error }),
    );
  } else {
    const half = Math.ceil(batches.length / 2);
    cell.isolation.unshift(half, batches.length - half);
    cell.queue.unshift(...batches.map(asRedelivery));
  }
  cell.state = "idle";
  schedule(cell, 0, () => ctx.resume(cell));
}

/** The actor's own code failed: restart with backoff, degraded past the intensity. */
async function restartAfterCrash(ctx: RecoveryContext, cell: Cell, batches: Delivery[]) {
  cell.isolation = [];
  cell.queue.unshift(...(await retryAfterCrash(ctx.transport, cell, batches)));
  const labels = { domain: cell.domain, brand: cell.brand ?? "" };
  const delay = cell.noteCrash(ctx.supervision, Date.now());
  ctx.metrics.restarts.inc(labels);
  if (cell.state === "degraded") {
    ctx.metrics.degraded.set(labels, 1);
    ctx.log.error("actor degraded: restart intensity exceeded", { address: cell.address, retryAfterMs: delay });
  }
  schedule(cell, delay, () => {
    if (cell.state === "degraded") ctx.metrics.degraded.set(labels, 0);
    cell.state = "idle";
    ctx.resume(cell);
  });
}

/** A message that may have been taken before: the behavior looks for its recorded outcome. */
function asRedelivery(delivery: Delivery): Delivery {
  return delivery.deliveryCount > 1 ? delivery : { ...delivery, deliveryCount: 2 };
}

function schedule(cell: Cell, delay: number, then: () => void) {
  cell.clearTimers();
  cell.restartTimer = setTimeout(() => {
    cell.restartTimer = undefined;
    then();
  }, delay);
  cell.restartTimer.unref?.();
}
