/**
 * Runs a round of work one at a time, on demand: a request while a round runs is served by
 * one more round after it (however many requests came meanwhile), so a burst of requests
 * costs at most two rounds. A request can also be timed (`at`), the latest replacing any
 * earlier one.
 */
export class SerialRounds {
  private running: Promise<void> | undefined;
  private next: PromiseWithResolvers<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private round: () => Promise<void>,
    private failed: (error: unknown) => void,
  ) {}

  /** A round soon: resolves once a round that started after this call is done. */
  soon(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.next ??= Promise.withResolvers<void>();
      return this.next.promise;
    }
    const round = this.round()
      .catch(this.failed)
      .finally(() => {
        this.running = undefined;
        const next = this.next;
        this.next = undefined;
        if (next) void this.soon().then(next.resolve);
      });
    this.running = round;
    return round;
  }

  /** A round in `ms`, instead of any timed one still waiting. */
  at(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.soon(), ms);
    this.timer.unref?.();
  }

  /** Resolves once no round runs (one may still follow if requested meanwhile). */
  async settled(): Promise<void> {
    await this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
