import type { ActorKind, Behavior } from "./actor.ts";
import type { Delivery } from "./envelope.ts";
import type { Logger } from "./log.ts";
import { decide, type SupervisionPolicy } from "./supervision.ts";

/**
 * `waiting`: a dependency (PostgreSQL, Redis) failed under the actor; it retries shortly,
 * answering asks `unavailable` meanwhile. `restarting` and `degraded` follow crashes of its code.
 */
export type CellState = "idle" | "active" | "passivated" | "waiting" | "restarting" | "degraded" | "stopped";

export type ActorStatus = {
  address: string;
  domain: string;
  brand: string | null;
  state: CellState;
  queued: number;
  restarts: number;
  degradedUntil: number | null;
  lastError: string | undefined;
};

/** The runtime's record of one hosted address: its local queue and its supervision state. */
export class Cell {
  state: CellState = "idle";
  queue: Delivery[] = [];
  behavior: Behavior | undefined;
  running = false;
  /** a turn is to be tried at the end of this tick (asks delivered in process gather first) */
  pumpDue = false;
  /** being unhosted: takes no delivery and no new turn, finishes what runs */
  leaving = false;
  /** times of restarts, for the intensity window */
  restartTimes: number[] = [];
  totalRestarts = 0;
  degradedUntil = 0;
  lastActivity = Date.now();
  lastError: string | undefined;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** local attempts per stream id, for crashes inside this node */
  attempts = new Map<string, number>();
  /** resolves when the current turn ends (drain) */
  turnDone: Promise<void> = Promise.resolve();
  /** decided batches whose commit has not settled yet (more than one with `pipeline`) */
  inflight = new Set<Promise<void>>();
  /** turns numbered in the order their batches were taken */
  turns = 0;
  /** batches whose turn or commit failed, gathered until the instance is replaced */
  failed: { turn: number; batch: Delivery[] }[] = [];
  /** the first of those failures: the cause, the later ones failed behind it */
  cause: unknown;
  /** dependency failures in a row, for the backoff of the next retry */
  dependencyWaits = 0;
  /**
   * sizes of the next turns while a batch that failed on one of its messages is split to
   * find it (each half taken alone, one commit at a time)
   */
  isolation: number[] = [];
  /** isolated turns taken and not yet settled */
  isolating = 0;
  /** replacing the instance after a crash: set from the first failure until the batches are queued again */
  recovery: Promise<void> | undefined;

  constructor(
    readonly address: string,
    readonly domain: string,
    readonly brand: string | null,
    readonly kind: ActorKind,
  ) {}

  /** Resolves once no turn runs and no commit is in flight. */
  async settled(): Promise<void> {
    while (this.running || this.inflight.size > 0) await Promise.allSettled([this.turnDone, ...this.inflight]);
  }

  /** Drop the instance after `ms` without a turn; its mailbox stays watched and the next message wakes it. */
  armIdle(ms: number, log: Logger) {
    this.lastActivity = Date.now();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.passivate(log), ms);
    this.idleTimer.unref?.();
  }

  private async passivate(log: Logger) {
    this.idleTimer = undefined;
    if (this.running || this.inflight.size > 0 || this.queue.length > 0 || !this.behavior) return;
    const behavior = this.behavior;
    this.behavior = undefined;
    this.state = "passivated";
    await behavior.passivate?.().catch((error) => log.warn("passivate failed", { address: this.address, error }));
  }

  /** Stop its timers and let its instance go (passivated; a failure to passivate is logged, or thrown without a log). */
  async dropInstance(log?: Logger): Promise<void> {
    this.clearTimers();
    const behavior = this.behavior;
    this.behavior = undefined;
    const passivated = behavior?.passivate?.();
    if (log) await passivated?.catch((error) => log.warn("passivate failed", { address: this.address, error }));
    else await passivated;
  }

  clearTimers() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.idleTimer = undefined;
    this.restartTimer = undefined;
  }

  /** Turns in flight at once: one while a failing message is being isolated. */
  pipelineDepth(): number {
    return this.isolation.length > 0 || this.isolating > 0 ? 1 : (this.kind.pipeline ?? 1);
  }

  /** The size of the next turn's batch. */
  nextBatchSize(): number {
    const most = this.kind.maxBatch ?? 1;
    const isolated = this.isolation.shift();
    return isolated === undefined ? most : Math.min(isolated, most);
  }

  /** Note a crash under `policy`: restarting after a backoff, or degraded past the intensity. Returns the wait. */
  noteCrash(policy: SupervisionPolicy, now: number): number {
    const decision = decide(policy, this.restartTimes, now);
    this.restartTimes = [...this.restartTimes.filter((t) => now - t < policy.periodMs), now];
    this.totalRestarts += 1;
    if (decision.action === "restart") {
      this.state = "restarting";
      return decision.delayMs;
    }
    this.state = "degraded";
    this.degradedUntil = now + decision.retryAfterMs;
    return decision.retryAfterMs;
  }

  status(): ActorStatus {
    return {
      address: this.address,
      domain: this.domain,
      brand: this.brand,
      state: this.state,
      queued: this.queue.length,
      restarts: this.totalRestarts,
      degradedUntil: this.state === "degraded" ? this.degradedUntil : null,
      lastError: this.lastError,
    };
  }
}
