import type { StreamReader, StreamReaderOptions } from "./redis-reader.ts";

export type ReaderHooks = Pick<StreamReaderOptions, "delivered" | "beforeRead">;

export type ReaderPoolOptions = {
  /** streams one cold reader serves before another is opened */
  keysPerReader: number;
  /** streams the hot reader serves; the least recently busy one goes back when it is full */
  hotKeys: number;
  /** a cold stream delivering twice within this window moves to the hot reader */
  promoteWithinMs: number;
  /** a hot stream idle this long goes back to a cold reader */
  demoteAfterMs: number;
  open(index: number, hooks: ReaderHooks): StreamReader;
};

/**
 * The readers of one consumer. Every watched stream sits in exactly one reader: idle ones in
 * a few cold readers of up to `keysPerReader` streams (an XREADGROUP over 1,000 keys costs
 * about a millisecond, paid only when one of them has traffic), busy ones in a small hot
 * reader whose read stays cheap. Streams move only while their reader is between reads.
 */
export class ReaderPool {
  private cold: StreamReader[] = [];
  private hot: StreamReader | undefined;
  private home = new Map<string, StreamReader>();
  private lastColdDelivery = new Map<string, number>();
  /** hot streams by last delivery, least recent first */
  private hotUse = new Map<string, number>();
  /** readers opened so far; reader i uses control stream i */
  opened = 0;
  private hooks: ReaderHooks = {
    delivered: (reader, key, history) => this.delivered(reader, key, history),
    beforeRead: (reader) => this.beforeRead(reader),
  };

  constructor(private options: ReaderPoolOptions) {}

  get connections(): number {
    return this.cold.length + (this.hot ? 1 : 0);
  }

  add(key: string) {
    if (this.home.has(key)) return;
    const reader = this.roomyCold();
    this.home.set(key, reader);
    reader.add(key);
  }

  remove(key: string) {
    this.home.get(key)?.remove(key);
    this.home.delete(key);
    this.lastColdDelivery.delete(key);
    this.hotUse.delete(key);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.cold, ...(this.hot ? [this.hot] : [])].map((r) => r.stop()));
  }

  private delivered(reader: StreamReader, key: string, history: boolean) {
    if (history || this.home.get(key) !== reader) return;
    const now = Date.now();
    if (reader === this.hot) {
      this.hotUse.delete(key);
      this.hotUse.set(key, now);
      return;
    }
    const before = this.lastColdDelivery.get(key);
    this.lastColdDelivery.set(key, now);
    if (before === undefined || now - before > this.options.promoteWithinMs) return;
    this.lastColdDelivery.delete(key);
    this.hot ??= this.open();
    this.move(key, reader, this.hot);
    this.hotUse.set(key, now);
  }

  private beforeRead(reader: StreamReader) {
    if (reader !== this.hot) return;
    const now = Date.now();
    for (const [key, used] of this.hotUse) {
      if (this.hotUse.size <= this.options.hotKeys && now - used < this.options.demoteAfterMs) break;
      this.hotUse.delete(key);
      this.move(key, reader, this.roomyCold());
    }
  }

  private move(key: string, from: StreamReader, to: StreamReader) {
    from.release(key);
    to.add(key, ">");
    this.home.set(key, to);
  }

  private roomyCold(): StreamReader {
    const roomy = this.cold.find((r) => r.size < this.options.keysPerReader);
    if (roomy) return roomy;
    const reader = this.open();
    this.cold.push(reader);
    return reader;
  }

  private open(): StreamReader {
    const reader = this.options.open(this.opened++, this.hooks);
    reader.start();
    return reader;
  }
}
