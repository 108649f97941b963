import {
  DEFAULT_EVENT_LIMITS,
  type DomainEvent,
  deadEventOf,
  type EventBus,
  type EventBusLimits,
  type EventDeadLetter,
  type EventHandler,
  encodeEvent,
  type SubscribeOptions,
  type Subscription,
  streamOf,
  subscriptionLimits,
} from "./event-bus.ts";
import { consume, type GroupReader, type StreamEntry } from "./event-consume.ts";
import { createLogger, type Logger } from "./log.ts";

type Entry = { seq: number; data: string };
type Pending = { consumer: string; deliveryCount: number; deliveredAt: number };
type Group = { delivered: number; pending: Map<number, Pending> };

class MemoryStream {
  entries: Entry[] = [];
  nextSeq = 1;
  groups = new Map<string, Group>();
  dead: EventDeadLetter[] = [];

  group(name: string): Group {
    let g = this.groups.get(name);
    // a group created on a stream starts at its oldest retained entry, as with Redis ("0")
    if (!g) this.groups.set(name, (g = { delivered: 0, pending: new Map() }));
    return g;
  }
}

const entryId = (seq: number) => `${seq}-0`;
const seqOf = (id: string) => Number(id.split("-")[0]);

/**
 * In-process event streams with the Redis bus's semantics: per-group cursors, pending
 * entries per consumer, claim of idle pending after `claimIdleMs`, dead letters, trimming
 * only below every group's oldest unacknowledged entry. Events are stored encoded, so a
 * consumer sees exactly what it would get from Redis.
 */
export class MemoryEventBus implements EventBus {
  readonly kind = "memory" as const;
  readonly limits: EventBusLimits;
  private streams = new Map<string, MemoryStream>();
  private wakers = new Set<() => void>();
  private subscriptions = new Set<Subscription>();
  private log: Logger;
  private trimTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: { limits?: Partial<EventBusLimits>; log?: Logger; trimEveryMs?: number } = {}) {
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...options.limits };
    this.log = options.log ?? createLogger("silent");
    const trimEveryMs = options.trimEveryMs ?? 60_000;
    if (trimEveryMs > 0) {
      this.trimTimer = setInterval(() => void this.trim(), trimEveryMs);
      this.trimTimer.unref?.();
    }
  }

  async publish(events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      const key = streamOf(event.brand);
      let stream = this.streams.get(key);
      if (!stream) this.streams.set(key, (stream = new MemoryStream()));
      stream.entries.push({ seq: stream.nextSeq++, data: encodeEvent(event) });
    }
    for (const wake of [...this.wakers]) wake();
  }

  async subscribe(group: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    const reader = new MemoryGroupReader(this, group, crypto.randomUUID());
    const sub = consume(reader, handler, { group, types: options.types, limits: subscriptionLimits(this.limits, options), blockMs: 5000, log: this.log });
    this.subscriptions.add(sub);
    return {
      stop: async () => {
        this.subscriptions.delete(sub);
        await sub.stop();
      },
    };
  }

  async stats(group: string) {
    let pending = 0;
    let deadLetters = 0;
    for (const s of this.streams.values()) {
      pending += s.groups.get(group)?.pending.size ?? 0;
      deadLetters += s.dead.filter((d) => d.group === group).length;
    }
    return { pending, deadLetters };
  }

  async deadLetters(group: string, limit = 100): Promise<EventDeadLetter[]> {
    const all = [...this.streams.values()].flatMap((s) => s.dead.filter((d) => d.group === group));
    return structuredClone(all.sort((a, b) => a.deadAt - b.deadAt).slice(0, limit));
  }

  async trim(): Promise<number> {
    let removed = 0;
    for (const stream of this.streams.values()) {
      if (stream.groups.size === 0) continue;
      let keepFrom = Infinity;
      for (const g of stream.groups.values()) {
        keepFrom = Math.min(keepFrom, g.delivered + 1, ...[...g.pending.keys()]);
      }
      const before = stream.entries.length;
      stream.entries = stream.entries.filter((e) => e.seq >= keepFrom);
      removed += before - stream.entries.length;
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.trimTimer) clearInterval(this.trimTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
  }

  /** For readers: the streams, and a way to wait for the next publish. */
  allStreams(): [string, MemoryStream][] {
    return [...this.streams];
  }

  onPublish(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }
}

class MemoryGroupReader implements GroupReader {
  private closed = false;
  private wakeNow: (() => void) | undefined;

  constructor(
    private bus: MemoryEventBus,
    private group: string,
    private consumer: string,
  ) {}

  async read(count: number, blockMs: number): Promise<StreamEntry[]> {
    const found = this.takeNew(count);
    if (found.length > 0 || this.closed) return found;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, blockMs);
      const unsubscribe = this.bus.onPublish(done);
      this.wakeNow = done;
      function done() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    this.wakeNow = undefined;
    return this.closed ? [] : this.takeNew(count);
  }

  private takeNew(count: number): StreamEntry[] {
    const out: StreamEntry[] = [];
    const now = Date.now();
    for (const [key, stream] of this.bus.allStreams()) {
      const g = stream.group(this.group);
      let taken = 0;
      for (const entry of stream.entries) {
        if (entry.seq <= g.delivered) continue;
        if (taken++ >= count) break;
        g.delivered = entry.seq;
        g.pending.set(entry.seq, { consumer: this.consumer, deliveryCount: 1, deliveredAt: now });
        out.push({ stream: key, entryId: entryId(entry.seq), data: entry.data, deliveryCount: 1 });
      }
    }
    return out;
  }

  async claim(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    const now = Date.now();
    for (const [key, stream] of this.bus.allStreams()) {
      const g = stream.groups.get(this.group);
      if (!g) continue;
      const bySeq = new Map(stream.entries.map((e) => [e.seq, e]));
      for (const [seq, p] of [...g.pending].sort((a, b) => a[0] - b[0]).slice(0, count)) {
        if (now - p.deliveredAt < minIdleMs) continue;
        const entry = bySeq.get(seq);
        if (!entry) {
          g.pending.delete(seq);
          continue;
        }
        Object.assign(p, { consumer: this.consumer, deliveryCount: p.deliveryCount + 1, deliveredAt: now });
        out.push({ stream: key, entryId: entryId(seq), data: entry.data, deliveryCount: p.deliveryCount });
      }
    }
    return out;
  }

  async ack(stream: string, entryIds: string[]): Promise<void> {
    const g = this.streamNamed(stream)?.groups.get(this.group);
    for (const id of entryIds) g?.pending.delete(seqOf(id));
  }

  async deadLetter(entry: StreamEntry, group: string, reason: string): Promise<void> {
    const stream = this.streamNamed(entry.stream);
    if (!stream) return;
    const event = deadEventOf(entry.entryId, entry.data);
    stream.dead.push({ stream: entry.stream, entryId: entry.entryId, group, event, reason, deliveryCount: entry.deliveryCount, deadAt: Date.now() });
    stream.groups.get(group)?.pending.delete(seqOf(entry.entryId));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeNow?.();
  }

  private streamNamed(key: string): MemoryStream | undefined {
    return this.bus.allStreams().find(([k]) => k === key)?.[1];
  }
}
