import type { ActorContext } from "./actor.ts";
import { decideBatch } from "./batch-decision.ts";
import type { Cell } from "./cell.ts";
import { failed, type RecoveryContext } from "./crash-recovery.ts";
import type { Delivery } from "./envelope.ts";
import type { Outcome } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { RuntimeMetrics } from "./metrics.ts";
import type { Acknowledger, TurnOutlet } from "./transport.ts";

export type TurnRunnerDeps = {
  log: Logger;
  metrics: RuntimeMetrics;
  /** the system's passivation delay, for kinds without their own */
  idleMs: number;
  /** where replies go (in process for this node's own asks) */
  outlet: TurnOutlet;
  acks: Acknowledger;
  recovery: RecoveryContext;
  /** false while the cell leaves, the node drains, or the cell's brand may not take turns here */
  mayTakeTurn(cell: Cell): boolean;
  context(cell: Cell): ActorContext;
};

/**
 * The turns of the system's hosted actors: one at a time per cell (more decided ahead with
 * `pipeline`), each batch answered and acknowledged only after its commit, failures handed
 * to crash recovery.
 */
export class TurnRunner {
  private finishing = new Set<Promise<void>>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  /** Resolves once the replies and acks of committed batches went out. */
  async finished(): Promise<void> {
    await Promise.allSettled(this.finishing);
  }

  /** Take the next turn if one is due; `probe` makes a fresh instance even with nothing queued (after a dependency wait). */
  pump(cell: Cell, probe = false) {
    if (cell.running || !this.deps.mayTakeTurn(cell)) return;
    if (cell.queue.length === 0 && !(probe && !cell.behavior)) return;
    if (cell.inflight.size >= cell.pipelineDepth()) return;
    if (cell.state === "waiting" || cell.state === "restarting" || cell.state === "degraded" || cell.state === "stopped") return;
    cell.running = true;
    cell.turnDone = this.turn(cell).finally(() => {
      cell.running = false;
      if (cell.queue.length > 0) queueMicrotask(() => this.pump(cell));
    });
  }

  private async turn(cell: Cell): Promise<void> {
    const isolated = cell.isolation.length > 0;
    const batch = cell.queue.splice(0, cell.nextBatchSize());
    const turn = ++cell.turns;
    const started = performance.now();
    if (isolated) cell.isolating += 1;
    const settledIsolation = () => isolated && (cell.isolating -= 1);
    let committed: Promise<Outcome[]>;
    try {
      if (!cell.behavior) {
        cell.behavior = await cell.kind.create(this.deps.context(cell));
        cell.dependencyWaits = 0;
      }
      cell.state = "active";
      if (batch.length === 0) return void cell.armIdle(cell.kind.idleMs ?? this.deps.idleMs, this.deps.log);
      ({ committed } = await decideBatch(cell.kind, cell.behavior, cell.address, batch));
    } catch (error) {
      settledIsolation();
      return failed(this.deps.recovery, cell, turn, batch, error);
    }
    this.deps.metrics.turnSeconds.observe({ domain: cell.domain }, (performance.now() - started) / 1000);
    const settled = committed.then(
      (outcomes) => {
        // replies and acks go out while the next turn runs: the effects are committed, so a
        // lost ack only means a redelivery that the journal answers with the same outcome
        this.track(this.finish(cell, batch, outcomes));
        cell.attempts.clear();
        cell.dependencyWaits = 0;
        settledIsolation();
      },
      (error) => {
        settledIsolation();
        failed(this.deps.recovery, cell, turn, batch, error);
      },
    );
    cell.inflight.add(settled);
    void settled.finally(() => {
      cell.inflight.delete(settled);
      this.pump(cell);
    });
    cell.armIdle(cell.kind.idleMs ?? this.deps.idleMs, this.deps.log);
  }

  private track(work: Promise<void>) {
    const tracked = work.catch((error) => this.deps.log.warn("reply or ack failed; the message will be redelivered", { error }));
    this.finishing.add(tracked);
    void tracked.finally(() => this.finishing.delete(tracked));
  }

  private async finish(cell: Cell, batch: Delivery[], outcomes: Outcome[]) {
    await Promise.all(
      batch.map((d, i) => {
        this.deps.metrics.turnMessages.inc({ domain: cell.domain, result: outcomes[i]!.ok ? "ok" : "refused" });
        return d.envelope.replyTo ? this.deps.outlet.reply(d.envelope.replyTo, { inReplyTo: d.envelope.id, outcome: outcomes[i]! }) : undefined;
      }),
    );
    await this.deps.acks.ack(
      cell.address,
      batch.map((d) => d.streamId),
    );
  }
}
