import type { Delivery, Envelope, ReplyEnvelope } from "./envelope.ts";
import type { PendingAsks } from "./pending-asks.ts";
import { copyValue } from "./redis-codec.ts";
import { sendFailure } from "./refusals.ts";
import type { Acknowledger, Consumer, MailboxTransport, TurnOutlet } from "./transport.ts";

/** Stream ids of deliveries handed over in process start so; a mailbox's ids never do. */
const LOCAL = "local:";
/** how long a tell on its way through the mailbox holds back asks to its actor, at most */
const TELL_TRANSIT_MS = 30_000;

export const isLocal = (delivery: Delivery): boolean => delivery.streamId.startsWith(LOCAL);

/**
 * Asks to an actor hosted on this node, delivered in process: no mailbox entry and no round
 * trip to Redis. What makes that safe is what makes a mailbox safe for asks: the asker waits
 * for the reply (sent only after the commit) or times out, and a retry with the same message
 * id is answered from the actor's journal; a durable entry would add nothing an ask needs.
 * Tells, and asks to actors elsewhere, still go through the mailbox; an ask never overtakes a
 * tell this node sent the same actor (it follows the tell through the mailbox until it arrived).
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
  /** tells from this node to actors hosted here still on their way through the mailbox: message id -> when sent */
  private readonly tellsInTransit = new Map<string, Map<string, number>>();
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

  /**
   * Send a tell through the mailbox. One to an actor hosted here (`hostedHere`) is noted until
   * it arrives, and asks to that actor go through the mailbox behind it meanwhile (`overtakes`),
   * so what this node sends an actor arrives in the order it was sent.
   */
  async tell(envelope: Envelope, hostedHere: boolean): Promise<void> {
    if (!hostedHere) return void (await this.transport.send(envelope));
    const address = envelope.to;
    let inTransit = this.tellsInTransit.get(address);
    if (!inTransit) this.tellsInTransit.set(address, (inTransit = new Map()));
    inTransit.set(envelope.id, Date.now());
    try {
      await this.transport.send(envelope);
    } catch (error) {
      this.forgetTell(address, envelope.id);
      throw error;
    }
  }

  /** Deliveries read from the mailbox of `address`: the tells among them have arrived. */
  arrived(address: string, deliveries: Delivery[]): void {
    if (!this.tellsInTransit.has(address)) return;
    for (const delivery of deliveries) this.forgetTell(address, delivery.envelope.id);
  }

  /**
   * True while a tell this node sent to `address` has not arrived: an ask delivered in process
   * would overtake it. A tell not seen within TELL_TRANSIT_MS (lost with Redis's data, or read
   * by another node) stops holding asks back.
   */
  overtakes(address: string): boolean {
    const inTransit = this.tellsInTransit.get(address);
    if (!inTransit) return false;
    const stale = Date.now() - TELL_TRANSIT_MS;
    for (const [id, sentAt] of inTransit) if (sentAt < stale) inTransit.delete(id);
    if (inTransit.size === 0) this.tellsInTransit.delete(address);
    return inTransit.size > 0;
  }

  /** The actor left this node: what is on its way is the next host's. */
  left(address: string): void {
    this.tellsInTransit.delete(address);
  }

  private forgetTell(address: string, id: string) {
    const inTransit = this.tellsInTransit.get(address);
    if (!inTransit?.delete(id)) return;
    if (inTransit.size === 0) this.tellsInTransit.delete(address);
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
