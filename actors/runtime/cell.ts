import type { ActorKind, Behavior } from "./actor.ts";
import type { Delivery } from "./envelope.ts";

export type CellState = "idle" | "active" | "passivated" | "restarting" | "degraded" | "stopped";

/** The runtime's record of one hosted address: its local queue and its supervision state. */
export class Cell {
  state: CellState = "idle";
  queue: Delivery[] = [];
  behavior: Behavior | undefined;
  running = false;
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

  constructor(
    readonly address: string,
    readonly domain: string,
    readonly brand: string | null,
    readonly kind: ActorKind,
  ) {}

  clearTimers() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.idleTimer = undefined;
    this.restartTimer = undefined;
  }
}
