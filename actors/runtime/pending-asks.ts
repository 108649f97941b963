import type { ReplyEnvelope } from "./envelope.ts";
import { fail, type Outcome } from "./errors.ts";

type PendingAsk = { resolve: (o: Outcome) => void; timer: ReturnType<typeof setTimeout> };

/**
 * Asks waiting for their reply, each with its timeout. Two asks may carry the same message id
 * at once (a caller retrying with the same idempotency key before the first answer): the reply
 * to that id answers both, since the actor answers a repeated id with the same outcome.
 */
export class PendingAsks {
  private waiting = new Map<string, PendingAsk[]>();

  /** The reply to message `id`, or a `timeout` outcome after `timeoutMs`. */
  expect(id: string, timeoutMs: number, onTimeout: () => Outcome): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const ask: PendingAsk = {
        resolve,
        timer: setTimeout(() => {
          this.forget(id, ask);
          resolve(onTimeout());
        }, timeoutMs),
      };
      const asks = this.waiting.get(id);
      if (asks) asks.push(ask);
      else this.waiting.set(id, [ask]);
    });
  }

  /** Answer the asks waiting for `reply.inReplyTo`; false when none waits (answered, timed out, or another node's). */
  settle(reply: ReplyEnvelope): boolean {
    const asks = this.waiting.get(reply.inReplyTo);
    if (!asks) return false;
    this.waiting.delete(reply.inReplyTo);
    for (const ask of asks) {
      clearTimeout(ask.timer);
      ask.resolve(reply.outcome);
    }
    return true;
  }

  /** Whether an ask waits for the reply to message `id`. */
  waits(id: string): boolean {
    return this.waiting.has(id);
  }

  /** Answer every waiting ask with `outcome` (the node is going away). */
  abandon(message: string): void {
    for (const asks of this.waiting.values()) {
      for (const ask of asks) {
        clearTimeout(ask.timer);
        ask.resolve(fail("unavailable", message));
      }
    }
    this.waiting.clear();
  }

  private forget(id: string, ask: PendingAsk): void {
    const asks = this.waiting.get(id)?.filter((a) => a !== ask);
    if (!asks || asks.length === 0) this.waiting.delete(id);
    else this.waiting.set(id, asks);
  }
}
