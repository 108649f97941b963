import type { Holder, Lease, LeaseStore, Member } from "../actors/runtime/leases.ts";
import type { Logger } from "../actors/runtime/log.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";

/** What a LeasedPlacement is given, its timings, and the rules of joining and of lease expiry. */

export type LeasedPlacementOptions = {
  system: ActorSystem;
  leases: LeaseStore;
  log: Logger;
  /** this node's name (NODE_ID) */
  node: string;
  /** how long a lease lives unless renewed; renewed every third of it */
  ttlMs: number;
  /** the brands to place (the catalog's), and a way to hear that they changed */
  brands(): string[];
  onBrandsChange(listener: () => void): () => void;
  /** a brand's shard is closed once its actors left this node */
  closeShard?(brand: string): void;
  /** counted per change: acquired, released (handed over), lost (not renewed in time) */
  counted?(change: "acquired" | "released" | "lost"): void;
};

export type Held = { lease: Lease; validUntil: number; addresses: string[] };

/** A round meant for a lease's expiry runs this long after it, so Redis has let it go. */
export const EXPIRY_MARGIN_MS = 10;

/** While renewals fail (Redis away), how soon the next one is tried. */
export const RETRY_RENEWAL_MS = 100;

/** Units taken in parallel in one balance round (a node starting alone takes every brand). */
export const TAKES_AT_ONCE = 8;

/**
 * Join the membership; a node restarted under the same name waits for its former run's
 * membership to expire, and a live namesake is refused.
 */
export async function joinAsOnly(leases: LeaseStore, member: () => Member, ttlMs: number, node: string): Promise<void> {
  const deadline = performance.now() + 2 * ttlMs + 500;
  while (!(await leases.join(member(), ttlMs))) {
    if (performance.now() > deadline) throw new Error(`another running node is named ${node}: give every node a NODE_ID of its own`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, ttlMs / 10)));
  }
}

/**
 * When a round should run for another node's lease about to run out (in ms from now), if
 * any. A lease renewed on time never has less than two thirds of its life left at a round;
 * one about to run out before the next round is one its holder stopped renewing (it died): a
 * round right at its expiry takes the unit over a lease time after the last renewal, not up to
 * a round later.
 */
export function expiryRoundIn(leases: Map<string, Lease>, self: Holder, ttlMs: number): number | undefined {
  const others = [...leases.values()].filter((l) => l.node !== self.node || l.instance !== self.instance);
  const soonest = Math.min(...others.map((l) => l.expiresInMs));
  return soonest < ttlMs / 3 ? soonest : undefined;
}
