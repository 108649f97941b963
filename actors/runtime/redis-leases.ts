import type { Redis } from "ioredis";
import { type Holder, type Lease, type LeaseStore, leaseValue, type Member, memberValue, type PlacementChange, parseLease, parseMember } from "./leases.ts";
import { createLogger, type Logger } from "./log.ts";
import { closeRedis, openRedis } from "./redis-connection.ts";

/** Set the membership unless another instance holds the name. KEYS: membership, member set. ARGV: node, instance, value, ttl. */
const JOIN = `
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^[^/]*') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** KEYS: membership, member set. ARGV: node, instance. */
const LEAVE = `
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^[^/]*') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`;

/**
 * Live members with their values; names whose membership expired leave the set. The
 * membership keys share the set's hash tag. KEYS: member set. ARGV: membership key prefix.
 */
const MEMBERS = `
local out = {}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local value = redis.call('GET', ARGV[1] .. node)
  if value then
    table.insert(out, node)
    table.insert(out, value)
  else
    redis.call('SREM', KEYS[1], node)
  end
end
return out`;

/** Compare-and-set of a lease's time to live. KEYS: lease. ARGV: value, ttl. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Compare-and-delete. KEYS: lease. ARGV: value. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripted = Redis & {
  placementJoin(membership: string, set: string, node: string, instance: string, value: string, ttlMs: number): Promise<number>;
  placementLeave(membership: string, set: string, node: string, instance: string): Promise<number>;
  placementMembers(set: string, membershipPrefix: string): Promise<string[]>;
  placementRenew(lease: string, value: string, ttlMs: number): Promise<number>;
  placementRelease(lease: string, value: string): Promise<number>;
};

export type RedisLeasesOptions = { url: string; keyPrefix?: string; log?: Logger; connectionName?: string };

/**
 * Leases and membership in Redis. A unit's lease is `lease:{unit}` (the unit's hash tag, the
 * slot of its mailboxes under Redis Cluster) holding `node/instance/grantedAt`, taken with
 * SET NX PX, renewed by a compare-and-set script and released by a compare-and-delete.
 * Members are `placement:{members}:<node>` keys with a time to live, listed in the set
 * `placement:{members}`. Changes go out on the pub/sub channel `placement:changed`.
 */
export class RedisLeases implements LeaseStore {
  readonly kind = "redis" as const;
  private readonly commands: Scripted;
  private subscriber: Redis | undefined;
  private listeners = new Set<(change: PlacementChange) => void>();
  private readonly log: Logger;
  private readonly prefix: string;

  constructor(private options: RedisLeasesOptions) {
    this.prefix = options.keyPrefix ?? "";
    this.log = options.log ?? createLogger("silent");
    const redis = this.connect("leases", true);
    redis.defineCommand("placementJoin", { numberOfKeys: 2, lua: JOIN });
    redis.defineCommand("placementLeave", { numberOfKeys: 2, lua: LEAVE });
    redis.defineCommand("placementMembers", { numberOfKeys: 1, lua: MEMBERS });
    redis.defineCommand("placementRenew", { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand("placementRelease", { numberOfKeys: 1, lua: RELEASE });
    this.commands = redis as Scripted;
  }

  async join(member: Member, ttlMs: number): Promise<boolean> {
    return (await this.commands.placementJoin(this.membership(member.node), this.memberSet(), member.node, member.instance, memberValue(member), ttlMs)) === 1;
  }

  async leave(holder: Holder): Promise<void> {
    await this.commands.placementLeave(this.membership(holder.node), this.memberSet(), holder.node, holder.instance);
  }

  async members(): Promise<Member[]> {
    const flat = await this.commands.placementMembers(this.memberSet(), this.membership(""));
    const out: Member[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = parseMember(flat[i]!, flat[i + 1]!);
      if (member) out.push(member);
    }
    return out.sort((a, b) => (a.node < b.node ? -1 : 1));
  }

  async acquire(unit: string, holder: Holder, ttlMs: number): Promise<Lease | null> {
    const lease = { unit, ...holder, grantedAt: Date.now(), expiresInMs: ttlMs };
    const set = await this.commands.set(this.leaseKey(unit), leaseValue(lease), "PX", ttlMs, "NX");
    return set === "OK" ? lease : null;
  }

  async renew(leases: Lease[], ttlMs: number): Promise<boolean[]> {
    if (leases.length === 0) return [];
    return Promise.all(leases.map(async (lease) => (await this.commands.placementRenew(this.leaseKey(lease.unit), leaseValue(lease), ttlMs)) === 1));
  }

  async release(lease: Lease): Promise<boolean> {
    return (await this.commands.placementRelease(this.leaseKey(lease.unit), leaseValue(lease))) === 1;
  }

  async leases(units: string[]): Promise<Map<string, Lease>> {
    const out = new Map<string, Lease>();
    if (units.length === 0) return out;
    const pipeline = this.commands.pipeline();
    for (const unit of units) pipeline.get(this.leaseKey(unit)).pttl(this.leaseKey(unit));
    const replies = (await pipeline.exec()) ?? [];
    units.forEach((unit, i) => {
      const [valueError, value] = replies[2 * i] ?? [];
      const [, ttl] = replies[2 * i + 1] ?? [];
      if (valueError) throw valueError;
      const lease = typeof value === "string" ? parseLease(unit, value, Math.max(0, Number(ttl))) : undefined;
      if (lease) out.set(unit, lease);
    });
    return out;
  }

  async announce(change: PlacementChange): Promise<void> {
    await this.commands.publish(this.channel(), JSON.stringify(change));
  }

  async onChange(listener: (change: PlacementChange) => void): Promise<() => Promise<void>> {
    if (!this.subscriber) {
      const subscriber = this.connect("placement-changes", false);
      subscriber.on("message", (_channel: string, message: string) => {
        let change: PlacementChange;
        try {
          change = JSON.parse(message) as PlacementChange;
        } catch {
          return this.log.warn("undecodable placement change ignored", { message: message.slice(0, 200) });
        }
        for (const l of this.listeners) l(change);
      });
      this.subscriber = subscriber;
      await subscriber.subscribe(this.channel());
    }
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([closeRedis(this.commands), this.subscriber && closeRedis(this.subscriber)]);
  }

  private connect(role: string, enableAutoPipelining: boolean): Redis {
    return openRedis(this.options.url, { role, log: this.log, connectionName: this.options.connectionName ?? "placement", protocol: 2, enableAutoPipelining });
  }

  private leaseKey(unit: string) {
    return `${this.prefix}lease:{${unit}}`;
  }

  private memberSet() {
    return `${this.prefix}placement:{members}`;
  }

  private membership(node: string) {
    return `${this.prefix}placement:{members}:${node}`;
  }

  private channel() {
    return `${this.prefix}placement:changed`;
  }
}
