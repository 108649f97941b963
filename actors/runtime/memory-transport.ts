import type { DeadLetter, Delivery, Envelope, ReplayedBy, ReplyEnvelope } from "./envelope.ts";
import { copyValue } from "./redis-codec.ts";
import type { Consumer, DeliveryHandler, MailboxStats, MailboxTransport, TransportLimits } from "./transport.ts";

type Entry = { seq: number; streamId: string; envelope: Envelope };
type Pending = { entry: Entry; consumer: string; deliveryCount: number; deliveredAt: number };

class Mailbox {
  entries: Entry[] = [];
  nextSeq = 1;
  /** highest seq handed to a consumer */
  delivered = 0;
  pending = new Map<string, Pending>();
  dead: DeadLetter[] = [];
}

/** In-process mailboxes with the same semantics as the Redis transport (one consumer group). */
export class MemoryTransport implements MailboxTransport {
  readonly kind = "memory" as const;
  private boxes = new Map<string, Mailbox>();
  private consumers = new Map<string, MemoryConsumer>();
  private inboxes = new Map<string, Set<(r: ReplyEnvelope) => void>>();
  private now: () => number;

  constructor(
    readonly limits: TransportLimits = { maxDeliveries: 5, claimIdleMs: 30_000 },
    clock: () => number = Date.now,
  ) {
    this.now = clock;
  }

  box(address: string): Mailbox {
    let box = this.boxes.get(address);
    if (!box) this.boxes.set(address, (box = new Mailbox()));
    return box;
  }

  async send(envelope: Envelope): Promise<string> {
    const box = this.box(envelope.to);
    const seq = box.nextSeq++;
    const entry = { seq, streamId: `${seq}-0`, envelope: copyValue(envelope) };
    box.entries.push(entry);
    this.watcherOf(envelope.to)?.schedule(envelope.to);
    return entry.streamId;
  }

  consumer(name: string, handler: DeliveryHandler): Consumer {
    const consumer = new MemoryConsumer(name, this, handler);
    this.consumers.set(name, consumer);
    return consumer;
  }

  forget(consumer: MemoryConsumer) {
    if (this.consumers.get(consumer.name) === consumer) this.consumers.delete(consumer.name);
  }

  watcherOf(address: string): MemoryConsumer | undefined {
    for (const c of this.consumers.values()) if (c.watching.has(address)) return c;
    return undefined;
  }

  /** Hand undelivered entries of `address` to `consumer`. */
  deliverNew(address: string, consumer: MemoryConsumer): Delivery[] {
    const box = this.box(address);
    const out: Delivery[] = [];
    // entries are in seq order: walk back to the first undelivered one, not over the history
    let first = box.entries.length;
    while (first > 0 && box.entries[first - 1]!.seq > box.delivered) first -= 1;
    for (let i = first; i < box.entries.length; i++) {
      const entry = box.entries[i]!;
      box.delivered = entry.seq;
      box.pending.set(entry.streamId, { entry, consumer: consumer.name, deliveryCount: 1, deliveredAt: this.now() });
      out.push({ streamId: entry.streamId, envelope: copyValue(entry.envelope), deliveryCount: 1 });
    }
    return out;
  }

  /** Hand `consumer` its own pending entries again (a restarted consumer under the same name). */
  deliverHistory(address: string, consumer: MemoryConsumer): Delivery[] {
    const box = this.box(address);
    const out: Delivery[] = [];
    const own = [...box.pending.values()].filter((p) => p.consumer === consumer.name);
    for (const p of own.sort((a, b) => a.entry.seq - b.entry.seq)) {
      if (p.deliveryCount >= this.limits.maxDeliveries) {
        this.moveToDead(address, box, p, `delivered ${p.deliveryCount} times without an ack`);
        continue;
      }
      p.deliveryCount += 1;
      p.deliveredAt = this.now();
      out.push({ streamId: p.entry.streamId, envelope: copyValue(p.entry.envelope), deliveryCount: p.deliveryCount });
    }
    return out;
  }

  /** Claim pending entries of other (or dead) consumers idle past `minIdleMs`, dead-lettering past the limit. */
  claim(address: string, consumer: MemoryConsumer, minIdleMs = this.limits.claimIdleMs): Delivery[] {
    const box = this.box(address);
    const out: Delivery[] = [];
    const now = this.now();
    for (const p of [...box.pending.values()].sort((a, b) => a.entry.seq - b.entry.seq)) {
      const ownerAlive = this.consumers.has(p.consumer) && p.consumer === consumer.name;
      if (ownerAlive || now - p.deliveredAt < minIdleMs) continue;
      if (p.deliveryCount >= this.limits.maxDeliveries) {
        this.moveToDead(address, box, p, `delivered ${p.deliveryCount} times without an ack`);
        continue;
      }
      p.consumer = consumer.name;
      p.deliveryCount += 1;
      p.deliveredAt = now;
      out.push({ streamId: p.entry.streamId, envelope: copyValue(p.entry.envelope), deliveryCount: p.deliveryCount });
    }
    return out;
  }

  ack(address: string, streamIds: string[]) {
    const box = this.box(address);
    for (const id of streamIds) box.pending.delete(id);
  }

