/** How many times a key was hit in its current window, and when that window ends. */
export type AttemptWindow = { count: number; resetInMs: number };

const EMPTY: AttemptWindow = { count: 0, resetInMs: 0 };

/**
 * Counters in fixed windows, for the sign-in throttle and the edges' rate limits: a key's
 * window starts at its first hit and lasts `windowMs`; later hits count within it. Shared by
 * every node through Redis (redis-attempts.ts), or held by one node in memory.
 */
export interface AttemptCounter {
  /** add `by` (1 by default; -1 takes one back) and answer the window; a count down to 0 ends it */
  hit(key: string, windowMs: number, by?: number): Promise<AttemptWindow>;
  /** the windows of `keys`, in order; a key never hit (or expired) counts 0 */
  peek(keys: readonly string[]): Promise<AttemptWindow[]>;
  clear(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** One node's counters; expired windows are swept as new ones are made. */
export class MemoryAttemptCounter implements AttemptCounter {
  private windows = new Map<string, { count: number; endsAt: number }>();
  private hitsSinceSweep = 0;

  constructor(private now: () => number = () => Date.now()) {}

  async hit(key: string, windowMs: number, by = 1): Promise<AttemptWindow> {
    const now = this.now();
    if (++this.hitsSinceSweep >= 1024) this.sweep(now);
    const window = this.live(key, now) ?? { count: 0, endsAt: now + windowMs };
    window.count += by;
    if (window.count <= 0) {
      this.windows.delete(key);
      return EMPTY;
    }
    this.windows.set(key, window);
    return { count: window.count, resetInMs: window.endsAt - now };
  }

  async peek(keys: readonly string[]): Promise<AttemptWindow[]> {
    const now = this.now();
    return keys.map((key) => {
      const live = this.live(key, now);
      return live ? { count: live.count, resetInMs: live.endsAt - now } : EMPTY;
    });
  }

  async clear(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private live(key: string, now: number) {
    const window = this.windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  private sweep(now: number) {
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
