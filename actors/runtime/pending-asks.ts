import type { ReplyEnvelope } from "./envelope.ts";
import { fail, type Outcome } from "./errors.ts";

type PendingAsk = { resolve: (o: Outcome) => void; timer: ReturnType<typeof setTimeout> };

/** Asks waiting for their reply, each with its timeout. */
export class PendingAsks {
  private waiting = new Map<string, PendingAsk>();

  /** The reply to message `id`, or a `timeout` outcome after `timeoutMs`. */
  expect(id: string, timeoutMs: number, onTimeout: () => Outcome): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(onTimeout());
      }, timeoutMs);
      this.waiting.set(id, { resolve, timer });
    });
  }

  settle(reply: ReplyEnvelope): void {
    const ask = this.waiting.get(reply.inReplyTo);
    if (!ask) return;
    clearTimeout(ask.timer);
    this.waiting.delete(reply.inReplyTo);
    ask.resolve(reply.outcome);
  }

  /** Answer every waiting ask with `outcome` (the node is going away). */
  abandon(message: string): void {
    for (const [id, ask] of this.waiting) {
      clearTimeout(ask.timer);
      ask.resolve(fail("unavailable", message));
      this.waiting.delete(id);
    }
  }
}
