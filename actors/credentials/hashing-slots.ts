import { fail, type Outcome } from "../runtime/errors.ts";

/**
 * At most one argon2id hash or verify per core at a time, the rest wait in line. Each one
 * holds 19 MiB while it runs: a storm of a thousand unbounded logins would ask for 19 GB, and
 * more at once than there are cores buys no throughput (bench/login.ts compares both). A line
 * longer than `maxWaiting` is refused at once (503 overloaded) rather than growing without bound.
 */
export class HashingSlots {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private slots = Math.max(1, navigator.hardwareConcurrency),
    private maxWaiting = 512,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<Outcome<T>> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) return fail("overloaded", "too many logins at once; retry in a few seconds");
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    try {
      return { ok: true, value: await work() };
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** The node's line for password hashing. */
export const hashingSlots = new HashingSlots();
