/**
 * A map that forgets what was not used for a while, at O(1) per operation: entries live in
 * a current and a previous generation; reading an old entry brings it to the current one,
 * and `rotate` (called between turns, never during one) drops the previous generation once
 * the current one is full.
 *
 * It sits on the wallet's hot path (several lookups per bet in maps of 10^5 entries), so each
 * operation does as few lookups as it can: values are never `undefined` (a miss is), and a
 * value set in the current generation shadows an older copy in the previous one, which the
 * next rotation drops, instead of deleting that copy at once.
 */
export class RecentMap<K, V extends NonNullable<unknown> | null> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly generationSize: number) {}

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const old = this.previous.get(key);
    if (old !== undefined) this.current.set(key, old);
    return old;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    this.current.set(key, value);
    return this;
  }

  delete(key: K): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  rotate(): void {
    if (this.current.size < this.generationSize) return;
    this.previous = this.current;
    this.current = new Map();
  }
}
