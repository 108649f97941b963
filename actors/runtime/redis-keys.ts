import { parseAddress } from "./address.ts";

/** The one consumer group every mailbox stream has; nodes are its consumers. */
export const MAILBOX_GROUP = "mailbox";

export type MailboxKeyPair = { stream: string; deadLetters: string };

/**
 * Redis key names. Mailbox keys carry the brand as a hash tag (`mbx:{acme}:wallet`,
 * `mbx:{_global}:catalog`) so a brand's mailboxes and dead letters share a Cluster slot.
 */
export class MailboxKeys {
  private known = new Map<string, MailboxKeyPair>();

  constructor(readonly prefix: string) {}

  of(address: string): MailboxKeyPair {
    let pair = this.known.get(address);
    if (!pair) {
      const { domain, brand } = parseAddress(address);
      const tag = brand ?? "_global";
      pair = { stream: `${this.prefix}mbx:{${tag}}:${domain}`, deadLetters: `${this.prefix}dlq:{${tag}}:${domain}` };
      this.known.set(address, pair);
    }
    return pair;
  }

  /** The stream a consumer's reader also blocks on, so a watch change can wake it. */
  control(consumer: string, reader: number): string {
    return `${this.prefix}ctl:{${consumer}}:${reader}`;
  }

  /** Set while the node `consumer` is alive (it expires a few beats after the node is gone). */
  heartbeat(consumer: string): string {
    return `${this.prefix}node:{${consumer}}`;
  }

  /** Every node that watched mailboxes, with the number of control streams it opened. */
  nodes(): string {
    return `${this.prefix}nodes`;
  }

  replyChannel(inbox: string): string {
    return `${this.prefix}${inbox}`;
  }
}
