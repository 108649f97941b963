/**
 * A map that forgets what was not used for a while, at O(1) per operation: entries live in
 * a current and a previous generation; reading an old entry brings it to the current one,
 * and `rotate` (called between turns, never during one) drops the previous generation once
 * the current one is full.
 */
export class RecentMap<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly generationSize: number) {}

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined || this.current.has(key)) return value;
    if (!this.previous.has(key)) return undefined;
    const old = this.previous.get(key) as V;
    this.previous.delete(key);
    this.current.set(key, old);
    return old;
  }

  has(key: K): boolean {
    if (this.current.has(key)) return true;
    if (!this.previous.has(key)) return false;
    this.get(key);
    return true;
  }

  set(key: K, value: V): this {
    this.previous.delete(key);
    this.current.set(key, value);
    return this;
  }

  delete(key: K): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  rotate(): void {
    if (this.current.size < this.generationSize) return;
    this.previous = this.current;
    this.current = new Map();
  }
}
