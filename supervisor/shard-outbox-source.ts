import type { DomainEvent } from "../actors/runtime/event-bus.ts";
import type { OutboxRelay, OutboxSource, Relayed } from "../actors/runtime/outbox-relay.ts";
import { ShardOutbox, shardOutboxName } from "../actors/runtime/outbox-shard.ts";
import type { Shard, ShardPool } from "../shards/index.ts";

/**
 * A brand shard's outbox as the node's relay sees it: relayed only while the shard is open
 * (its actors are awake), so the relay never keeps idle shards open. The pool's open hook
 * notifies the relay, so whatever a shard's outbox still holds is relayed when it reopens.
 */
export class PooledShardOutbox implements OutboxSource {
  readonly name: string;
  private current: { shard: Shard; outbox: ShardOutbox } | undefined;

  constructor(
    private pool: ShardPool,
    readonly brand: string,
  ) {
    this.name = shardOutboxName(brand);
  }

  private outbox(): ShardOutbox | undefined {
    const shard = this.pool.peek(this.brand);
    if (!shard) return undefined;
    if (this.current?.shard !== shard) this.current = { shard, outbox: new ShardOutbox(shard) };
    return this.current.outbox;
  }

  async relay(limit: number, publish: (events: DomainEvent[]) => Promise<void>, now: number): Promise<Relayed> {
    return (await this.outbox()?.relay(limit, publish, now)) ?? { relayed: 0, more: false };
  }

  async purge(before: number, limit: number): Promise<number> {
    return (await this.outbox()?.purge(before, limit)) ?? 0;
  }

  async backlog(): Promise<number> {
    return (await this.outbox()?.backlog()) ?? 0;
  }

  /** Only an open shard: a closed one is replayed when it next opens and this is called again. */
  async replay(from: number, brand?: string): Promise<number> {
    return (await this.outbox()?.replay(from, brand)) ?? 0;
  }
}

/** Make every shard the pool opens a relay source, and relay what it holds at once. */
export function relayShardOutboxes(pool: ShardPool, relay: OutboxRelay): () => void {
  return pool.onOpen((shard) => {
    const name = shardOutboxName(shard.brand);
    if (!relay.names().includes(name)) relay.add(new PooledShardOutbox(pool, shard.brand));
    else relay.notify(name);
  });
}
