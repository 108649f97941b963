/**
 * Membership and leases of a cluster of nodes: which node serves which placement unit (a
 * brand's actors, or the global ones). Redis in production (`redis-leases.ts`), in memory
 * for tests of placement in one process. A lease is a key per unit holding its holder with
 * a time to live: taken only when free, renewed and released only by the process that holds
 * it, so two processes never both hold a unit in the store's eyes; what a paused former
 * holder may still do is fenced by the writers themselves (the wallet's epoch).
 */

/** A node process: its name (NODE_ID) and a token of this run of it. */
export type Holder = { node: string; instance: string };

/** A unit's lease as read back. */
export type Lease = Holder & { unit: string; grantedAt: number; expiresInMs: number };

/** A live member: a node that renews its membership; `draining` ones hand their units over and take none. */
export type Member = Holder & { draining: boolean; joinedAt: number };

/** A change every node hears about at once, so it need not wait for its next balance round. */
export type PlacementChange = {
  kind: "joined" | "left" | "draining" | "acquired" | "released" | "lost";
  node: string;
  unit?: string;
};

export interface LeaseStore {
  readonly kind: "memory" | "redis";
  /** Join, or renew membership (with `draining` as given); false while another live instance holds the name. */
  join(member: Member, ttlMs: number): Promise<boolean>;
  leave(holder: Holder): Promise<void>;
  /** Live members (their membership not expired), by node name. */
  members(): Promise<Member[]>;
  /** Take the unit if nobody holds it: the lease, or null. */
  acquire(unit: string, holder: Holder, ttlMs: number): Promise<Lease | null>;
  /** Extend these leases, each only if `lease` still holds it; true per lease renewed. */
  renew(leases: Lease[], ttlMs: number): Promise<boolean[]>;
  /** Give the unit up, only if `lease` still holds it. */
  release(lease: Lease): Promise<boolean>;
  /** The current leases of these units (a unit nobody holds is absent). */
  leases(units: string[]): Promise<Map<string, Lease>>;
  announce(change: PlacementChange): Promise<void>;
  /** Hear every node's announcements (this node's own included). Returns the unsubscribe. */
  onChange(listener: (change: PlacementChange) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A lease's stored value: holder and grant time, compared whole on renew and release. */
export function leaseValue(lease: Pick<Lease, "node" | "instance" | "grantedAt">): string {
  return `${lease.node}/${lease.instance}/${lease.grantedAt}`;
}

export function parseLease(unit: string, value: string, expiresInMs: number): Lease | undefined {
  const [node, instance, grantedAt] = value.split("/");
  if (!node || !instance || !grantedAt) return undefined;
  return { unit, node, instance, grantedAt: Number(grantedAt), expiresInMs };
}

/** A membership's stored value. */
export function memberValue(member: Member): string {
  return `${member.instance}/${member.draining ? 1 : 0}/${member.joinedAt}`;
}

export function parseMember(node: string, value: string): Member | undefined {
  const [instance, draining, joinedAt] = value.split("/");
  if (!instance || draining === undefined || !joinedAt) return undefined;
  return { node, instance, draining: draining === "1", joinedAt: Number(joinedAt) };
}

type Expiring = { value: string; expiresAt: number };

/**
 * Leases in one process's memory, with the Redis store's semantics, for placement tests
 * that run several nodes side by side. `now` can be moved by a test.
 */
export class MemoryLeases implements LeaseStore {
  readonly kind = "memory" as const;
  private units = new Map<string, Expiring>();
  private memberships = new Map<string, Expiring>();
  private listeners = new Set<(change: PlacementChange) => void>();

  constructor(private now: () => number = Date.now) {}

  async join(member: Member, ttlMs: number): Promise<boolean> {
    const current = this.live(this.memberships, member.node);
    if (current && parseMember(member.node, current)?.instance !== member.instance) return false;
    this.memberships.set(member.node, { value: memberValue(member), expiresAt: this.now() + ttlMs });
    return true;
  }

  async leave(holder: Holder): Promise<void> {
    const current = this.live(this.memberships, holder.node);
    if (current && parseMember(holder.node, current)?.instance === holder.instance) this.memberships.delete(holder.node);
  }

  async members(): Promise<Member[]> {
    const out: Member[] = [];
    for (const node of [...this.memberships.keys()].sort()) {
      const value = this.live(this.memberships, node);
      const member = value && parseMember(node, value);
      if (member) out.push(member);
    }
    return out;
  }

  async acquire(unit: string, holder: Holder, ttlMs: number): Promise<Lease | null> {
    if (this.live(this.units, unit)) return null;
    const lease = { unit, ...holder, grantedAt: this.now(), expiresInMs: ttlMs };
    this.units.set(unit, { value: leaseValue(lease), expiresAt: this.now() + ttlMs });
    return lease;
  }

  async renew(leases: Lease[], ttlMs: number): Promise<boolean[]> {
    return leases.map((lease) => {
      if (this.live(this.units, lease.unit) !== leaseValue(lease)) return false;
      this.units.set(lease.unit, { value: leaseValue(lease), expiresAt: this.now() + ttlMs });
      return true;
    });
  }

  async release(lease: Lease): Promise<boolean> {
    if (this.live(this.units, lease.unit) !== leaseValue(lease)) return false;
    this.units.delete(lease.unit);
    return true;
  }

  async leases(units: string[]): Promise<Map<string, Lease>> {
    const out = new Map<string, Lease>();
    for (const unit of units) {
      const value = this.live(this.units, unit);
      const lease = value && parseLease(unit, value, this.units.get(unit)!.expiresAt - this.now());
      if (lease) out.set(unit, lease);
    }
    return out;
  }

  async announce(change: PlacementChange): Promise<void> {
    for (const listener of this.listeners) queueMicrotask(() => listener({ ...change }));
  }

  async onChange(listener: (change: PlacementChange) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private live(map: Map<string, Expiring>, key: string): string | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    map.delete(key);
    return undefined;
  }
}