  private moveToDead(address: string, box: Mailbox, p: Pending, reason: string) {
    box.pending.delete(p.entry.streamId);
    box.dead.push({
      streamId: p.entry.streamId,
      address,
      envelope: p.entry.envelope,
      reason,
      deliveryCount: p.deliveryCount,
      deadAt: this.now(),
    });
  }

  async reply(replyTo: string, reply: ReplyEnvelope): Promise<void> {
    for (const h of this.inboxes.get(replyTo) ?? []) h(copyValue(reply));
  }

  async onReplies(inbox: string, handler: (reply: ReplyEnvelope) => void) {
    let set = this.inboxes.get(inbox);
    if (!set) this.inboxes.set(inbox, (set = new Set()));
    set.add(handler);
    return async () => {
      set.delete(handler);
    };
  }

  async deadLetter(address: string, delivery: Delivery, reason: string): Promise<void> {
    const box = this.box(address);
    const p = box.pending.get(delivery.streamId);
    if (p) this.moveToDead(address, box, { ...p, deliveryCount: delivery.deliveryCount }, reason);
  }

  async keepDeadLetter(address: string, streamId: string, envelope: Envelope, reason: string, deliveryCount: number): Promise<void> {
    this.box(address).dead.push({ streamId, address, envelope: copyValue(envelope), reason, deliveryCount, deadAt: this.now() });
  }

  async deadLetters(address: string, limit = 100): Promise<DeadLetter[]> {
    return this.box(address)
      .dead.slice(0, limit)
      .map((d) => copyValue(d));
  }

  async replayDeadLetter(address: string, streamId: string, by?: ReplayedBy): Promise<boolean> {
    const box = this.box(address);
    const index = box.dead.findIndex((d) => d.streamId === streamId);
    if (index < 0) return false;
    const [dead] = box.dead.splice(index, 1);
    await this.send(by ? { ...dead!.envelope, replayedBy: by } : dead!.envelope);
    return true;
  }

  async stats(address: string): Promise<MailboxStats> {
    const box = this.box(address);
    const lag = box.entries.filter((e) => e.seq > box.delivered).length;
    return { address, length: box.entries.length, pending: box.pending.size, lag, deadLetters: box.dead.length };
  }

  reachable(): boolean {
    return true;
  }

  async trim(address: string): Promise<number> {
    const box = this.box(address);
    let minPending = Infinity;
    for (const p of box.pending.values()) minPending = Math.min(minPending, p.entry.seq);
    const keepFrom = Math.min(minPending, box.delivered + 1);
    const before = box.entries.length;
    box.entries = box.entries.filter((e) => e.seq >= keepFrom);
    return before - box.entries.length;
  }

  async close(): Promise<void> {
    for (const c of [...this.consumers.values()]) await c.stop();
    this.inboxes.clear();
  }
}

class MemoryConsumer implements Consumer {
  readonly watching = new Set<string>();
  private scheduled = new Set<string>();
  private historyDue = new Set<string>();
  private ackedSinceTrim = new Set<string>();
  private stopped = false;
  private reclaimTimer: ReturnType<typeof setInterval>;

  constructor(
    readonly name: string,
    private transport: MemoryTransport,
    private handler: DeliveryHandler,
  ) {
    const every = Math.max(10, Math.floor(transport.limits.claimIdleMs / 2));
    this.reclaimTimer = setInterval(() => void this.tick(), every);
    this.reclaimTimer.unref?.();
  }

  async watch(address: string): Promise<void> {
    if (this.stopped || this.watching.has(address)) return;
    this.watching.add(address);
    this.historyDue.add(address);
    this.schedule(address);
  }

  async unwatch(address: string): Promise<void> {
    this.watching.delete(address);
  }

  schedule(address: string) {
    if (this.stopped || this.scheduled.has(address)) return;
    this.scheduled.add(address);
    queueMicrotask(() => {
      this.scheduled.delete(address);
      if (this.stopped || !this.watching.has(address)) return;
      const history = this.historyDue.delete(address) ? this.transport.deliverHistory(address, this) : [];
      const deliveries = [...history, ...this.transport.deliverNew(address, this)];
      if (deliveries.length > 0) this.handler(address, deliveries);
    });
  }

  async ack(address: string, streamIds: string[]): Promise<void> {
    if (this.stopped) return;
    this.transport.ack(address, streamIds);
    this.ackedSinceTrim.add(address);
  }

  async reclaim(): Promise<number> {
    if (this.stopped) return 0;
    let claimed = 0;
    for (const address of this.watching) {
      const deliveries = this.transport.claim(address, this);
      claimed += deliveries.length;
      if (deliveries.length > 0) this.handler(address, deliveries);
    }
    return claimed;
  }

  async claimNow(addresses: string[]): Promise<number> {
    let claimed = 0;
    for (const address of addresses) {
      if (this.stopped || !this.watching.has(address)) continue;
      const deliveries = this.transport.claim(address, this, 0);
      claimed += deliveries.length;
      if (deliveries.length > 0) this.handler(address, deliveries);
    }
    return claimed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reclaimTimer);
    this.transport.forget(this);
  }

  /** The periodic work: reclaim, then trim the mailboxes that saw acks (not on every ack). */
  private async tick() {
    await this.reclaim();
    const acked = [...this.ackedSinceTrim];
    this.ackedSinceTrim.clear();
    for (const address of acked) await this.transport.trim(address);
  }
}
