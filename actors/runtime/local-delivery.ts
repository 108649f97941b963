import type { Delivery, Envelope, ReplyEnvelope } from "./envelope.ts";
import type { PendingAsks } from "./pending-asks.ts";
import { copyValue } from "./redis-codec.ts";
import { sendFailure } from "./refusals.ts";
import type { Acknowledger, Consumer, MailboxTransport, TurnOutlet } from "./transport.ts";

/** Stream ids of deliveries handed over in process start so; a mailbox's ids never do. */
const LOCAL = "local:";

export const isLocal = (delivery: Delivery): boolean => delivery.streamId.startsWith(LOCAL);

/**
 * Asks to an actor hosted on this node, delivered in process: no mailbox entry and no round
 * trip to Redis. What makes that safe is what makes a mailbox safe for asks: the asker waits
 * for the reply (sent only after the commit) or times out, and a retry with the same message
 * id is answered from the actor's journal; a durable entry would add nothing an ask needs.
 * Tells, and asks to actors elsewhere, still go through the mailbox.
 *
 * A local delivery lives in its actor's queue like one read from the mailbox, so admission
 * (overloaded, unavailable, degraded), batching, crash recovery and poison isolation treat it
 * alike. Its replies settle the waiting ask here; it has nothing to acknowledge; dead-lettered,
 * it is kept in the dead-letter stream with its envelope; an actor leaving this node forwards
 * what it had not taken to the mailbox, for the next host.
 */
export class LocalDelivery {
  private sequence = 0;
  private readonly run = crypto.randomUUID().slice(0, 8);
  readonly outlet: TurnOutlet;

  constructor(
    private readonly transport: MailboxTransport,
    private readonly inbox: string,
    private readonly asks: PendingAsks,
  ) {
    this.outlet = {
      limits: transport.limits,
      reply: (replyTo, reply) => this.reply(replyTo, reply),
      deadLetter: (address, delivery, reason) =>
        isLocal(delivery)
          ? transport.keepDeadLetter(address, delivery.streamId, delivery.envelope, reason, delivery.deliveryCount)
          : transport.deadLetter(address, delivery, reason),
    };
  }

  /**
   * The delivery of an ask made on this node; the actor gets its own copy, as from a mailbox.
   * Throws what encoding it for a mailbox would (a value nested too deep).
   */
  delivery(envelope: Envelope): Delivery {
    return { streamId: `${LOCAL}${this.run}-${++this.sequence}`, envelope: copyValue(envelope), deliveryCount: 1 };
  }

  /** Acknowledgements for the mailbox: the deliveries that came from it. */
  acknowledger(consumer: () => Consumer | undefined): Acknowledger {
    return {
      ack: async (address, streamIds) => {
        const fromMailbox = streamIds.filter((id) => !id.startsWith(LOCAL));
        if (fromMailbox.length > 0) await consumer()?.ack(address, fromMailbox);
      },
    };
  }

  /**
   * Local deliveries an actor leaving this node had not taken go to its mailbox, where its
   * next host reads them; the reply comes back through this node's inbox. One that cannot
   * be written is answered as a failed send.
   */
  async forward(deliveries: Delivery[]): Promise<void> {
    const sends = deliveries
      .filter((d) => isLocal(d) && this.asks.waits(d.envelope.id))
      .map(({ envelope }) =>
        this.transport.send(envelope).then(
          () => {},
          (error) => void this.asks.settle({ inReplyTo: envelope.id, outcome: sendFailure(envelope.to, error) }),
        ),
      );
    await Promise.all(sends);
  }

  /** A reply to this node's own inbox settles its ask here; any other goes through the transport. */
  private async reply(replyTo: string, reply: ReplyEnvelope): Promise<void> {
    if (replyTo === this.inbox && this.asks.waits(reply.inReplyTo)) {
      this.asks.settle(copyValue(reply));
      return;
    }
    await this.transport.reply(replyTo, reply);
  }
}
